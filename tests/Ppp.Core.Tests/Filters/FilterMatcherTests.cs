using System.Net;
using NUnit.Framework;
using Ppp.Core.Filters;
using static Ppp.Core.Tests.Filters.Packets;

namespace Ppp.Core.Tests.Filters;

[TestFixture]
public sealed class FilterMatcherTests
{
    private static readonly FilterAddresses s_link = new(
        MyAddress: IPAddress.Parse("10.0.0.1"), HisAddress: IPAddress.Parse("10.0.0.2"),
        MyAddress6: IPAddress.Parse("fe80::1"), HisAddress6: IPAddress.Parse("fe80::2"),
        Dns0: IPAddress.Parse("192.0.2.53"), Dns1: IPAddress.Parse("198.51.100.53"));

    private static readonly byte[] s_web = V4("10.0.0.1", "93.184.216.34", 6, Tcp(40000, 80, Syn));
    private static readonly byte[] s_dns = V4("10.0.0.1", "192.0.2.53", 17, Udp(5353, 53));
    private static readonly byte[] s_ping = V4("10.0.0.1", "10.0.0.2", 1, Icmp(8));
    private static readonly byte[] s_web6 = V6("2001:db8::1", "2001:db8::80", 6, Tcp(40000, 443, Ack));

    /// <summary>A filter built from <c>set filter</c> lines, each "N action ...", compiled against <paramref name="addresses"/>.</summary>
    private static FilterMatcher Filter(FilterName name, FilterAddresses? addresses, params string[] rules)
    {
        var filter = new PacketFilter(name);
        foreach (string rule in rules)
        {
            var (change, error) = FilterRuleParser.Parse([FilterRuleParser.FilterNames[(int)name], .. rule.Split(' ')]);
            Assert.That(error, Is.Null, rule);
            filter.Set(change!.RuleNumber, change.Rule);
        }
        return filter.Compile(addresses ?? s_link);
    }

    private static FilterMatcher In(params string[] rules) => Filter(FilterName.In, null, rules);

    private static FilterDecision Decide(FilterMatcher filter, byte[] packet) => filter.Evaluate(packet).Decision;

    [Test]
    public void Evaluate_NoRules_PassesEverythingEvenGarbage()
    {
        var filter = In();
        Assert.That(filter.PassesEverything, Is.True);
        Assert.That(Decide(filter, s_web), Is.EqualTo(FilterDecision.PermittedNoRules));
        Assert.That(Decide(filter, [0xff, 0x00]), Is.EqualTo(FilterDecision.PermittedNoRules));
    }

    [Test]
    public void Evaluate_RulesButNoRuleZero_PassesEverything()
    {
        var filter = In("1 deny", "2 deny tcp");
        Assert.That(Decide(filter, s_web), Is.EqualTo(FilterDecision.PermittedNoRules));
    }

    [Test]
    public void Evaluate_NothingDecides_ImplicitDeny()
    {
        var filter = In("0 permit udp");
        Assert.That(filter.Evaluate(s_dns), Is.EqualTo(new FilterVerdict(FilterDecision.PermittedByRule, 0, 0)));
        Assert.That(filter.Evaluate(s_web), Is.EqualTo(new FilterVerdict(FilterDecision.DeniedNoMatch, -1, 0)));
        Assert.That(filter.Evaluate(s_web).Permitted, Is.False);
    }

    [Test]
    public void Evaluate_FirstRuleThatActs_Decides()
    {
        var filter = In("0 deny tcp dst eq 80", "1 permit tcp", "2 permit");
        Assert.That(filter.Evaluate(s_web).Rule, Is.EqualTo(0));
        Assert.That(Decide(filter, s_web), Is.EqualTo(FilterDecision.DeniedByRule));
        Assert.That(filter.Evaluate(s_web6).Rule, Is.EqualTo(1));
        Assert.That(filter.Evaluate(s_ping).Rule, Is.EqualTo(2));
    }

    [TestCase("0 permit 10.0.0.0/8", true)]
    [TestCase("0 permit 10.0.0.1", true)]
    [TestCase("0 permit 10.0.0.2", false)]
    [TestCase("0 permit 11.0.0.0/8", false)]
    [TestCase("0 permit 0.0.0.0", true)]
    [TestCase("0 permit 10.0.0.7/0", true)]
    [TestCase("0 permit any 93.184.0.0/16", true)]
    [TestCase("0 permit any 93.184.216.35", false)]
    [TestCase("0 permit 10.0.0.1 93.184.216.34 tcp", true)]
    [TestCase("0 permit 10.0.0.1 93.184.216.34 udp", false)]
    [TestCase("0 permit ::/0", false)]
    public void Evaluate_Ipv4Addresses_MatchByPrefix(string rule, bool permitted) =>
        Assert.That(In(rule).Evaluate(s_web).Permitted, Is.EqualTo(permitted));

    [TestCase("0 permit 2001:db8::/32", true)]
    [TestCase("0 permit 2001:db8::1", true)]
    [TestCase("0 permit 2001:db9::/32", false)]
    [TestCase("0 permit ::", true)]
    [TestCase("0 permit any 2001:db8::80/127", true)]
    [TestCase("0 permit any 2001:db8::82/127", false)]
    [TestCase("0 permit 0.0.0.0/0", false)]
    [TestCase("0 permit any any tcp dst eq 443 estab", true)]
    public void Evaluate_Ipv6Addresses_MatchByPrefix(string rule, bool permitted) =>
        Assert.That(In(rule).Evaluate(s_web6).Permitted, Is.EqualTo(permitted));

    [TestCase("lt", 80, false)]
    [TestCase("lt", 81, true)]
    [TestCase("eq", 80, true)]
    [TestCase("eq", 79, false)]
    [TestCase("gt", 79, true)]
    [TestCase("gt", 80, false)]
    public void Evaluate_DestinationPortComparison_AtTheBoundary(string op, int port, bool permitted) =>
        Assert.That(In($"0 permit tcp dst {op} {port}").Evaluate(s_web).Permitted, Is.EqualTo(permitted));

    [TestCase("src gt 39999", true)]
    [TestCase("src lt 40000", false)]
    [TestCase("src eq 40000 dst eq 80", true)]
    [TestCase("src eq 40000 dst eq 81", false)]
    public void Evaluate_SourcePort_IsCompared(string ports, bool permitted) =>
        Assert.That(In($"0 permit tcp {ports}").Evaluate(s_web).Permitted, Is.EqualTo(permitted));

    [TestCase(Syn, "syn", true)]
    [TestCase(Syn, "estab", false)]
    [TestCase(Syn | Ack, "estab syn", true)]
    [TestCase(Ack, "estab", true)]
    [TestCase(Fin | Ack, "finrst", true)]
    [TestCase(Rst, "finrst", true)]
    [TestCase(Ack, "finrst", false)]
    [TestCase(Rst, "estab finrst", false)]
    public void Evaluate_TcpFlags_AllNamedMustBeSet(byte flags, string words, bool permitted)
    {
        var packet = V4("10.0.0.1", "10.0.0.2", 6, Tcp(1, 2, flags));
        Assert.That(In($"0 permit tcp {words}").Evaluate(packet).Permitted, Is.EqualTo(permitted));
    }

    [Test]
    public void Evaluate_UdpPorts_AreCompared()
    {
        var filter = In("0 permit udp src gt 1023 dst eq domain");
        Assert.That(filter.Evaluate(s_dns).Permitted, Is.True);
        Assert.That(filter.Evaluate(V4("10.0.0.1", "192.0.2.53", 17, Udp(53, 53))).Permitted, Is.False);
    }

    [TestCase("0 permit icmp src eq 8", true)]
    [TestCase("0 permit icmp src eq 0", false)]
    [TestCase("0 permit icmp src lt 9", true)]
    [TestCase("0 permit icmp", true)]
    [TestCase("0 permit icmp6", false)]
    public void Evaluate_IcmpType_IsTheSourcePort(string rule, bool permitted) =>
        Assert.That(In(rule).Evaluate(s_ping).Permitted, Is.EqualTo(permitted));

    [Test]
    public void Evaluate_Icmp6Type_IsTheSourcePort()
    {
        var echo6 = V6("fe80::1", "fe80::2", 58, Icmp(128));
        Assert.That(In("0 permit icmp6 src eq 128").Evaluate(echo6).Permitted, Is.True);
        Assert.That(In("0 permit icmp6 src eq 129").Evaluate(echo6).Permitted, Is.False);
        Assert.That(In("0 permit icmp").Evaluate(echo6).Permitted, Is.False);
    }

    [TestCase(2, "igmp")]
    [TestCase(4, "ipip")]
    [TestCase(89, "ospf")]
    [TestCase(47, "gre")]
    public void Evaluate_OtherProtocols_MatchByNumber(int protocol, string name)
    {
        var packet = V4("10.0.0.1", "224.0.0.5", (byte)protocol, new byte[20]);
        Assert.That(In($"0 permit {name}").Evaluate(packet).Permitted, Is.True);
        Assert.That(In("0 permit tcp").Evaluate(packet).Permitted, Is.False);
        Assert.That(In("0 permit any").Evaluate(packet).Permitted, Is.True);
    }

    [Test]
    public void Evaluate_Bang_InvertsTheMatch()
    {
        var filter = In("0 deny ! tcp dst eq 80", "1 permit");
        Assert.That(Decide(filter, s_web), Is.EqualTo(FilterDecision.PermittedByRule));
        Assert.That(Decide(filter, s_dns), Is.EqualTo(FilterDecision.DeniedByRule));
    }

    [Test]
    public void Evaluate_Jump_SkipsTheRulesBetween()
    {
        // Web traffic jumps over the deny of rule 1; everything else is denied there.
        var filter = In("0 5 tcp dst eq 80", "1 deny", "5 permit 10.0.0.0/8", "6 deny");
        Assert.That(filter.Evaluate(s_web), Is.EqualTo(new FilterVerdict(FilterDecision.PermittedByRule, 5, 0)));
        Assert.That(filter.Evaluate(s_dns), Is.EqualTo(new FilterVerdict(FilterDecision.DeniedByRule, 1, 0)));
    }

    [Test]
    public void Evaluate_JumpToUnsetRule_GoesOnAtTheNextSetOne()
    {
        var filter = In("0 7 tcp", "1 deny", "9 permit");
        Assert.That(filter.Evaluate(s_web).Rule, Is.EqualTo(9));
    }

    [Test]
    public void Evaluate_JumpPastTheLastRule_IsTheImplicitDeny()
    {
        var filter = In("0 30 tcp", "1 permit");
        Assert.That(filter.Evaluate(s_web), Is.EqualTo(new FilterVerdict(FilterDecision.DeniedNoMatch, -1, 0)));
        Assert.That(filter.Evaluate(s_dns).Rule, Is.EqualTo(1));
    }

    [Test]
    public void Evaluate_InvertedJump_JumpsWhenTheConditionFails()
    {
        var filter = In("0 2 ! udp", "1 permit", "2 deny");
        Assert.That(Decide(filter, s_web), Is.EqualTo(FilterDecision.DeniedByRule));
        Assert.That(Decide(filter, s_dns), Is.EqualTo(FilterDecision.PermittedByRule));
    }

    [Test]
    public void Evaluate_Timeout_ComesWithThePermit()
    {
        var filter = Filter(FilterName.Alive, null, "0 permit tcp timeout 600", "1 permit");
        Assert.That(filter.Evaluate(s_web), Is.EqualTo(new FilterVerdict(FilterDecision.PermittedByRule, 0, 600)));
        Assert.That(filter.Evaluate(s_dns).Timeout, Is.Zero);
    }

    [Test]
    public void Evaluate_Symbols_AreTheBoundAddresses()
    {
        Assert.That(In("0 permit MYADDR HISADDR icmp").Evaluate(s_ping).Permitted, Is.True);
        Assert.That(In("0 permit HISADDR").Evaluate(s_ping).Permitted, Is.False);
        Assert.That(In("0 permit any DNS0 udp dst eq 53").Evaluate(s_dns).Permitted, Is.True);
        Assert.That(In("0 permit any DNS1").Evaluate(s_dns).Permitted, Is.False);
        Assert.That(In("0 permit MYADDR/24 HISADDR/8").Evaluate(s_ping).Permitted, Is.True);
        var v6 = V6("fe80::1", "fe80::2", 58, Icmp(128));
        Assert.That(In("0 permit MYADDR6 HISADDR6 icmp6").Evaluate(v6).Permitted, Is.True);
        Assert.That(In("0 permit HISADDR6").Evaluate(v6).Permitted, Is.False);
        Assert.That(In("0 permit MYADDR").Evaluate(v6).Permitted, Is.False);
    }

    [Test]
    public void Evaluate_SymbolWithoutAddress_MatchesNothing()
    {
        var filter = Filter(FilterName.In, FilterAddresses.None, "0 deny HISADDR", "1 deny ! MYADDR", "2 permit");
        // Rule 0 cannot match; rule 1's condition cannot hold, so its inversion does: deny.
        Assert.That(filter.Evaluate(s_ping), Is.EqualTo(new FilterVerdict(FilterDecision.DeniedByRule, 1, 0)));
    }

    [Test]
    public void Compile_AfterAddressesChange_FollowsThem()
    {
        var filter = new PacketFilter(FilterName.Out);
        var (change, _) = FilterRuleParser.Parse("out 0 permit MYADDR".Split(' '));
        filter.Set(0, change!.Rule);
        Assert.That(filter.Compile(s_link with { MyAddress = IPAddress.Parse("10.9.9.9") }).Evaluate(s_web).Permitted, Is.False);
        Assert.That(filter.Compile(s_link).Evaluate(s_web).Permitted, Is.True);
    }

    [Test]
    public void Evaluate_Ipv4Options_PortsReadAfterThem()
    {
        var packet = V4("10.0.0.1", "10.0.0.2", 6, Tcp(1234, 22, Syn), options: [0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00]);
        Assert.That(In("0 permit tcp dst eq 22 syn").Evaluate(packet).Permitted, Is.True);
        Assert.That(In("0 permit tcp dst eq 1234").Evaluate(packet).Permitted, Is.False);
    }

    [Test]
    public void Evaluate_TcpWithOptions_DataOffsetInsideThePacket()
    {
        var packet = V4("10.0.0.1", "10.0.0.2", 6, Tcp(1234, 22, Syn, dataOffsetWords: 10));
        Assert.That(In("0 permit tcp dst eq 22").Evaluate(packet).Permitted, Is.True);
    }

    [Test]
    public void Evaluate_FirstFragment_JudgedByItsHeaders()
    {
        var packet = V4("10.0.0.1", "10.0.0.2", 17, Udp(1000, 53), moreFragments: true);
        Assert.That(Filter(FilterName.Dial, null, "0 permit udp dst eq 53").Evaluate(packet).Permitted, Is.True);
    }

    [TestCase(FilterName.In, FilterDecision.PermittedFragment)]
    [TestCase(FilterName.Out, FilterDecision.PermittedFragment)]
    [TestCase(FilterName.Dial, FilterDecision.DeniedFragment)]
    [TestCase(FilterName.Alive, FilterDecision.DeniedFragment)]
    public void Evaluate_LaterIpv4Fragment_PassesInAndOutOnly(FilterName name, FilterDecision expected)
    {
        var packet = V4("10.0.0.1", "10.0.0.2", 17, new byte[100], fragmentOffset: 185);
        Assert.That(Decide(Filter(name, null, "0 deny udp dst eq 53", "1 permit udp"), packet), Is.EqualTo(expected));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Evaluate_FragmentOverwritingTheTransportHeader_IsDenied(int offset)
    {
        var packet = V4("10.0.0.1", "10.0.0.2", 6, new byte[40], fragmentOffset: offset);
        Assert.That(Decide(In("0 permit"), packet), Is.EqualTo(FilterDecision.DeniedFragment));
    }

    [Test]
    public void Evaluate_Ipv6ExtensionHeaders_WalkedToTheTransport()
    {
        var packet = V6("2001:db8::1", "2001:db8::2", 6, Tcp(5000, 22, Syn),
            (0, new byte[6]), (60, new byte[14]), (43, new byte[6]), (51, new byte[10]), Fragment6(0, more: true));
        Assert.That(In("0 permit tcp dst eq 22 syn").Evaluate(packet).Permitted, Is.True);
        Assert.That(In("0 permit tcp dst eq 23").Evaluate(packet).Permitted, Is.False);
    }

    [TestCase(FilterName.In, FilterDecision.PermittedFragment)]
    [TestCase(FilterName.Alive, FilterDecision.DeniedFragment)]
    public void Evaluate_LaterIpv6Fragment_DecidedAsForIpv4(FilterName name, FilterDecision expected)
    {
        var packet = V6("2001:db8::1", "2001:db8::2", 17, new byte[64], Fragment6(100));
        Assert.That(Decide(Filter(name, null, "0 deny"), packet), Is.EqualTo(expected));
    }

    [Test]
    public void Evaluate_TooManyIpv6ExtensionHeaders_Malformed()
    {
        var extensions = Enumerable.Range(0, 9).Select(_ => ((byte)60, new byte[6])).ToArray();
        var packet = V6("2001:db8::1", "2001:db8::2", 6, Tcp(1, 2), extensions);
        Assert.That(Decide(In("0 permit"), packet), Is.EqualTo(FilterDecision.DeniedMalformed));
        Assert.That(Decide(In("0 permit"), V6("2001:db8::1", "2001:db8::2", 6, Tcp(1, 2), extensions[..8])), Is.EqualTo(FilterDecision.PermittedByRule));
    }

    [Test]
    public void Evaluate_ShortTransport_DeniedOnceAProtocolRuleIsReached()
    {
        var shortTcp = V4("10.0.0.1", "10.0.0.2", 6, new byte[10]);
        Assert.That(Decide(In("0 permit 10.0.0.1"), shortTcp), Is.EqualTo(FilterDecision.PermittedByRule));
        Assert.That(Decide(In("0 permit udp"), shortTcp), Is.EqualTo(FilterDecision.DeniedMalformed));
        Assert.That(Decide(In("0 permit 11.0.0.0/8 tcp", "1 permit"), shortTcp), Is.EqualTo(FilterDecision.PermittedByRule),
            "a protocol rule whose addresses do not match does not read the transport header");
        var badOffset = V4("10.0.0.1", "10.0.0.2", 6, Tcp(1, 2, dataOffsetWords: 5)[..20]);
        badOffset[20 + 12] = 0xf0; // 60 octets of TCP header in a 20-octet payload
        Assert.That(Decide(In("0 permit tcp"), badOffset), Is.EqualTo(FilterDecision.DeniedMalformed));
    }

    [Test]
    public void Evaluate_DeclaredLengthShorterThanTheBuffer_TransportBoundedByIt()
    {
        var packet = V4("10.0.0.1", "10.0.0.2", 17, Udp(1, 53));
        var padded = packet.Concat(new byte[32]).ToArray();
        padded[3] = 24; // total length: header and 4 octets of UDP
        Assert.That(Decide(In("0 permit udp"), padded), Is.EqualTo(FilterDecision.DeniedMalformed));
    }

    private static IEnumerable<byte[]> Malformed()
    {
        yield return [];
        yield return [0x45];
        yield return [0x50, 0, 0, 20];
        yield return s_web[..19];
        var ihl4 = s_web.ToArray();
        ihl4[0] = 0x44;
        yield return ihl4;
        var ihlBeyond = s_web[..30].ToArray();
        ihlBeyond[0] = 0x4f;
        yield return ihlBeyond;
        var totalShort = s_web.ToArray();
        totalShort[2] = 0;
        totalShort[3] = 19;
        yield return totalShort;
        yield return s_web6[..39];
        var truncatedExtension = V6("::1", "::2", 6, [], (60, new byte[14]));
        yield return truncatedExtension[..44];
    }

    [TestCaseSource(nameof(Malformed))]
    public void Evaluate_MalformedIpHeader_DeniedNotThrown(byte[] packet) =>
        Assert.That(Decide(In("0 permit"), packet), Is.EqualTo(FilterDecision.DeniedMalformed));

    [Test]
    public void Evaluate_EveryTruncationOfEveryPacketShape_NeverThrows()
    {
        byte[][] shapes =
        [
            s_web, s_dns, s_ping, s_web6,
            V4("10.0.0.1", "10.0.0.2", 6, Tcp(1, 2, Syn, 15), options: new byte[40]),
            V6("::1", "::2", 58, Icmp(135), (0, new byte[6]), Fragment6(0), (60, new byte[22])),
            V6("::1", "::2", 17, Udp(1, 2), Fragment6(5, more: true)),
        ];
        var filters = Enum.GetValues<FilterName>().Select(n => Filter(n, null,
            "0 3 ! tcp src gt 1 dst lt 60000 estab syn finrst", "1 deny icmp src eq 8", "2 deny icmp6 src eq 1",
            "3 permit udp dst eq 53", "4 deny igmp", "5 deny 10.0.0.0/8 HISADDR6/64 gre", "6 permit MYADDR")).ToArray();
        foreach (var shape in shapes)
        {
            for (int length = 0; length <= shape.Length; length++)
            {
                foreach (var filter in filters)
                    Assert.DoesNotThrow(() => filter.Evaluate(shape.AsSpan(0, length)));
            }
        }
    }

    [Test]
    public void Evaluate_FortyRulesTenThousandPackets_AllocatesNothing()
    {
        var rules = Enumerable.Range(0, 39).Select(n => $"{n} deny 10.{n}.0.0/16 MYADDR6 tcp dst eq {n + 1} estab").Append("39 permit");
        var filter = In([.. rules]);
        byte[][] packets = [s_web, s_dns, s_ping, s_web6];
        // Warm up first: tier-up and on-stack replacement compile on this thread and allocate.
        int permitted = Judge(filter, packets, 10_000) + Judge(filter, packets, 10_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        permitted += Judge(filter, packets, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(permitted, Is.EqualTo(30_000), "every packet reaches rule 39");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining | System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int Judge(FilterMatcher filter, byte[][] packets, int count)
    {
        int permitted = 0;
        for (int i = 0; i < count; i++)
            permitted += filter.Evaluate(packets[i & 3]).Permitted ? 1 : 0;
        return permitted;
    }
}
