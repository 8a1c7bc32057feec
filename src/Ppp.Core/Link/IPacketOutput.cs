namespace Ppp.Core.Link;

/// <summary>
/// Where a protocol hands a packet for transmission: the link frames it (HDLC or synchronous),
/// applying ACFC/PFC/ACCM from the current parameters, except that LCP always goes out with
/// address/control and a two-octet protocol, fully escaped (RFC 1661 §6.5-6.6, RFC 1662 §7.1).
/// The payload is borrowed for the duration of the call.
/// </summary>
public interface IPacketOutput
{
    void Send(ushort protocol, ReadOnlySpan<byte> payload);
}

/// <summary>
/// Receives network-layer packets (IPv4, IPv6) that the demux accepted. The span is borrowed:
/// the sink writes it out (one tun write) or copies it before returning.
/// </summary>
public interface INetworkPacketSink
{
    void Deliver(ushort protocol, ReadOnlySpan<byte> packet);
}
