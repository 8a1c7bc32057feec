namespace Ppp.Core.Wire;

/// <summary>Control packet codes (RFC 1661 §5; Identification and Time-Remaining from RFC 1570).</summary>
public enum ControlCode : byte
{
    VendorSpecific = 0,
    ConfigureRequest = 1,
    ConfigureAck = 2,
    ConfigureNak = 3,
    ConfigureReject = 4,
    TerminateRequest = 5,
    TerminateAck = 6,
    CodeReject = 7,
    ProtocolReject = 8,
    EchoRequest = 9,
    EchoReply = 10,
    DiscardRequest = 11,
    Identification = 12,
    TimeRemaining = 13,
    ResetRequest = 14,
    ResetAck = 15,
}

/// <summary>Log names of codes, as pppd prints them.</summary>
public static class ControlCodes
{
    public static string Name(byte code) => (ControlCode)code switch
    {
        ControlCode.ConfigureRequest => "ConfReq",
        ControlCode.ConfigureAck => "ConfAck",
        ControlCode.ConfigureNak => "ConfNak",
        ControlCode.ConfigureReject => "ConfRej",
        ControlCode.TerminateRequest => "TermReq",
        ControlCode.TerminateAck => "TermAck",
        ControlCode.CodeReject => "CodeRej",
        ControlCode.ProtocolReject => "ProtRej",
        ControlCode.EchoRequest => "EchoReq",
        ControlCode.EchoReply => "EchoRep",
        ControlCode.DiscardRequest => "DiscReq",
        ControlCode.Identification => "Ident",
        ControlCode.TimeRemaining => "TimeRem",
        ControlCode.ResetRequest => "ResetReq",
        ControlCode.ResetAck => "ResetAck",
        _ => $"code=0x{code:x}",
    };
}
