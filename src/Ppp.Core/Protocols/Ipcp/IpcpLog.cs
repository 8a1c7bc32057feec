using Microsoft.Extensions.Logging;

namespace Ppp.Core.Protocols.Ipcp;

/// <summary>IPCP log lines (category "IPCP", as ppp(8)'s `set log ipcp`).</summary>
/// <remarks>
/// Arguments are small structs formatted by ToString only when a line is written, so a
/// disabled level costs no string building (CA1873).
/// </remarks>
internal static partial class IpcpLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "rejecting {Option}: not supported")]
    public static partial void RejectingOption(ILogger logger, OptionName option);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "rejecting malformed {Option} (length {Length})")]
    public static partial void RejectingMalformed(ILogger logger, OptionName option, int length);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "peer asks for {Requested}: Nak with {Suggested}")]
    public static partial void NakPeerAddress(ILogger logger, Ipv4Text requested, Ipv4Text suggested);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "peer asks for {Requested} and we have no address to offer it: rejecting IPADDR")]
    public static partial void NoAddressForPeer(ILogger logger, Ipv4Text requested);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "peer sent no IPADDR: suggesting {Suggested}")]
    public static partial void SuggestingToSilentPeer(ILogger logger, Ipv4Text suggested);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "peer negotiated no address: using {Address} for it")]
    public static partial void PeerSentNoAddress(ILogger logger, Ipv4Text address);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "peer suggests {Suggested} for us, outside {Range}: ignored")]
    public static partial void NakOutOfRange(ILogger logger, Ipv4Text suggested, Ipv4Range range);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "peer rejected {Option}: no longer requested")]
    public static partial void OptionRejected(ILogger logger, OptionName option);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "{Option} Naked {Count} times with the same value: rejecting it")]
    public static partial void NakLimit(ILogger logger, OptionName option, int count);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "pool address {Address} was taken by another link meanwhile")]
    public static partial void PoolAddressLost(ILogger logger, Ipv4Text address);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "{Result}")]
    public static partial void LayerUp(ILogger logger, IpcpResult result);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "down")]
    public static partial void LayerDown(ILogger logger);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "peer asks for {Requested}, which is our own address: rejecting IPADDR")]
    public static partial void PeerWantsOurAddress(ILogger logger, Ipv4Text requested);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Information, Message = "peer asks for {Requested}: rejecting other options first (then a Nak with {Suggested})")]
    public static partial void NakAfterRejects(ILogger logger, Ipv4Text requested, Ipv4Text suggested);
}

/// <summary>An IPv4 address (0 printed as "none") formatted only when logged.</summary>
internal readonly record struct Ipv4Text(uint? Value)
{
    public override string ToString() => Value is uint v ? Ipv4.Format(v) : "none";
}

/// <summary>An IPCP option type formatted as its ppp(8) name only when logged.</summary>
internal readonly record struct OptionName(byte Type)
{
    public override string ToString() => IpcpOptions.Name(Type);
}
