using NUnit.Framework;
using System.Net;
using Ppp.Core.Commands;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Core.Tests.Commands;

[TestFixture]
public sealed class ShowCommandsTests
{
    private static InterpreterFixture Connected()
    {
        var f = new InterpreterFixture();
        f.Runtime!.Phase = LinkPhase.Network;
        f.Runtime.Status = new BundleStatus
        {
            Label = "tcp-client",
            Mode = "foreground",
            Phase = LinkPhase.Network,
            Device = "10.0.0.1:3000/tcp",
            DeviceState = "open",
            DatalinkState = "open",
            PeerName = "server",
            LcpState = FsmState.Opened,
            Lcp = new LcpResult { PeerMru = 1500, OurMru = 1492, TransmitAccm = 0, ReceiveAccm = 0, PeerMagic = 0x12345678, OurMagic = 0x9abcdef0, AuthenticateOurselvesWith = AuthProtocol.ChapMd5 },
            IpcpState = FsmState.Opened,
            Ipcp = new IpcpResult(IPAddress.Parse("10.0.1.2"), IPAddress.Parse("10.0.1.1"), IPAddress.Parse("10.0.1.53"), null, null, null),
            Ipv6cpState = FsmState.RequestSent,
            Ipv6cp = new Ipv6cpResult(0x0123456789abcdef, 0x1111, InterfaceIdentifiers.LinkLocal(0x0123456789abcdef), InterfaceIdentifiers.LinkLocal(0x1111)),
            Hdlc = new HdlcCountersSnapshot(100, 2, 1, 0, 0, 0, 0),
            PacketsSent = 10, OctetsSent = 1000, PacketsReceived = 20, OctetsReceived = 2000, TransmitDropped = 1, ReceiveDropped = 2,
            InterfaceName = "ppp0",
            InterfaceMtu = 1500,
            InterfaceAddresses = [new InterfaceAddress(IPAddress.Parse("10.0.1.2"), 32, IPAddress.Parse("10.0.1.1"))],
            Routes = [new AppliedRoute(IPNetwork.Parse("0.0.0.0/0"), null, "ppp0", new RouteSpec(RouteEnd.Named("default"), RouteEnd.Named("HISADDR")))],
            Timers = [("LCP echo", TimeSpan.FromSeconds(4.5))],
            ManagedHeapBytes = 123456,
            Gen0Collections = 7,
        };
        return f;
    }

    private static string Show(InterpreterFixture f, string what)
    {
        f.Output.GetStringBuilder().Clear();
        f.Ok($"show {what}");
        return f.Output.ToString();
    }

    [Test]
    public void Metrics_Connected_PrintsTheExpositionOfTheSnapshot()
    {
        var f = Connected();
        string text = Show(f, "metrics");
        Assert.That(text, Is.EqualTo(Ppp.Core.Control.MetricsFormatter.Format(f.Runtime!.Status)));
        Assert.That(text, Does.Contain("ppp_phase{interface=\"ppp0\",phase=\"network\"} 1\n"));
        Assert.That(text, Does.Contain("ppp_receive_bytes_total{interface=\"ppp0\"} 2000\n"));
    }

    [Test]
    public void Metrics_NoRuntime_SaysSo()
    {
        var f = new InterpreterFixture(withRuntime: false);
        Assert.That(Show(f, "metrics"), Is.EqualTo("(no link: settings only)\n"));
        Assert.That(f.Error("show metrics now"), Does.Contain("takes no arguments"));
    }

    [Test]
    public void Bundle_Connected_HasTheMetricsLine()
    {
        var f = Connected();
        f.Runtime!.Status = f.Runtime.Status with
        {
            Metrics = new Ppp.Core.Control.MetricsServerStatus("tcp 127.0.0.1:9100", true, null, [(200, 3), (404, 1)]),
        };
        Assert.That(Show(f, "bundle"), Does.Contain(" Metrics:     tcp 127.0.0.1:9100 (listening), 4 response(s)\n"));
        f.Runtime.Status = f.Runtime.Status with { Metrics = null };
        Assert.That(Show(f, "bundle"), Does.Contain(" Metrics:     none\n"));
    }

    [Test]
    public void Lcp_NegotiatedValues()
    {
        string text = Show(Connected(), "lcp");
        Assert.That(text, Does.StartWith("LCP [Opened]"));
        Assert.That(text, Does.Contain("His side: MRU 1500, ACCMAP 00000000"));
        Assert.That(text, Does.Contain("MAGIC 12345678"));
        Assert.That(text, Does.Contain("ourselves with CHAP 0x05"));
    }

    [Test]
    public void Lcp_Echo_PeriodAndMisses()
    {
        var f = new InterpreterFixture();
        f.Ok("set echoperiod 10 3");
        Assert.That(Show(f, "lcp"), Does.Contain(" Echo:     disabled (enabled: every 10 secs, down after 3 periods without a frame)"));
        f.Ok("enable echo");
        Assert.That(Show(f, "lcp"), Does.Contain(" Echo:     every 10 secs, down after 3 periods without a frame" + Environment.NewLine));
    }

    [Test]
    public void Lcp_EchoByDefault_SaysSoUntilConfigured()
    {
        var f = new InterpreterFixture();
        f.Settings.EchoByDefault = true;
        Assert.That(Show(f, "lcp"), Does.Contain(" Echo:     every 30 secs, down after 5 periods without a frame (on by default in -ddial and -dedicated)"));
        f.Ok("disable echo");
        Assert.That(Show(f, "lcp"), Does.Contain(" Echo:     disabled (enabled: every 30 secs, down after 5 periods without a frame)" + Environment.NewLine));
    }

    [Test]
    public void Ipcp_AddressesAndStickyRoute()
    {
        string text = Show(Connected(), "ipcp");
        Assert.That(text, Does.StartWith("IPCP [Opened]"));
        Assert.That(text, Does.Contain("My address:  10.0.1.2"));
        Assert.That(text, Does.Contain("His address: 10.0.1.1"));
        Assert.That(text, Does.Contain("DNS:         10.0.1.53, none"));
        Assert.That(text, Does.Contain("Sticky route: default via HISADDR"));
    }

    [Test]
    public void Ipv6cp_StateAndIdentifiers()
    {
        string text = Show(Connected(), "ipv6cp");
        Assert.That(text, Does.StartWith("IPV6CP [Req-Sent]"));
        Assert.That(text, Does.Contain("0123:4567:89ab:cdef (fe80::123:4567:89ab:cdef)"));
    }

    [Test]
    public void Iface_AddressesWithPeer()
    {
        Assert.That(Show(Connected(), "iface"), Is.EqualTo("ppp0: mtu 1500" + Environment.NewLine + "  inet 10.0.1.2/32 --> 10.0.1.1" + Environment.NewLine));
        var f = Connected();
        f.Ok("iface show");
        Assert.That(f.Output.ToString(), Does.StartWith("ppp0: mtu 1500"));
    }

    [Test]
    public void Link_Supervisor_ConnectsDropsAndNextAttempt()
    {
        var f = Connected();
        f.Runtime!.Status = f.Runtime.Status with
        {
            DatalinkState = "closed",
            Connects = 3,
            FailedDials = 2,
            DropsByCause = new Dictionary<string, int> { ["echo-timeout"] = 2, ["carrier-lost"] = 1 },
            NextAttempt = "reconnect in 3 s",
        };
        string text = Show(f, "link");
        Assert.That(text, Does.Contain(" State:   closed (device open, phase Network)"));
        Assert.That(text, Does.Contain(" Connect Count: 3, failed dials: 2"));
        Assert.That(text, Does.Contain(" Drops:   carrier-lost 1, echo-timeout 2"));
        Assert.That(text, Does.Contain(" Last up:   never"));
        Assert.That(text, Does.Contain(" Next:    reconnect in 3 s"));
        Assert.That(Show(f, "links"), Is.EqualTo("deflink: closed" + Environment.NewLine));
    }

    [Test]
    public void Other_Pages_FormatStatus()
    {
        var f = Connected();
        Assert.That(Show(f, "hdlc"), Does.Contain("Frames: 100  Bad FCS: 2  Runts: 1"));
        Assert.That(Show(f, "proto"), Does.Contain("In:  20 packets, 2000 octets, 2 dropped"));
        Assert.That(Show(f, "route"), Does.Contain("0.0.0.0/0").And.Contain("(sticky)"));
        Assert.That(Show(f, "timer"), Does.Contain("LCP echo").And.Contain("4.5 secs remaining"));
        Assert.That(Show(f, "mem"), Does.Contain("123456 bytes").And.Contain("gen0 7"));
        Assert.That(Show(f, "bundle"), Does.StartWith("Phase Network, label tcp-client, mode foreground"));
        Assert.That(Show(f, "links"), Is.EqualTo("deflink: open" + Environment.NewLine));
        Assert.That(Show(f, "link"), Does.Contain("Traffic: 2000 octets in, 1000 octets out"));
        Assert.That(Show(f, "version"), Does.StartWith("PPP Version "));
        Assert.That(Show(f, "stopped"), Does.Contain("LCP: disabled"));
        Assert.That(Show(f, "layers"), Is.EqualTo("ipv6cp <- ipcp <- lcp <- sync/async <- physical" + Environment.NewLine));
        Assert.That(Show(f, "ncp"), Does.Contain("IPCP [Opened]").And.Contain("IPV6CP [Req-Sent]"));
    }

    [Test]
    public void Physical_LineSettings()
    {
        var f = Connected();
        f.Ok("set speed 57600");
        f.Ok("set cd 5!");
        string text = Show(f, "physical");
        Assert.That(text, Does.Contain("Speed:      57600").And.Contain("Carrier:    5!").And.Contain("CTS/RTS:    on"));
    }

    [Test]
    public void Escape_ListsOctets()
    {
        var f = new InterpreterFixture();
        f.Ok("set escape 11 ff");
        Assert.That(Show(f, "escape"), Is.EqualTo("Escape: 0x11 0xff" + Environment.NewLine));
    }

    [Test]
    public void NoRuntime_SettingsOnly()
    {
        var f = new InterpreterFixture(withRuntime: false);
        Assert.That(Show(f, "hdlc"), Is.EqualTo("(no link: settings only)" + Environment.NewLine));
        Assert.That(Show(f, "ipcp"), Does.Contain("My Address:  0.0.0.0/0"));
        Assert.That(Show(f, "lcp"), Does.Contain("MRU 1500 (max 16384)"));
    }

    [Test]
    public void Bundle_NeverShowsKey()
    {
        var f = Connected();
        f.Ok("set authkey hunter2");
        string text = Show(f, "bundle");
        Assert.That(text, Does.Contain("Auth key:    ********").And.Not.Contain("hunter2"));
    }

    [TestCase("show ccp", "show ccp: CCP compression is not implemented")]
    [TestCase("show ipcp now", "show ipcp: takes no arguments")]
    [TestCase("show i", "ambiguous command: show i (iface, ipcp, ipv6cp)")]
    public void Show_Bad_Error(string line, string error) => Assert.That(new InterpreterFixture().Error(line), Is.EqualTo(error));
}
