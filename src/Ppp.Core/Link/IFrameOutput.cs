namespace Ppp.Core.Link;

/// <summary>
/// Where a <see cref="PppLink"/> hands its packets to be framed and written: in the daemon a
/// device writer (one thread per line, a bounded queue with a priority lane), in tests an
/// inline wire. Control packets (LCP, authentication, NCPs) come from the link loop, which
/// must never wait, and go ahead of any queued network packet; network packets come from the
/// tun reader, which may wait: a full queue is the data path's back-pressure. Frames are
/// encoded with the last <see cref="LinkParameters"/> published; LCP always fully escaped and
/// uncompressed (RFC 1661 §6.5-6.6). Payloads are borrowed for the duration of the call.
/// </summary>
public interface IFrameOutput
{
    /// <summary>Link loop: the parameters that frames encoded from now on use.</summary>
    void Publish(LinkParameters parameters);

    /// <summary>
    /// Link loop: queues a control packet ahead of queued network packets, in the order
    /// control packets were given. Never blocks; false when the packet was dropped (the
    /// control queue is full, or the output has stopped).
    /// </summary>
    bool TrySendControl(ushort protocol, ReadOnlySpan<byte> payload);

    /// <summary>
    /// Tun reader: queues a network packet behind the control packets; blocks while the data
    /// queue is full. The output may hold it until <see cref="FlushData"/>, so that a burst
    /// goes to the line in few writes. False once the output has stopped (the packet is
    /// dropped).
    /// </summary>
    bool SendData(ushort protocol, ReadOnlySpan<byte> packet);

    /// <summary>Tun reader: the burst is over; what <see cref="SendData"/> queued may go now.</summary>
    void FlushData();
}
