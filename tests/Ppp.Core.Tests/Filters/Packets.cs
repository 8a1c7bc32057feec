using System.Buffers.Binary;
using System.Net;

namespace Ppp.Core.Tests.Filters;

/// <summary>IPv4 and IPv6 packets built field by field for the filter tests (checksums are not checked by filters and left 0).</summary>
internal static class Packets
{
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Ack = 0x10;

    public static byte[] Tcp(ushort source, ushort destination, byte flags = 0, int dataOffsetWords = 5)
    {
        var tcp = new byte[Math.Max(20, dataOffsetWords * 4)];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, source);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), destination);
        tcp[12] = (byte)(dataOffsetWords << 4);
        tcp[13] = flags;
        return tcp;
    }

    public static byte[] Udp(ushort source, ushort destination)
    {
        var udp = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(udp, source);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destination);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), 8);
        return udp;
    }

    public static byte[] Icmp(byte type, byte code = 0) => [type, code, 0, 0, 0, 0, 0, 0];

    /// <summary>An IPv4 packet; <paramref name="options"/> (a multiple of 4 octets) lengthen the header.</summary>
    public static byte[] V4(string source, string destination, byte protocol, byte[] payload, int fragmentOffset = 0, byte[]? options = null, bool moreFragments = false)
    {
        options ??= [];
        int headerLength = 20 + options.Length;
        var packet = new byte[headerLength + payload.Length];
        packet[0] = (byte)(0x40 | (headerLength / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | fragmentOffset));
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse(source).TryWriteBytes(packet.AsSpan(12, 4), out _);
        IPAddress.Parse(destination).TryWriteBytes(packet.AsSpan(16, 4), out _);
        options.CopyTo(packet, 20);
        payload.CopyTo(packet, headerLength);
        return packet;
    }

    /// <summary>
    /// An IPv6 packet; each extension header is (type, body) with the body's length making the
    /// header a multiple of 8 octets (fragment: 6 octets of body).
    /// </summary>
    public static byte[] V6(string source, string destination, byte protocol, byte[] payload, params (byte Type, byte[] Body)[] extensions)
    {
        var rest = new List<byte>();
        byte first = extensions.Length > 0 ? extensions[0].Type : protocol;
        for (int i = 0; i < extensions.Length; i++)
        {
            byte next = i + 1 < extensions.Length ? extensions[i + 1].Type : protocol;
            var body = extensions[i].Body;
            int total = 2 + body.Length;
            byte lengthField = extensions[i].Type switch
            {
                44 => 0,
                51 => (byte)((total / 4) - 2),
                _ => (byte)((total / 8) - 1),
            };
            rest.Add(next);
            rest.Add(lengthField);
            rest.AddRange(body);
        }
        rest.AddRange(payload);
        var packet = new byte[40 + rest.Count];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)rest.Count);
        packet[6] = first;
        packet[7] = 64;
        IPAddress.Parse(source).TryWriteBytes(packet.AsSpan(8, 16), out _);
        IPAddress.Parse(destination).TryWriteBytes(packet.AsSpan(24, 16), out _);
        rest.CopyTo(packet, 40);
        return packet;
    }

    /// <summary>The body of an IPv6 fragment header: offset in 8-octet units.</summary>
    public static (byte, byte[]) Fragment6(int offset, bool more = false)
    {
        var body = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)((offset << 3) | (more ? 1 : 0)));
        return (44, body);
    }
}
