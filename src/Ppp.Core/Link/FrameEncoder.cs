using System.Buffers;
using Ppp.Core.Framing;
using Ppp.Core.Wire;

namespace Ppp.Core.Link;

/// <summary>
/// Frames a link's packets with the transmit half of a <see cref="LinkParameters"/> snapshot:
/// the peer's ACCM, ACFC and PFC for every frame but LCP's, which always go out with
/// address/control, a two-octet protocol and every control character escaped (RFC 1661
/// §6.5-6.6, RFC 1662 §7.1). A new snapshot is one reference comparison per frame; the escape
/// tables are rebuilt only when it changed.
/// </summary>
/// <remarks>
/// Not thread-safe: it belongs to the one thread that writes the line (the device writer).
/// Encoding allocates nothing.
/// </remarks>
public sealed class FrameEncoder
{
    private readonly HdlcEncoder _encoder = new();
    private LinkParameters? _applied;

    /// <summary>Octets one frame of <paramref name="payloadLength"/> octets may take at most.</summary>
    public static int MaxEncodedLength(int payloadLength) => HdlcEncoder.MaxEncodedLength(payloadLength);

    /// <summary>Encodes one frame into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/> octets); returns the octets written.</summary>
    public int Encode(LinkParameters parameters, ushort protocol, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!ReferenceEquals(parameters, _applied))
            Apply(parameters);
        return _encoder.Encode(protocol, payload, destination, controlFrame: protocol == (ushort)PppProtocol.Lcp);
    }

    /// <summary>Encodes one frame into <paramref name="output"/>; returns the octets written.</summary>
    public int Encode(LinkParameters parameters, ushort protocol, ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int written = Encode(parameters, protocol, payload, output.GetSpan(MaxEncodedLength(payload.Length)));
        output.Advance(written);
        return written;
    }

    private void Apply(LinkParameters parameters)
    {
        _encoder.TransmitAccm = parameters.TransmitAccm;
        _encoder.AddressControlCompression = parameters.AddressControlCompression;
        _encoder.ProtocolCompression = parameters.ProtocolCompression;
        _encoder.Synchronous = parameters.Synchronous;
        if (_applied is null || !_applied.ExtraEscapes.Span.SequenceEqual(parameters.ExtraEscapes.Span))
            _encoder.SetExtraEscapes(parameters.ExtraEscapes.Span);
        _applied = parameters;
    }
}
