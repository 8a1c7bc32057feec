using System.Buffers.Binary;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

/// <summary>CHAP codes (RFC 1994 §4).</summary>
internal enum ChapCode : byte
{
    Challenge = 1,
    Response = 2,
    Success = 3,
    Failure = 4,
}

/// <summary>
/// CHAP packet bodies (RFC 1994 §4). Parsers take the Data field of a <see cref="ControlPacket"/>,
/// return spans borrowed from it, return false on malformed input and never throw.
/// </summary>
internal static class ChapPacket
{
    /// <summary>
    /// RFC 1994 §4.1 Challenge and Response data.
    /// <code>
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |  Value-Size   |  Value ...
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |  Name ...
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// </code>
    /// The Value is one or more octets; the Name runs to the end of the packet (Length).
    /// </summary>
    public static bool TryParseValueAndName(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> value, out ReadOnlySpan<byte> name)
    {
        value = default;
        name = default;
        if (data.Length < 1)
            return false;
        int valueSize = data[0];
        if (valueSize == 0 || data.Length < 1 + valueSize)
            return false;
        value = data.Slice(1, valueSize);
        name = data[(1 + valueSize)..];
        return true;
    }

    public static int ValueAndNameLength(int valueLength, int nameLength) =>
        ControlPacket.HeaderLength + 1 + valueLength + nameLength;

    /// <summary>Writes a whole Challenge or Response packet; returns its length.</summary>
    public static int WriteValueAndName(Span<byte> destination, ChapCode code, byte identifier, ReadOnlySpan<byte> value, ReadOnlySpan<byte> name)
    {
        ArgumentOutOfRangeException.ThrowIfZero(value.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, byte.MaxValue);
        int length = ValueAndNameLength(value.Length, name.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ushort.MaxValue);
        destination[ControlPacket.HeaderLength] = (byte)value.Length;
        value.CopyTo(destination[(ControlPacket.HeaderLength + 1)..]);
        name.CopyTo(destination[(ControlPacket.HeaderLength + 1 + value.Length)..]);
        WriteHeader(destination, code, identifier, length);
        return length;
    }

    /// <summary>
    /// RFC 1994 §4.2 Success and Failure data: a Message of zero or more octets, not
    /// null-terminated, running to the end of the packet.
    /// <code>
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |  Message ...
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// </code>
    /// </summary>
    public static int WriteMessage(Span<byte> destination, ChapCode code, byte identifier, ReadOnlySpan<byte> message)
    {
        int length = ControlPacket.HeaderLength + message.Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ushort.MaxValue);
        message.CopyTo(destination[ControlPacket.HeaderLength..]);
        WriteHeader(destination, code, identifier, length);
        return length;
    }

    private static void WriteHeader(Span<byte> destination, ChapCode code, byte identifier, int length)
    {
        destination[0] = (byte)code;
        destination[1] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
    }
}
