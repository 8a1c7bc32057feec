using System.Buffers.Binary;

namespace Ppp.Core.Link;

/// <summary>
/// TCP MSS clamping (ppp(8) <c>set mss</c> / <c>enable tcpmssfixup</c>): lowers the MSS option
/// of a TCP SYN or SYN-ACK so that the peer never sends segments too big for the PPP MTU,
/// whatever path-MTU discovery does. The caller computes the limit: MTU-40 for IPv4, MTU-60
/// for IPv6. Works in place, allocates nothing, and leaves anything it does not fully
/// understand (truncated, malformed, IPv6 extension headers, later fragments) untouched.
/// </summary>
/// <remarks>
/// <code>
/// IPv4 | ver/ihl | tos | total length | id | flags/frag | ttl | proto=6 | csum | src | dst | options |
/// IPv6 | ver/tc/flow (4) | payload length | next=6 | hop limit | src (16) | dst (16) |
/// TCP  | sport | dport | seq | ack | doff/flags (2) | window | checksum | urgent | options... |
/// MSS  | kind=2 | len=4 | mss (2) |      (RFC 9293 §3.2)
/// </code>
/// </remarks>
public static class MssClamp
{
    private const byte ProtocolTcp = 6;
    private const byte TcpSyn = 0x02;
    private const byte OptionEnd = 0;
    private const byte OptionNop = 1;
    private const byte OptionMss = 2;

    /// <summary>
    /// If <paramref name="ipPacket"/> is a TCP SYN whose MSS option exceeds
    /// <paramref name="maxMss"/>, lowers it and patches the TCP checksum incrementally
    /// (RFC 1624). Returns true only if the packet was changed.
    /// </summary>
    public static bool Clamp(Span<byte> ipPacket, int maxMss)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMss);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMss, ushort.MaxValue);
        if (ipPacket.IsEmpty)
            return false;

        Span<byte> segment;
        switch (ipPacket[0] >> 4)
        {
            case 4:
            {
                if (ipPacket.Length < 20)
                    return false;
                int headerLength = (ipPacket[0] & 0x0f) * 4;
                int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ipPacket[2..]);
                // Fragment offset != 0: no TCP header here. (A first fragment still has it, and an
                // incremental checksum fix does not need the rest of the segment.)
                if (headerLength < 20 || totalLength < headerLength || totalLength > ipPacket.Length
                    || ipPacket[9] != ProtocolTcp || (BinaryPrimitives.ReadUInt16BigEndian(ipPacket[6..]) & 0x1fff) != 0)
                    return false;
                segment = ipPacket[headerLength..totalLength];
                break;
            }

            case 6:
            {
                if (ipPacket.Length < 40)
                    return false;
                int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ipPacket[4..]);
                // Next header must be TCP itself: extension headers (and fragments) are left alone.
                if (ipPacket[6] != ProtocolTcp || 40 + payloadLength > ipPacket.Length)
                    return false;
                segment = ipPacket.Slice(40, payloadLength);
                break;
            }

            default:
                return false;
        }

        return ClampSegment(segment, (ushort)maxMss);
    }

    private static bool ClampSegment(Span<byte> tcp, ushort maxMss)
    {
        if (tcp.Length < 20 || (tcp[13] & TcpSyn) == 0)
            return false;
        int dataOffset = (tcp[12] >> 4) * 4;
        if (dataOffset < 20 || dataOffset > tcp.Length)
            return false;

        // Walk every option first, so a malformed list leaves the packet exactly as it came.
        int at = -1;
        int i = 20;
        while (i < dataOffset)
        {
            byte kind = tcp[i];
            if (kind == OptionEnd)
                break;
            if (kind == OptionNop)
            {
                i++;
                continue;
            }

            if (i + 1 >= dataOffset)
                return false;
            int length = tcp[i + 1];
            if (length < 2 || i + length > dataOffset)
                return false;
            if (kind == OptionMss && length == 4 && at < 0)
                at = i + 2;
            i += length;
        }

        if (at < 0)
            return false;
        ushort mss = BinaryPrimitives.ReadUInt16BigEndian(tcp[at..]);
        if (mss <= maxMss)
            return false;

        // The checksum sums 16-bit words from the start of the header; a value at an odd offset
        // straddles two words, which in one's complement arithmetic is the byte-swapped value.
        bool odd = (at & 1) != 0;
        ushort oldWord = odd ? BinaryPrimitives.ReadUInt16LittleEndian(tcp[at..]) : mss;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[at..], maxMss);
        ushort newWord = odd ? BinaryPrimitives.ReadUInt16LittleEndian(tcp[at..]) : maxMss;
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(tcp[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], UpdateChecksum(checksum, oldWord, newWord));
        return true;
    }

    /// <summary>RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').</summary>
    private static ushort UpdateChecksum(ushort checksum, ushort oldWord, ushort newWord)
    {
        uint sum = (uint)(ushort)~checksum + (ushort)~oldWord + newWord;
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
