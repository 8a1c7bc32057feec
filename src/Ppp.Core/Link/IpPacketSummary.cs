using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Ppp.Core.Link;

/// <summary>
/// ppp(8)'s <c>set log tcp/ip</c> line for one IP packet: the protocol, source and destination
/// (with ports for TCP and UDP, type/code for ICMP) and the length, e.g.
/// <c>TCP 10.0.0.1:22 ---> 10.0.0.2:51000 (52)</c>. Called only when that level is on, so
/// the formatting costs nothing otherwise. Never throws: a packet too short for its headers
/// says so.
/// <code>
/// IPv4: ver/ihl(1) tos(1) len(2) id(2) frag(2) ttl(1) proto(1) sum(2) src(4) dst(4) [options]
/// IPv6: ver/tc/flow(4) payload len(2) next header(1) hop limit(1) src(16) dst(16)
/// TCP/UDP: src port(2) dst port(2) ...   ICMP: type(1) code(1) ...
/// </code>
/// </summary>
public static class IpPacketSummary
{
    public static string Describe(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
            return "IP: empty packet";
        return (packet[0] >> 4) switch
        {
            4 => DescribeV4(packet),
            6 => DescribeV6(packet),
            int version => $"IP: version {version}? ({packet.Length})",
        };
    }

    private static string DescribeV4(ReadOnlySpan<byte> packet)
    {
        int headerLength = (packet[0] & 0x0f) * 4;
        if (packet.Length < 20 || headerLength < 20 || packet.Length < headerLength)
            return $"IP: truncated IPv4 header ({packet.Length})";
        var source = new IPAddress(packet.Slice(12, 4));
        var destination = new IPAddress(packet.Slice(16, 4));
        bool firstFragment = (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1fff) == 0;
        return Transport(packet[9], source, destination, firstFragment ? packet[headerLength..] : [], packet.Length, icmp: 1);
    }

    private static string DescribeV6(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 40)
            return $"IPV6: truncated header ({packet.Length})";
        var source = new IPAddress(packet.Slice(8, 16));
        var destination = new IPAddress(packet.Slice(24, 16));
        return Transport(packet[6], source, destination, packet[40..], packet.Length, icmp: 58);
    }

    private static string Transport(byte protocol, IPAddress source, IPAddress destination, ReadOnlySpan<byte> payload, int length, byte icmp)
    {
        string name = protocol switch
        {
            6 => "TCP",
            17 => "UDP",
            _ when protocol == icmp => icmp == 1 ? "ICMP" : "ICMPV6",
            _ => $"IP proto {protocol.ToString(CultureInfo.InvariantCulture)}",
        };
        if (protocol is 6 or 17 && payload.Length >= 4)
        {
            int sourcePort = BinaryPrimitives.ReadUInt16BigEndian(payload);
            int destinationPort = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
            return $"{name} {Endpoint(source, sourcePort)} ---> {Endpoint(destination, destinationPort)} ({length})";
        }
        if (protocol == icmp && payload.Length >= 2)
            return $"{name} {source} ---> {destination} type {payload[0]} code {payload[1]} ({length})";
        return $"{name} {source} ---> {destination} ({length})";
    }

    private static string Endpoint(IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{address}:{port.ToString(CultureInfo.InvariantCulture)}";
}
