using System.Buffers.Binary;

namespace Ppp.Core.Wire;

/// <summary>
/// A borrowed view of one control packet (RFC 1661 §5): valid only while the span it was parsed
/// from is; a handler that keeps the data copies it.
/// <code>
///  0                   1                   2                   3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Code      |  Identifier   |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Data ...
/// </code>
/// </summary>
public readonly ref struct ControlPacket
{
    public const int HeaderLength = 4;

    public ControlPacket(byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        Code = code;
        Identifier = identifier;
        Data = data;
    }

    public byte Code { get; }
    public byte Identifier { get; }
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>
    /// Parses a packet. Octets past Length are padding and ignored (RFC 1661 §5); a Length
    /// below 4 or beyond the buffer makes the packet malformed, and it must be dropped.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out ControlPacket result)
    {
        result = default;
        if (packet.Length < HeaderLength)
            return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (length < HeaderLength || length > packet.Length)
            return false;
        result = new ControlPacket(packet[0], packet[1], packet[HeaderLength..length]);
        return true;
    }

    /// <summary>Writes a header and data into <paramref name="destination"/>; returns the packet length.</summary>
    public static int Write(Span<byte> destination, byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        int length = HeaderLength + data.Length;
        destination[0] = code;
        destination[1] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        data.CopyTo(destination[HeaderLength..]);
        return length;
    }
}
