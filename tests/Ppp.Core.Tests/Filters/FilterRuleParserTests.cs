using System.Net;
using NUnit.Framework;
using Ppp.Core.Filters;

namespace Ppp.Core.Tests.Filters;

[TestFixture]
public sealed class FilterRuleParserTests
{
    private static FilterChange Change(string line)
    {
        var (change, error) = FilterRuleParser.Parse(line.Split(' '));
        Assert.That(error, Is.Null, line);
        return change!;
    }

    private static FilterRule Rule(string line) => Change(line).Rule!;

    private static string Error(string line)
    {
        var (change, error) = FilterRuleParser.Parse(line.Split(' '));
        Assert.That(change, Is.Null, line);
        return error!;
    }

    [Test]
    public void Parse_ActionAlone_MatchesEverything()
    {
        var change = Change("in 0 permit");
        Assert.That(change.Filter, Is.EqualTo(FilterName.In));
        Assert.That(change.RuleNumber, Is.Zero);
        Assert.That(change.Rule, Is.EqualTo(new FilterRule { Action = FilterActionKind.Permit }));
    }

    [TestCase("in", FilterName.In)]
    [TestCase("OUT", FilterName.Out)]
    [TestCase("dial", FilterName.Dial)]
    [TestCase("alive", FilterName.Alive)]
    public void Parse_EachFilterName_IsRecognised(string name, FilterName expected) =>
        Assert.That(Change($"{name} 39 deny").Filter, Is.EqualTo(expected));

    [Test]
    public void Parse_SourceAndDestinationWithWidths_AreKept()
    {
        var rule = Rule("out 3 deny 10.1.0.0/16 192.168.1.7");
        Assert.That(rule.Action, Is.EqualTo(FilterActionKind.Deny));
        Assert.That(rule.Source, Is.EqualTo(new FilterAddress(FilterAddressKind.Literal, IPAddress.Parse("10.1.0.0"), 16)));
        Assert.That(rule.Destination, Is.EqualTo(new FilterAddress(FilterAddressKind.Literal, IPAddress.Parse("192.168.1.7"), 32)));
        Assert.That(rule.Protocol, Is.Zero);
    }

    [TestCase("0.0.0.0", 0)]
    [TestCase("0.0.0.0/8", 8)]
    [TestCase("::", 0)]
    [TestCase("2001:db8::1", 128)]
    [TestCase("fe80::/10", 10)]
    [TestCase("10.0.0.1/0", 0)]
    public void Parse_AddressWidth_DefaultsAsPppDoes(string word, int width) =>
        Assert.That(Rule($"in 0 permit {word}").Source.Width, Is.EqualTo(width));

    [TestCase("MYADDR", FilterAddressKind.MyAddr, 32)]
    [TestCase("hisaddr/24", FilterAddressKind.HisAddr, 24)]
    [TestCase("MYADDR6", FilterAddressKind.MyAddr6, 128)]
    [TestCase("HISADDR6/64", FilterAddressKind.HisAddr6, 64)]
    [TestCase("DNS0", FilterAddressKind.Dns0, 32)]
    [TestCase("DNS1", FilterAddressKind.Dns1, 32)]
    [TestCase("any", FilterAddressKind.Any, 0)]
    public void Parse_Symbols_AreKeptForBinding(string word, FilterAddressKind kind, int width)
    {
        var rule = Rule($"in 0 permit 10.0.0.1 {word}");
        Assert.That(rule.Destination.Kind, Is.EqualTo(kind));
        Assert.That(rule.Destination.Width, Is.EqualTo(width));
    }

    [TestCase("tcp", 6)]
    [TestCase("udp", 17)]
    [TestCase("icmp", 1)]
    [TestCase("icmp6", 58)]
    [TestCase("igmp", 2)]
    [TestCase("ipip", 4)]
    [TestCase("ospf", 89)]
    [TestCase("gre", 47)]
    [TestCase("any", 0)]
    [TestCase("TCP", 6)]
    public void Parse_ProtocolWithoutAddresses_IsTheProtocol(string word, int number)
    {
        var rule = Rule($"in 0 permit {word}");
        Assert.That(rule.Protocol, Is.EqualTo(number));
        Assert.That(rule.Source, Is.EqualTo(FilterAddress.Any));
    }

    [Test]
    public void Parse_ProtocolAfterOneAddress_EndsTheAddresses()
    {
        var rule = Rule("in 0 permit MYADDR udp");
        Assert.That(rule.Source.Kind, Is.EqualTo(FilterAddressKind.MyAddr));
        Assert.That(rule.Destination, Is.EqualTo(FilterAddress.Any));
        Assert.That(rule.Protocol, Is.EqualTo(17));
    }

    [Test]
    public void Parse_TcpPortsAndFlags_AllKept()
    {
        var rule = Rule("in 5 permit 0.0.0.0/0 MYADDR tcp src gt 1023 dst eq 80 estab syn finrst timeout 600");
        Assert.That(rule.SourceOperator, Is.EqualTo(PortOperator.Gt));
        Assert.That(rule.SourcePort, Is.EqualTo(1023));
        Assert.That(rule.DestinationOperator, Is.EqualTo(PortOperator.Eq));
        Assert.That(rule.DestinationPort, Is.EqualTo(80));
        Assert.That(rule.Established && rule.Syn && rule.FinRst, Is.True);
        Assert.That(rule.Timeout, Is.EqualTo(600));
    }

    [TestCase("in 0 permit tcp dst eq https", PortOperator.Eq, 443)]
    [TestCase("in 0 permit udp dst lt domain", PortOperator.Lt, 53)]
    [TestCase("in 0 permit tcp dst gt 0", PortOperator.Gt, 0)]
    [TestCase("in 0 permit udp src eq 123 dst eq ntp", PortOperator.Eq, 123)]
    public void Parse_DestinationPort_ByNumberOrName(string line, PortOperator op, int port)
    {
        var rule = Rule(line);
        Assert.That(rule.DestinationOperator, Is.EqualTo(op));
        Assert.That(rule.DestinationPort, Is.EqualTo(port));
    }

    [TestCase("in 0 permit icmp src eq 8", 1, PortOperator.Eq, 8)]
    [TestCase("in 0 permit icmp6 src gt 127", 58, PortOperator.Gt, 127)]
    [TestCase("in 0 permit icmp", 1, PortOperator.None, 0)]
    public void Parse_IcmpType_TakesThePlaceOfTheSourcePort(string line, int protocol, PortOperator op, int type)
    {
        var rule = Rule(line);
        Assert.That(rule.Protocol, Is.EqualTo(protocol));
        Assert.That(rule.SourceOperator, Is.EqualTo(op));
        Assert.That(rule.SourcePort, Is.EqualTo(type));
    }

    [Test]
    public void Parse_BangAfterAction_Inverts() => Assert.That(Rule("alive 1 deny ! udp dst eq 53").Invert, Is.True);

    [Test]
    public void Parse_RuleNumberAction_IsAForwardJump()
    {
        var rule = Rule("in 2 7 ! 10.0.0.0/8");
        Assert.That(rule.Action, Is.EqualTo(FilterActionKind.Jump));
        Assert.That(rule.JumpTarget, Is.EqualTo(7));
        Assert.That(rule.Invert, Is.True);
    }

    [Test]
    public void Parse_Clear_RemovesOneRule()
    {
        var change = Change("dial 4 clear");
        Assert.That(change.RuleNumber, Is.EqualTo(4));
        Assert.That(change.Rule, Is.Null);
    }

    [Test]
    public void Parse_MinusOne_ClearsTheFilter() => Assert.That(Change("out -1"), Is.EqualTo(new FilterChange(FilterName.Out, -1, null)));

    [Test]
    public void Parse_TimeoutWithoutProtocol_IsKept() => Assert.That(Rule("alive 0 permit timeout 30").Timeout, Is.EqualTo(30));

    [TestCase("in 0 permit")]
    [TestCase("in 0 deny ! any any")]
    [TestCase("out 3 deny 10.1.0.0/16 192.168.1.7")]
    [TestCase("in 1 permit MYADDR HISADDR/24 tcp src gt 1023 dst eq 80 estab syn finrst timeout 600")]
    [TestCase("in 1 9 MYADDR6 fe80::/10 icmp6 src eq 135")]
    [TestCase("dial 0 permit any DNS0 udp dst eq 53")]
    [TestCase("dial 1 deny DNS1/24 any igmp")]
    [TestCase("alive 2 permit 0.0.0.0 ::/0 ipip")]
    [TestCase("alive 2 permit 0.0.0.0/32 ::/128 ipip")]
    [TestCase("alive 3 permit HISADDR6 any ospf timeout 10")]
    [TestCase("in 4 deny any any gre")]
    [TestCase("in 5 permit any any udp src lt 1024")]
    public void Format_ParsedAgain_GivesTheSameRule(string line)
    {
        var rule = Rule(line);
        string[] words = ["in", "0", .. rule.Format().Split(' ')];
        if (rule.Action == FilterActionKind.Jump)
            words[1] = "1";
        var (again, error) = FilterRuleParser.Parse(words);
        Assert.That(error, Is.Null, rule.Format());
        Assert.That(again!.Rule, Is.EqualTo(rule), rule.Format());
    }

    [Test]
    public void Format_ShowsRuleAsTyped() =>
        Assert.That(Rule("in 1 permit ! MYADDR 10.0.0.0/8 tcp dst eq www estab timeout 5").Format(),
            Is.EqualTo("permit ! MYADDR 10.0.0.0/8 tcp dst eq 80 estab timeout 5"));

    [TestCase("in", "a filter name and a rule number")]
    [TestCase("inbound 0 permit", "\"inbound\" is not a filter")]
    [TestCase("in 40 permit", "\"40\" is not a rule number")]
    [TestCase("in x permit", "\"x\" is not a rule number")]
    [TestCase("in -2 permit", "\"-2\" is not a rule number")]
    [TestCase("in 0", "rule 0: an action is expected")]
    [TestCase("in 0 allow", "\"allow\" is not an action")]
    [TestCase("in 3 3 tcp", "\"3\": rule 3 can only jump forward")]
    [TestCase("in 5 2 tcp", "\"2\": rule 5 can only jump forward")]
    [TestCase("in 0 40 tcp", "\"40\" is not an action")]
    [TestCase("in 0 permit 10.0.0.300", "\"10.0.0.300\" is not an address")]
    [TestCase("in 0 permit 10.0.0.1/33", "\"10.0.0.1/33\": the width after / must be 0 to 32")]
    [TestCase("in 0 permit ::1/129", "\"::1/129\": the width after / must be 0 to 128")]
    [TestCase("in 0 permit MYADDR/x", "\"MYADDR/x\": the width")]
    [TestCase("in 0 permit 1.2.3.4 5.6.7.8 tcpx", "\"tcpx\" is not a protocol")]
    [TestCase("in 0 permit tcp src ne 80", "\"ne\" is not lt, eq or gt")]
    [TestCase("in 0 permit tcp src eq", "src eq: a port is expected")]
    [TestCase("in 0 permit tcp dst", "dst: lt, eq or gt is expected")]
    [TestCase("in 0 permit tcp dst eq 65536", "\"65536\" is not a port")]
    [TestCase("in 0 permit tcp dst eq gopher", "\"gopher\" is not a port")]
    [TestCase("in 0 permit icmp src eq 256", "\"256\" is not an ICMP type")]
    [TestCase("in 0 permit icmp dst eq 1", "\"dst\" is not expected after icmp")]
    [TestCase("in 0 permit udp estab", "\"estab\" is not expected after udp")]
    [TestCase("in 0 permit igmp src eq 1", "\"src\" is not expected after igmp")]
    [TestCase("in 0 permit tcp dst eq 80 src eq 1", "\"src\" is not expected after tcp")]
    [TestCase("in 0 permit tcp timeout 5 estab", "\"timeout\": timeout must be the last two words")]
    [TestCase("in 0 permit tcp timeout x", "\"x\" is not a number of seconds")]
    [TestCase("in -1 now", "\"now\": nothing may follow -1")]
    [TestCase("in 0 clear tcp", "\"tcp\": nothing may follow clear")]
    public void Parse_BadRule_NamesTheWord(string line, string expected) =>
        Assert.That(Error(line), Does.StartWith(expected));
}
