using System.Net;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Control;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Control.Tests.Core;

[TestFixture]
public sealed partial class MetricsFormatterTests
{
    private static readonly DateTimeOffset s_now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static BundleStatus LinkUp() => new()
    {
        Label = "isp",
        Mode = "dedicated",
        Phase = LinkPhase.Network,
        Device = "/dev/ttyUSB0",
        DeviceState = "open",
        CapturedAt = s_now,
        ConnectedSince = s_now.AddSeconds(-20),
        NetworkUpSince = s_now.AddSeconds(-12.5),
        LcpState = FsmState.Opened,
        Lcp = new LcpResult { OurMru = 1500, PeerMru = 1492 },
        IpcpState = FsmState.Opened,
        Ipcp = new IpcpResult(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1"), null, null, null, null),
        Ipv6cpState = FsmState.RequestSent,
        Hdlc = new HdlcCountersSnapshot(Frames: 40, BadFcs: 3, Runts: 1, Oversize: 0, Aborted: 2, BadAddressControl: 0, BadProtocol: 5),
        EchoRoundTrip = TimeSpan.FromMilliseconds(42.5),
        EchoRequestsSent = 7,
        EchoMisses = 1,
        PacketsReceived = 10,
        OctetsReceived = 1000,
        PacketsSent = 11,
        OctetsSent = 1100,
        ReceiveDropped = 4,
        TransmitDropped = 6,
        Reconnects = 2,
        DatalinkState = "open",
        Connects = 3,
        FailedDials = 4,
        DropsByCause = new Dictionary<string, int> { ["echo-timeout"] = 1, ["carrier-lost"] = 2 },
        LastUp = s_now.AddSeconds(-12.5),
        LastDown = s_now.AddSeconds(-60),
        NextAttemptAt = s_now.AddSeconds(30),
        InterfaceName = "ppp0",
        Server = new ServerStatus("tcp 127.0.0.1:3000", true, true, null, [new SessionInfo(1, "tcp (127.0.0.1:4000)", true)]),
        Metrics = new MetricsServerStatus("tcp 127.0.0.1:9100", true, null, [(200, 5), (404, 1)]) { Refused = 2 },
    };

    private static Dictionary<string, ExpositionFamily> Families(BundleStatus status) =>
        ExpositionParser.Parse(MetricsFormatter.Format(status)).ToDictionary(f => f.Name);

    private static double Value(Dictionary<string, ExpositionFamily> families, string name, string? label = null, string? value = null) =>
        families[name].Samples.Single(s => label is null || s.Label(label) == value).Value;

    [Test]
    public void Format_LinkUp_HasTheFiguresOfTheSnapshot()
    {
        var f = Families(LinkUp());
        Assert.Multiple(() =>
        {
            Assert.That(Value(f, "ppp_receive_bytes_total"), Is.EqualTo(1000));
            Assert.That(Value(f, "ppp_transmit_bytes_total"), Is.EqualTo(1100));
            Assert.That(Value(f, "ppp_receive_packets_total"), Is.EqualTo(10));
            Assert.That(Value(f, "ppp_transmit_packets_total"), Is.EqualTo(11));
            Assert.That(Value(f, "ppp_receive_dropped_packets_total"), Is.EqualTo(4));
            Assert.That(Value(f, "ppp_transmit_dropped_packets_total"), Is.EqualTo(6));
            Assert.That(Value(f, "ppp_hdlc_frames_total"), Is.EqualTo(40));
            Assert.That(Value(f, "ppp_hdlc_errors_total", "kind", "bad_fcs"), Is.EqualTo(3));
            Assert.That(Value(f, "ppp_hdlc_errors_total", "kind", "runt"), Is.EqualTo(1));
            Assert.That(Value(f, "ppp_hdlc_errors_total", "kind", "aborted"), Is.EqualTo(2));
            Assert.That(Value(f, "ppp_hdlc_errors_total", "kind", "bad_protocol"), Is.EqualTo(5));
            Assert.That(f["ppp_hdlc_errors_total"].Samples, Has.Count.EqualTo(6));
            Assert.That(Value(f, "ppp_lcp_echo_rtt_seconds"), Is.EqualTo(0.0425));
            Assert.That(Value(f, "ppp_lcp_echo_requests_total"), Is.EqualTo(7));
            Assert.That(Value(f, "ppp_lcp_echo_missed_periods"), Is.EqualTo(1));
            Assert.That(Value(f, "ppp_lcp_mru_bytes"), Is.EqualTo(1500));
            Assert.That(Value(f, "ppp_lcp_peer_mru_bytes"), Is.EqualTo(1492));
            Assert.That(Value(f, "ppp_reconnects_total"), Is.EqualTo(2));
            Assert.That(Value(f, "ppp_connects_total"), Is.EqualTo(3));
            Assert.That(Value(f, "ppp_failed_dials_total"), Is.EqualTo(4));
            Assert.That(f["ppp_drops_total"].Samples.Select(d => (d.Label("cause"), d.Value)), Is.EqualTo(new[] { ("carrier-lost", 2.0), ("echo-timeout", 1.0) }));
            Assert.That(Value(f, "ppp_last_up_timestamp_seconds"), Is.EqualTo(s_now.AddSeconds(-12.5).ToUnixTimeMilliseconds() / 1000.0));
            Assert.That(Value(f, "ppp_last_down_timestamp_seconds"), Is.EqualTo(s_now.AddSeconds(-60).ToUnixTimeSeconds()));
            Assert.That(Value(f, "ppp_next_attempt_timestamp_seconds"), Is.EqualTo(s_now.AddSeconds(30).ToUnixTimeSeconds()));
            Assert.That(Value(f, "ppp_network_uptime_seconds"), Is.EqualTo(12.5));
            Assert.That(Value(f, "ppp_network_up_timestamp_seconds"), Is.EqualTo(s_now.AddSeconds(-12.5).ToUnixTimeMilliseconds() / 1000.0));
            Assert.That(Value(f, "ppp_device_open_timestamp_seconds"), Is.EqualTo(s_now.AddSeconds(-20).ToUnixTimeSeconds()));
            Assert.That(Value(f, "ppp_control_sessions"), Is.EqualTo(1));
            Assert.That(Value(f, "ppp_metrics_http_responses_total", "code", "200"), Is.EqualTo(5));
            Assert.That(Value(f, "ppp_metrics_http_responses_total", "code", "404"), Is.EqualTo(1));
            Assert.That(Value(f, "ppp_metrics_http_refused_total"), Is.EqualTo(2));
        });
    }

    [Test]
    public void Format_Enums_AreStateSetsWithTheCurrentValueAtOne()
    {
        var f = Families(LinkUp());
        Assert.That(f["ppp_phase"].Samples.Select(s => (s.Label("phase"), s.Value)),
            Is.EqualTo(new[] { ("dead", 0.0), ("establish", 0.0), ("authenticate", 0.0), ("network", 1.0), ("terminate", 0.0) }));
        Assert.That(f["ppp_device_state"].Samples.Single(s => s.Value == 1).Label("state"), Is.EqualTo("open"));
        Assert.That(f["ppp_datalink_state"].Samples.Single(s => s.Value == 1).Label("state"), Is.EqualTo("open"));
        Assert.That(f["ppp_datalink_state"].Samples, Has.Count.EqualTo(9));
        Assert.That(f["ppp_protocol_up"].Samples.Select(s => (s.Label("protocol"), s.Value)),
            Is.EqualTo(new[] { ("lcp", 1.0), ("ipcp", 1.0), ("ipv6cp", 0.0) }));
        var info = f["ppp_info"].Samples.Single();
        Assert.That((info.Label("label"), info.Label("mode"), info.Label("device"), info.Value), Is.EqualTo(("isp", "dedicated", "/dev/ttyUSB0", 1.0)));
    }

    [Test]
    public void Format_EverySample_CarriesTheInterfaceFirst()
    {
        foreach (var family in Families(LinkUp()).Values)
        {
            foreach (var sample in family.Samples)
                Assert.That(sample.Labels[0], Is.EqualTo(new KeyValuePair<string, string>("interface", "ppp0")), family.Name);
        }
    }

    [Test]
    public void Format_ValuesNotKnownYet_LeaveTheirFamiliesOut()
    {
        var f = Families(new BundleStatus { Label = "default", Mode = "interactive", Phase = LinkPhase.Dead, CapturedAt = s_now, InterfaceName = "ppp3" });
        Assert.That(f.Keys, Has.None.AnyOf("ppp_lcp_echo_rtt_seconds", "ppp_lcp_mru_bytes", "ppp_network_uptime_seconds",
            "ppp_network_up_timestamp_seconds", "ppp_device_open_timestamp_seconds", "ppp_control_sessions", "ppp_metrics_http_responses_total",
            "ppp_drops_total", "ppp_last_up_timestamp_seconds", "ppp_next_attempt_timestamp_seconds"));
        Assert.That(Value(f, "ppp_phase", "phase", "dead"), Is.EqualTo(1));
        Assert.That(Value(f, "ppp_transmit_bytes_total"), Is.Zero);
    }

    [Test]
    public void Format_Names_FollowThePrometheusConventions()
    {
        var families = ExpositionParser.Parse(MetricsFormatter.Format(LinkUp()));
        Assert.That(families.Select(f => f.Name), Is.EquivalentTo(MetricsFormatter.FamilyNames), "every family has a value in a full snapshot");
        foreach (var family in families)
        {
            Assert.That(family.Name, Does.Match(SnakeCaseRegex()), "ppp_ prefix, lower-case snake_case");
            Assert.That(family.Help, Is.Not.Empty, family.Name);
            Assert.That(family.Type, Is.AnyOf("counter", "gauge"), family.Name);
            if (family.Type == "counter")
                Assert.That(family.Name, Does.EndWith("_total"), "a counter's name ends in _total");
            else
                Assert.That(family.Name, Does.Not.EndWith("_total"), "only counters end in _total");
            Assert.That(family.Name, Does.Not.Contain("milli").And.Not.Contain("octets").And.Not.Contain("_ms"), "base units: seconds, bytes");
        }
    }

    [Test]
    public void Format_LabelValues_AreEscaped()
    {
        string text = MetricsFormatter.Format(LinkUp() with { Device = "!cat \"a\\b\"\nx", Label = "l" });
        Assert.That(text, Does.Contain("device=\"!cat \\\"a\\\\b\\\"\\nx\""));
        var info = ExpositionParser.Parse(text).Single(f => f.Name == "ppp_info").Samples.Single();
        Assert.That(info.Label("device"), Is.EqualTo("!cat \"a\\b\"\nx"));
    }

    [Test]
    public void Format_LinkUp_PassesPromtoolCheckMetrics()
    {
        ProcessResult result = Promtool.CheckMetrics(MetricsFormatter.Format(LinkUp()));
        Assert.That((result.ExitCode, result.StdOut + result.StdErr), Is.EqualTo((0, "")), result.Describe());
    }

    [Test]
    public void Format_NoLink_PassesPromtoolCheckMetrics()
    {
        var status = new BundleStatus { Label = "default", Mode = "interactive", Phase = LinkPhase.Dead, CapturedAt = s_now, InterfaceName = "ppp0" };
        ProcessResult result = Promtool.CheckMetrics(MetricsFormatter.Format(status));
        Assert.That((result.ExitCode, result.StdOut + result.StdErr), Is.EqualTo((0, "")), result.Describe());
    }

    [Test]
    public void DatalinkStates_AreTheDaemonsDatalinkStates() =>
        Assert.That(MetricsFormatter.DatalinkStates, Is.EqualTo(Enum.GetNames<Ppp.Daemon.Daemon.DatalinkState>().Select(n => n.ToLowerInvariant())));

    [TestCase(0.0, "0")]
    [TestCase(1500.0, "1500")]
    [TestCase(0.0425, "0.0425")]
    [TestCase(1735787045.5, "1735787045.5")]
    [TestCase(double.NaN, "NaN")]
    [TestCase(double.PositiveInfinity, "+Inf")]
    [TestCase(double.NegativeInfinity, "-Inf")]
    [TestCase(1e20, "1E+20")]
    public void FormatValue_Numbers_InTheFormatsGrammar(double value, string expected) =>
        Assert.That(MetricsFormatter.FormatValue(value), Is.EqualTo(expected));

    [TestCase("m 1\r\n", "carriage return")]
    [TestCase("m{a=\"x} 1\n", "unterminated")]
    [TestCase("m{a=\"\\t\"} 1\n", "unknown escape")]
    [TestCase("m 1\nn 2\nm 3\n", "one group")]
    [TestCase("m{a=\"1\"} 1\nm{a=\"1\"} 2\n", "duplicate series")]
    [TestCase("1m 1\n", "bad metric name")]
    [TestCase("m{__a=\"1\"} 1\n", "bad label name")]
    [TestCase("m one\n", "not a float")]
    [TestCase("# TYPE m counter\n# TYPE m gauge\nm 1\n", "second TYPE")]
    [TestCase("m 1", "line feed")]
    public void ExpositionParser_BrokenText_IsRejected(string text, string reason) =>
        Assert.That(() => ExpositionParser.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(reason));

    [GeneratedRegex("^ppp_[a-z0-9]+(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCaseRegex();
}
