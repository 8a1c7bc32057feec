namespace Ppp.Interop.Tests.Support;

/// <summary>Protocol numbers and predicates the byte-level tests use (RFC 1661, 1332, 1334, 1994, 2759).</summary>
internal static class Lcp
{
    public const ushort Protocol = 0xc021;
    public const ushort PapProtocol = 0xc023;
    public const ushort ChapProtocol = 0xc223;
    public const ushort IpcpProtocol = 0x8021;

    public const byte EchoRequest = 9;
    public const byte EchoReply = 10;

    public const byte OptionAccm = 2;
    public const byte OptionAuthenticationProtocol = 3;
    public const byte OptionMagicNumber = 5;

    /// <summary>A good frame of <paramref name="protocol"/> carrying a packet with <paramref name="code"/>.</summary>
    public static Func<RawFrame, bool> Is(ushort protocol, byte code, byte? identifier = null) =>
        frame => frame.FcsValid && frame.Protocol == protocol &&
                 RawControlPacket.TryParse(frame.Information) is { } packet &&
                 packet.Code == code && (identifier is null || packet.Identifier == identifier);

    public static RawControlPacket Packet(RawFrame frame) =>
        RawControlPacket.TryParse(frame.Information) ?? throw new InvalidDataException($"not a control packet: {frame}");

    public static byte[] Option(byte type, params byte[] value) => [type, (byte)(value.Length + 2), .. value];
}
