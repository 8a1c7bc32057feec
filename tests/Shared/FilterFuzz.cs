using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Ppp.Core.Filters;

namespace Ppp.Tests.Shared;

/// <summary>
/// Fuzzes the packet filters with random <c>set filter</c> lines and random IP packets, for the
/// fuzz console (benchmarks/Ppp.Benchmarks, target <c>filter</c>) and the short CI run
/// (tests/Ppp.Core.Tests). One input is one rule line and one packet: the input's first four
/// octets seed the rule line and the addresses, the rest is the packet, judged by all four
/// filters. Rules are drawn from the whole grammar, then one in eight is damaged (a word
/// replaced, dropped, doubled or swapped); packets are IPv4 and IPv6 with options, extension
/// headers, fragments and every transport, which the runner then mutates.
/// </summary>
/// <remarks>
/// Besides "never throws": a line parses to a change or an error, never both or neither; a
/// parsed rule formats to words that parse back to the same rule; a verdict names a rule that
/// is set and whose action is the verdict's; matchers are rebuilt as the rules and addresses change.
/// </remarks>
internal sealed class FilterFuzz
{
    private static readonly string[] Names = ["in", "out", "dial", "alive"];
    private static readonly string[] Protocols = ["tcp", "udp", "icmp", "icmp6", "igmp", "ipip", "ospf", "gre", "any"];
    private static readonly string[] Symbols = ["MYADDR", "HISADDR", "MYADDR6", "HISADDR6", "DNS0", "DNS1", "any"];
    private static readonly string[] V4Pool = ["10.0.0.1", "10.0.0.2", "10.1.2.3", "192.0.2.53", "0.0.0.0", "255.255.255.255", "224.0.0.5"];
    private static readonly string[] V6Pool = ["fe80::1", "fe80::2", "2001:db8::1", "2001:db8:1::80", "::", "ff02::1", "::ffff:10.0.0.1"];
    private static readonly string[] Junk =
    [
        "", "!", "!!", "-1", "-0", "40", "999999999999", "/", "10.0.0.1/", "/8", "::/200", "1.2.3", "65536", "timeout", "src", "dst",
        "eq", "lt", "gt", "estab", "syn", "finrst", "permit", "deny", "clear", "tcp", "http", "MYADDR/", "HISADDR6/129", "0x10",
        "١٢", "ＭＹＡＤＤＲ", "\t", "a b",
    ];
    private static readonly byte[] ProtocolNumbers = [6, 17, 1, 58, 2, 4, 89, 47, 0, 41, 59, 132];

    private readonly FilterSet _filters = new();
    private readonly FilterMatcher[] _matchers;
    private FilterAddresses _addresses = FilterAddresses.None;
    private long _inputs;

    public FilterFuzz() => _matchers = [.. _filters.All.Select(f => f.Compile(_addresses))];

    /// <summary>Lines that parsed, lines refused, and packets each filter permitted (evidence the run reached the rules).</summary>
    public long Parsed { get; private set; }

    public long Refused { get; private set; }

    public long Permitted { get; private set; }

    public long Denied { get; private set; }

    /// <summary>A well-formed input: four seed octets, then a valid packet.</summary>
    public static byte[] Seed(Random random)
    {
        var packet = RandomPacket(random);
        var input = new byte[4 + packet.Length];
        BinaryPrimitives.WriteInt32LittleEndian(input, random.Next());
        packet.CopyTo(input, 4);
        return input;
    }

    /// <summary>Damages a copy of <paramref name="seed"/>: bit flips, new octets, cuts and insertions.</summary>
    public static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        for (int edits = 1 + random.Next(4); edits > 0 && bytes.Count > 0; edits--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.Insert(at, (byte)random.Next(256)); break;
            }
        }
        return [.. bytes];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        int seed = input.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(input) : input.Length;
        ReadOnlySpan<byte> packet = input.Length >= 4 ? input[4..] : input;
        var random = new Random(seed);
        if ((_inputs++ & 63) == 0)
        {
            _addresses = RandomAddresses(random);
            for (int i = 0; i < _matchers.Length; i++)
                _matchers[i] = _filters.All[i].Compile(_addresses);
        }

        string[] words = RuleWords(random);
        var (change, error) = FilterRuleParser.Parse(words);
        Require((change is null) != (error is null), "a line gave both or neither of a change and an error");
        if (change is not null)
        {
            Parsed++;
            if (change.Rule is { } rule)
                RequireRoundTrip(change, rule);
            _filters.Apply(change);
            _matchers[(int)change.Filter] = _filters[change.Filter].Compile(_addresses);
        }
        else
        {
            Refused++;
        }

        for (int i = 0; i < _matchers.Length; i++)
        {
            var verdict = _matchers[i].Evaluate(packet);
            if (verdict.Permitted)
                Permitted++;
            else
                Denied++;
            if (verdict.Decision is FilterDecision.PermittedByRule or FilterDecision.DeniedByRule)
            {
                var decided = _filters.All[i].Rules[verdict.Rule];
                Require(decided is not null, "a verdict names a rule that is not set");
                Require(decided!.Action == (verdict.Permitted ? FilterActionKind.Permit : FilterActionKind.Deny), "a verdict disagrees with its rule's action");
            }
            else
            {
                Require(verdict.Rule == -1 || verdict.Decision == FilterDecision.DeniedMalformed, "a verdict without a deciding rule names one");
            }
        }
    }

    private static void RequireRoundTrip(FilterChange change, FilterRule rule)
    {
        string[] again = [Names[(int)change.Filter], change.RuleNumber.ToString(CultureInfo.InvariantCulture), .. rule.Format().Split(' ')];
        var (parsed, error) = FilterRuleParser.Parse(again);
        Require(error is null && parsed!.Rule == rule, $"\"{rule.Format()}\" does not parse back to itself ({error})");
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
            throw new InvalidOperationException("filter invariant broken: " + what);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static FilterAddresses RandomAddresses(Random random)
    {
        IPAddress? V4() => random.Next(4) == 0 ? null : IPAddress.Parse(Pick(random, V4Pool[..4]));
        IPAddress? V6() => random.Next(4) == 0 ? null : IPAddress.Parse(Pick(random, V6Pool[..4]));
        return new FilterAddresses(V4(), V4(), V6(), V6(), V4(), V4());
    }

    public static string[] RuleWords(Random random)
    {
        var words = new List<string> { random.Next(50) == 0 ? Pick(random, Junk) : Pick(random, Names) };
        int rule = random.Next(3) == 0 ? random.Next(4) : random.Next(40);
        if (random.Next(40) == 0)
        {
            words.Add("-1");
            return Damage(random, words);
        }
        words.Add(rule.ToString(CultureInfo.InvariantCulture));
        switch (random.Next(10))
        {
            case 0: words.Add("clear"); return Damage(random, words);
            case 1 or 2 or 3: words.Add("permit"); break;
            case 4 or 5 or 6: words.Add("deny"); break;
            default: words.Add(rule < 39 ? random.Next(rule + 1, 40).ToString(CultureInfo.InvariantCulture) : "deny"); break;
        }
        if (random.Next(4) == 0)
            words.Add("!");
        if (random.Next(3) != 0)
        {
            words.Add(RandomAddress(random));
            if (random.Next(2) == 0)
                words.Add(RandomAddress(random));
        }
        if (random.Next(3) != 0)
        {
            string protocol = Pick(random, Protocols);
            words.Add(protocol);
            if (protocol is "tcp" or "udp")
            {
                if (random.Next(2) == 0)
                    words.AddRange(["src", Pick(random, ["lt", "eq", "gt"]), RandomPort(random)]);
                if (random.Next(2) == 0)
                    words.AddRange(["dst", Pick(random, ["lt", "eq", "gt"]), RandomPort(random)]);
                if (protocol == "tcp")
                {
                    foreach (string flag in (string[])["estab", "syn", "finrst"])
                    {
                        if (random.Next(4) == 0)
                            words.Add(flag);
                    }
                }
            }
            else if (protocol is "icmp" or "icmp6" && random.Next(2) == 0)
            {
                words.AddRange(["src", Pick(random, ["lt", "eq", "gt"]), random.Next(256).ToString(CultureInfo.InvariantCulture)]);
            }
        }
        if (random.Next(6) == 0)
            words.AddRange(["timeout", random.Next(10_000).ToString(CultureInfo.InvariantCulture)]);
        return Damage(random, words);
    }

    private static string RandomPort(Random random) => random.Next(8) switch
    {
        0 => Pick(random, ["http", "https", "domain", "ntp", "ssh"]),
        1 => random.Next(65536).ToString(CultureInfo.InvariantCulture),
        _ => Pick(random, ["53", "80", "443", "1023", "1024", "0", "65535"]),
    };

    private static string RandomAddress(Random random)
    {
        string address = random.Next(3) switch
        {
            0 => Pick(random, V4Pool),
            1 => Pick(random, V6Pool),
            _ => Pick(random, Symbols),
        };
        if (address != "any" && random.Next(2) == 0)
            address += "/" + random.Next(address.Contains(':', StringComparison.Ordinal) || address.EndsWith('6') ? 129 : 33).ToString(CultureInfo.InvariantCulture);
        return address;
    }

    private static string[] Damage(Random random, List<string> words)
    {
        if (random.Next(8) != 0)
            return [.. words];
        int at = random.Next(words.Count);
        switch (random.Next(4))
        {
            case 0: words[at] = Pick(random, Junk); break;
            case 1: words.RemoveAt(at); break;
            case 2: words.Insert(at, words[at]); break;
            default:
                int other = random.Next(words.Count);
                (words[at], words[other]) = (words[other], words[at]);
                break;
        }
        return [.. words];
    }

    /// <summary>A valid IPv4 or IPv6 packet from the address pools, sometimes with options, extension headers or a fragment offset.</summary>
    public static byte[] RandomPacket(Random random)
    {
        bool v6 = random.Next(5) < 2;
        byte protocol = Pick(random, ProtocolNumbers);
        var transport = new byte[protocol == 6 ? 20 + (4 * random.Next(11)) : 8 + random.Next(40)];
        random.NextBytes(transport);
        if (protocol == 6)
            transport[12] = (byte)((transport.Length / 4) << 4);
        if (protocol is 6 or 17)
            BinaryPrimitives.WriteUInt16BigEndian(transport.AsSpan(2), ushort.Parse(Pick(random, ["53", "80", "443", "1023", "1024"]), CultureInfo.InvariantCulture));
        int fragment = random.Next(8) == 0 ? random.Next(8192) : 0;
        return v6 ? Ipv6(random, protocol, transport, fragment) : Ipv4(random, protocol, transport, fragment);
    }

    private static byte[] Ipv4(Random random, byte protocol, byte[] transport, int fragment)
    {
        int headerLength = 20 + (random.Next(4) == 0 ? 4 * random.Next(11) : 0);
        var packet = new byte[headerLength + transport.Length];
        packet[0] = (byte)(0x40 | (headerLength / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)fragment);
        packet[9] = protocol;
        IPAddress.Parse(Pick(random, V4Pool)).TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Parse(Pick(random, V4Pool)).TryWriteBytes(packet.AsSpan(16), out _);
        transport.CopyTo(packet, headerLength);
        return packet;
    }

    private static byte[] Ipv6(Random random, byte protocol, byte[] transport, int fragment)
    {
        var rest = new List<byte>();
        byte[] types = [.. Enumerable.Range(0, random.Next(4) == 0 ? random.Next(10) : 0).Select(_ => Pick(random, (byte[])[0, 43, 60, 51, 44]))];
        if (fragment != 0 && !types.Contains((byte)44))
            types = [.. types, 44];
        for (int i = 0; i < types.Length; i++)
        {
            byte next = i + 1 < types.Length ? types[i + 1] : protocol;
            int units = random.Next(3);
            var header = types[i] switch
            {
                44 => new byte[8],
                51 => new byte[(units + 2) * 4],
                _ => new byte[(units + 1) * 8],
            };
            header[0] = next;
            header[1] = types[i] switch { 44 => 0, 51 => (byte)units, _ => (byte)units };
            if (types[i] == 44)
                BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(fragment << 3));
            rest.AddRange(header);
        }
        rest.AddRange(transport);
        var packet = new byte[40 + rest.Count];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)rest.Count);
        packet[6] = types.Length > 0 ? types[0] : protocol;
        IPAddress.Parse(Pick(random, V6Pool)).TryWriteBytes(packet.AsSpan(8), out _);
        IPAddress.Parse(Pick(random, V6Pool)).TryWriteBytes(packet.AsSpan(24), out _);
        rest.CopyTo(packet, 40);
        return packet;
    }
}
