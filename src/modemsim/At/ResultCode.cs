namespace Ppp.ModemSim.At;

/// <summary>ITU-T V.250 result codes, valued as their numeric (ATV0) form.</summary>
internal enum ResultCode
{
    Ok = 0,
    Connect = 1,
    Ring = 2,
    NoCarrier = 3,
    Error = 4,
    NoDialtone = 6,
    Busy = 7,
    NoAnswer = 8,
}

internal static class ResultCodes
{
    /// <summary>The verbose (ATV1) text, as chat scripts ABORT on it.</summary>
    public static string Text(ResultCode code) => code switch
    {
        ResultCode.Ok => "OK",
        ResultCode.Connect => "CONNECT",
        ResultCode.Ring => "RING",
        ResultCode.NoCarrier => "NO CARRIER",
        ResultCode.Error => "ERROR",
        ResultCode.NoDialtone => "NO DIALTONE",
        ResultCode.Busy => "BUSY",
        ResultCode.NoAnswer => "NO ANSWER",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    /// <summary>Parses the names the command line and the control socket take: busy, no-carrier, ...</summary>
    public static bool TryParseName(string name, out ResultCode code)
    {
        switch (name.ToUpperInvariant().Replace('-', ' ').Replace('_', ' '))
        {
            case "CONNECT": code = ResultCode.Connect; return true;
            case "BUSY": code = ResultCode.Busy; return true;
            case "NO CARRIER": code = ResultCode.NoCarrier; return true;
            case "NO ANSWER": code = ResultCode.NoAnswer; return true;
            case "NO DIALTONE": code = ResultCode.NoDialtone; return true;
            case "ERROR": code = ResultCode.Error; return true;
            default: code = default; return false;
        }
    }
}
