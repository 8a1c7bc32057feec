namespace Ppp.ModemSim.At;

/// <summary>What the modem itself must do after a command line, beyond answering it.</summary>
internal enum AtAction
{
    None,

    /// <summary>ATD: place a call to <see cref="AtReply.DialString"/>; the engine gives the result.</summary>
    Dial,

    /// <summary>ATH: end the call, if one is up or held.</summary>
    Hangup,

    /// <summary>ATO: return to the held call; the engine answers CONNECT or NO CARRIER.</summary>
    Online,

    /// <summary>AT+CFUN=n,1: the module restarts (ends any call, leaves silence).</summary>
    Reset,
}

/// <summary>
/// The answer to one command line: information lines, then the final result code, which is
/// null when the engine gives it (dial, return online).
/// </summary>
internal sealed record AtReply(IReadOnlyList<string> Info, ResultCode? Final, AtAction Action = AtAction.None, string? DialString = null);
