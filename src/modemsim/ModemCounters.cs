namespace Ppp.ModemSim;

/// <summary>
/// What the modem has been through, reported on the control socket and in the status file.
/// Written only by the line thread; read elsewhere through <see cref="Snapshot"/> copies.
/// </summary>
internal sealed record ModemCounters
{
    /// <summary>ATD commands (data and voice).</summary>
    public int Dials { get; init; }

    /// <summary>CONNECT answers to a dial.</summary>
    public int Connects { get; init; }

    /// <summary>Calls ended, for any reason (ATH, DTR drop, close, peer end, carrier drop, reset).</summary>
    public int Hangups { get; init; }

    /// <summary>Calls ended by a DTR drop (B0) or by the last slave descriptor closing.</summary>
    public int DtrDrops { get; init; }

    /// <summary>Carrier drops injected mid-call (--drop-after or "drop").</summary>
    public int CarrierDrops { get; init; }

    /// <summary>AT+CGDCONT= writes accepted: flash rewrites on a real module.</summary>
    public int CgdcontWrites { get; init; }

    /// <summary>Module restarts: AT+CFUN=n,1, "reset" on the control socket, SIGUSR1.</summary>
    public int Resets { get; init; }

    /// <summary>Command lines answered (echo aside).</summary>
    public int Commands { get; init; }
}
