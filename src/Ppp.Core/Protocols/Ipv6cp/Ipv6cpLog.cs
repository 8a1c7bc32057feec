using Microsoft.Extensions.Logging;

namespace Ppp.Core.Protocols.Ipv6cp;

/// <summary>
/// IPV6CP log lines (category "IPV6CP"). Arguments are small structs formatted only when a line
/// is written (CA1873).
/// </summary>
internal static partial class Ipv6cpLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "rejecting option type {Type}: not supported")]
    public static partial void RejectingOption(ILogger logger, byte type);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "rejecting malformed option (length {Length})")]
    public static partial void RejectingMalformed(ILogger logger, int length);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "peer asks for IFACEID {Requested}: Nak with {Suggested}")]
    public static partial void NakPeerIdentifier(ILogger logger, IdText requested, IdText suggested);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "our IFACEID {Previous} was Naked: now {Current}")]
    public static partial void OurIdentifierChanged(ILogger logger, IdText previous, IdText current);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Information, Message = "our IFACEID {Previous} was Naked with {Suggested}, which we cannot use: choosing {Current} ourselves")]
    public static partial void OurIdentifierChosen(ILogger logger, IdText previous, IdText suggested, IdText current);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "peer rejected IFACEID: no longer requested")]
    public static partial void IdentifierRejected(ILogger logger);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "IFACEID Naked {Count} times with the same value: rejecting it")]
    public static partial void NakLimit(ILogger logger, int count);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "up: local {Local} remote {Remote}")]
    public static partial void LayerUp(ILogger logger, IdText local, IdText remote);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "down")]
    public static partial void LayerDown(ILogger logger);
}

/// <summary>An interface identifier formatted ("0123:4567:89ab:cdef"; 0 as "none") only when logged.</summary>
internal readonly record struct IdText(ulong Value)
{
    public override string ToString() => Value == 0 ? "none" : InterfaceIdentifiers.Format(Value);
}
