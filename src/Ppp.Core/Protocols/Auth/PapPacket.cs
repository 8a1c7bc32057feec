using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

/// <summary>PAP codes (RFC 1334 §2.2).</summary>
internal enum PapCode : byte
{
    AuthenticateRequest = 1,
    AuthenticateAck = 2,
    AuthenticateNak = 3,
}

/// <summary>
/// PAP packet bodies. The parsers take the Data field of a <see cref="ControlPacket"/> and return
/// spans borrowed from it; they return false on malformed input and never throw.
/// </summary>
internal static class PapPacket
{
    /// <summary>Peer-ID and Password are each limited to 255 octets by their length octet.</summary>
    public const int MaxFieldLength = byte.MaxValue;

    /// <summary>
    /// RFC 1334 §2.2.1 Authenticate-Request data.
    /// <code>
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// | Peer-ID Length|  Peer-Id ...
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// | Passwd-Length |  Password ...
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// </code>
    /// Octets after the password are ignored.
    /// </summary>
    public static bool TryParseRequest(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> peerId, out ReadOnlySpan<byte> password)
    {
        peerId = default;
        password = default;
        if (data.Length < 1)
            return false;
        int idLength = data[0];
        if (data.Length < 1 + idLength + 1)
            return false;
        int passwordLength = data[1 + idLength];
        if (data.Length < 2 + idLength + passwordLength)
            return false;
        peerId = data.Slice(1, idLength);
        password = data.Slice(2 + idLength, passwordLength);
        return true;
    }

    /// <summary>Length of a whole Authenticate-Request packet.</summary>
    public static int RequestLength(int peerIdLength, int passwordLength) =>
        ControlPacket.HeaderLength + 2 + peerIdLength + passwordLength;

    /// <summary>Writes a whole Authenticate-Request packet (header included); returns its length.</summary>
    public static int WriteRequest(Span<byte> destination, byte identifier, ReadOnlySpan<byte> peerId, ReadOnlySpan<byte> password)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(peerId.Length, MaxFieldLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(password.Length, MaxFieldLength);
        int length = RequestLength(peerId.Length, password.Length);
        Span<byte> data = destination[ControlPacket.HeaderLength..length];
        data[0] = (byte)peerId.Length;
        peerId.CopyTo(data[1..]);
        data[1 + peerId.Length] = (byte)password.Length;
        password.CopyTo(data[(2 + peerId.Length)..]);
        WriteHeader(destination, PapCode.AuthenticateRequest, identifier, length);
        return length;
    }

    /// <summary>
    /// RFC 1334 §2.2.2 Authenticate-Ack / Authenticate-Nak data.
    /// <code>
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |  Msg-Length   |  Message ...
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// </code>
    /// An empty Data field (some peers omit Msg-Length) is read as an empty message.
    /// </summary>
    public static bool TryParseReply(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> message)
    {
        message = default;
        if (data.IsEmpty)
            return true;
        int messageLength = data[0];
        if (data.Length < 1 + messageLength)
            return false;
        message = data.Slice(1, messageLength);
        return true;
    }

    /// <summary>Writes a whole Ack or Nak packet; the message is cut at 255 octets. Returns the length.</summary>
    public static int WriteReply(Span<byte> destination, PapCode code, byte identifier, ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxFieldLength)
            message = message[..MaxFieldLength];
        int length = ControlPacket.HeaderLength + 1 + message.Length;
        destination[ControlPacket.HeaderLength] = (byte)message.Length;
        message.CopyTo(destination[(ControlPacket.HeaderLength + 1)..]);
        WriteHeader(destination, code, identifier, length);
        return length;
    }

    private static void WriteHeader(Span<byte> destination, PapCode code, byte identifier, int length)
    {
        destination[0] = (byte)code;
        destination[1] = identifier;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
    }
}
