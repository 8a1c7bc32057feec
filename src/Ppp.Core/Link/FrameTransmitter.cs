using System.Buffers;
using Ppp.Core.Framing;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Wire;

namespace Ppp.Core.Link;

/// <summary>
/// The one place where frames for a link are encoded and written: control packets from the
/// link loop and network packets from the tun reader both come through here, serialised by a
/// lock, so frames never interleave on the wire. The host supplies the buffer writer (a
/// PipeWriter over the device) and a callback run after each frame, still under the lock, that
/// flushes it: a PipeWriter must not be written and flushed at once, and flushing under the
/// lock also makes a slow device push back on whoever sends.
/// </summary>
public sealed class FrameTransmitter : IPacketOutput
{
    private readonly Lock _lock = new();
    private readonly HdlcEncoder _encoder = new();
    private readonly IBufferWriter<byte> _output;
    private readonly Action _written;

    public FrameTransmitter(IBufferWriter<byte> output, Action written, bool synchronous = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(written);
        _output = output;
        _written = written;
        _encoder.Synchronous = synchronous;
    }

    public long Frames { get; private set; }

    /// <summary>Sends one packet; LCP goes out fully escaped and uncompressed (RFC 1661 §6.5-6.6).</summary>
    public void Send(ushort protocol, ReadOnlySpan<byte> payload) => Send(protocol, payload, flush: true);

    /// <summary>
    /// Encodes one packet and, when <paramref name="flush"/> is false, leaves it in the output
    /// for a later <see cref="Flush"/> or flushing send: a sender that knows more packets are
    /// queued (the tun reader under load) then writes a batch per system call, not a frame.
    /// </summary>
    public void Send(ushort protocol, ReadOnlySpan<byte> payload, bool flush)
    {
        bool control = protocol == (ushort)PppProtocol.Lcp;
        lock (_lock)
        {
            _encoder.Encode(protocol, payload, _output, control);
            Frames++;
            if (flush)
                _written();
        }
    }

    /// <summary>Writes out whatever unflushed sends left in the output.</summary>
    public void Flush()
    {
        lock (_lock)
            _written();
    }

    /// <summary>Applies what LCP negotiated for frames we send.</summary>
    public void Apply(LcpResult? result, ReadOnlySpan<byte> extraEscapes)
    {
        lock (_lock)
        {
            _encoder.TransmitAccm = result?.TransmitAccm ?? 0xffffffff;
            _encoder.AddressControlCompression = result?.TransmitAddressControlCompression ?? false;
            _encoder.ProtocolCompression = result?.TransmitProtocolCompression ?? false;
            _encoder.SetExtraEscapes(extraEscapes);
        }
    }
}
