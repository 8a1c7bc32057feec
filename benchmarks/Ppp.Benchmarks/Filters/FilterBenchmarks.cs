using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using Ppp.Core.Filters;

namespace Ppp.Benchmarks.Filters;

/// <summary>
/// One packet through a compiled filter (<see cref="FilterMatcher.Evaluate"/>). <c>FortyRules</c>:
/// rules 0-38 each pass the address test and fail on the protocol or the port (TCP and UDP
/// rules alternate, with prefixes and symbols), so all 40 are tried and rule 39 permits: the
/// worst case of a full filter. <c>FirstRule</c>: rule 0 decides. <c>NoRules</c>: an empty
/// filter, the cost every packet pays when no filter is set.
/// </summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private FilterMatcher _forty = null!;
    private FilterMatcher _first = null!;
    private FilterMatcher _empty = null!;
    private byte[] _packet = null!;

    /// <summary>A TCP SYN over IPv4 (20-octet header) or a UDP datagram over IPv6.</summary>
    [Params("tcp4", "udp6")]
    public string Packet { get; set; } = "tcp4";

    [GlobalSetup]
    public void Setup()
    {
        var addresses = new FilterAddresses(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"),
            IPAddress.Parse("2001:db8::1"), IPAddress.Parse("2001:db8::2"));
        bool v6 = Packet == "udp6";
        string source = v6 ? "MYADDR6/64" : "MYADDR/24";
        string[] lines = [.. Enumerable.Range(0, 39).Select(n => (n % 3) switch
        {
            0 => $"{n} deny {source} any tcp src lt 1024 dst eq {1000 + n} syn",
            1 => $"{n} deny any any udp dst eq {2000 + n}",
            _ => $"{n} deny ! {(v6 ? "::/0" : "0.0.0.0/0")} any",
        }), "39 permit"];
        _forty = Build(lines, addresses);
        _first = Build(["0 permit"], addresses);
        _empty = Build([], addresses);
        _packet = v6 ? Udp6() : Tcp4();
        if (!_forty.Evaluate(_packet).Permitted || _forty.Evaluate(_packet).Rule != 39)
            throw new InvalidOperationException("the benchmark packet must reach rule 39");
    }

    private static FilterMatcher Build(string[] lines, FilterAddresses addresses)
    {
        var filter = new PacketFilter(FilterName.Out);
        foreach (string line in lines)
        {
            var (change, error) = FilterRuleParser.Parse(["out", .. line.Split(' ')]);
            if (error is not null)
                throw new InvalidOperationException(error);
            filter.Set(change!.RuleNumber, change.Rule);
        }
        return filter.Compile(addresses);
    }

    private static byte[] Tcp4()
    {
        var packet = new byte[60];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 60);
        packet[9] = 6;
        IPAddress.Parse("10.0.0.1").TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Parse("93.184.216.34").TryWriteBytes(packet.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 443);
        packet[32] = 0xa0;
        packet[33] = 0x02;
        return packet;
    }

    private static byte[] Udp6()
    {
        var packet = new byte[40 + 8 + 32];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 40);
        packet[6] = 17;
        IPAddress.Parse("2001:db8::1").TryWriteBytes(packet.AsSpan(8), out _);
        IPAddress.Parse("2001:db8:ffff::53").TryWriteBytes(packet.AsSpan(24), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(40), 5353);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(42), 53);
        return packet;
    }

    [Benchmark]
    public bool FortyRules() => _forty.Evaluate(_packet).Permitted;

    [Benchmark]
    public bool FirstRule() => _first.Evaluate(_packet).Permitted;

    [Benchmark(Baseline = true)]
    public bool NoRules() => _empty.Evaluate(_packet).Permitted;
}
