using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// What we do around the wire protocol against Linux pppd 2.4.9 in the VM (issue 13, "Must
/// show"): <c>resolv readonly</c> leaves /etc/resolv.conf alone; an address that cannot be
/// agreed, or none at all, ends IPCP with a reason instead of a broken "up"; an MTU below
/// 1280 closes IPV6CP with a reason while IPv4 works; every end of the link names its real
/// cause; EAP is named when refused.
/// </summary>
/// <remarks>
/// One VM for the fixture: pppd's command line names only <c>debug</c> and the per-case
/// options file, so each case sets pppd's addresses and options itself (see <see cref="PppdCases"/>).
/// </remarks>
[TestFixture]
[Category("Integration")]
[Category("Interop")]
public sealed class PppdVmOutcomeTests : IntegrationFixture
{
    private const string PppdAddress = "10.66.0.1";
    private const string OurAddress = "10.66.0.2";
    private const string PppdDns = "10.77.77.53";
    private const string Addresses = $"{PppdAddress}:{OurAddress}";
    private const string OurName = "ours";
    private const string OurSecret = "our-s3cret";

    private PppdVm? _vm;

    private PppdVm Vm => _vm ?? throw new InvalidOperationException("no VM");

    [OneTimeSetUp]
    public void StartVm()
    {
        _vm = PppdCases.StartVm(["debug", "file", PppdCases.OptionsPath], secrets: [$"{OurName} vm {OurSecret} *"]);
    }

    [OneTimeTearDown]
    public void StopVm() => _vm?.Dispose();

    /// <summary>
    /// Item 1. The daemon runs with /etc under an overlay of its own (in the private mount
    /// namespace <c>ip netns exec</c> gives it), so anything it writes or creates in /etc lands
    /// in the overlay's upper folder: readonly must leave that folder empty, while writable
    /// (the control) puts pppd's server in resolv.conf during the link. "prompt" types
    /// <c>resolv readonly</c> at the interactive prompt before dialling.
    /// </summary>
    [TestCase("readonly")]
    [TestCase("writable")]
    [TestCase("prompt")]
    public void Resolv_PppdHandsOutDns_ReadonlyLeavesEtcUntouched(string mode)
    {
        PppdCases.Restart(Vm, Rig, ["noauth", "ms-dns", PppdDns, Addresses]);
        string upper = Path.Combine(Rig.Directory, "etc-upper");
        string work = Path.Combine(Rig.Directory, "etc-work");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);
        byte[] original = File.ReadAllBytes("/etc/resolv.conf");
        NetworkNamespace ns = Rig.Namespace();
        bool prompt = mode == "prompt";
        PppConf conf = Rig.Conf("ours", OurConfig((prompt ? "" : $" resolv {mode}\n") + " enable dns\n disable ipv6cp\n"));
        ChildProcess daemon = Rig.DaemonAfter(
            $"mount -t overlay overlay -o lowerdir=/etc,upperdir={upper},workdir={work} /etc && exec \"$@\"",
            ns, conf, prompt ? "-interactive" : "-foreground", "vm");
        if (prompt)
        {
            daemon.WriteLine("resolv readonly");
            daemon.WriteLine("dial");
        }

        bool readOnly = mode != "writable";

        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        LinkChecks.WaitForAddress(Rig, ns, OurAddress);
        string seen = "";
        bool named = Poll.Until(() => (seen = ResolvConfOf(daemon)).Contains(PppdDns, StringComparison.Ordinal), TimeSpan.FromSeconds(3));
        if (readOnly)
        {
            Assert.That(named, Is.False, $"readonly, yet resolv.conf names {PppdDns}:\n{seen}\n{Rig.Describe()}");
        }
        else
        {
            Assert.That(named, Is.True, $"writable, yet resolv.conf never named {PppdDns}:\n{seen}\n{Rig.Describe()}");
        }

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(15));
        string[] written = Directory.GetFileSystemEntries(upper, "*", SearchOption.AllDirectories);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes("/etc/resolv.conf"), Is.EqualTo(original), "the host's /etc/resolv.conf changed");
            if (readOnly)
            {
                Assert.That(written, Is.Empty, $"readonly, yet the daemon wrote in /etc\n{Rig.Describe()}");
            }
            else
            {
                Assert.That(written, Does.Contain(Path.Combine(upper, "resolv.conf")), "writable, yet resolv.conf was not written");
                Assert.That(File.ReadAllBytes(Path.Combine(upper, "resolv.conf")), Is.EqualTo(original), "writable: the original was not put back");
                Assert.That(written, Does.Not.Contain(Path.Combine(upper, "resolv.conf.userppp")), "writable: the backup was left behind");
            }
        });
    }

    /// <summary>
    /// Item 2: pppd insists on 10.66.0.2 for us, we are configured for 10.66.0.9 alone. IPCP
    /// must end with a reason naming both, and the link with it (no other NCP).
    /// </summary>
    [Test]
    public void Ipcp_PppdInsistsOnAnotherAddressForUs_EndsIpcpAndTheLinkWithTheReason()
    {
        PppdCases.Restart(Vm, Rig, ["noauth", Addresses]);
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", OurConfig(" disable ipv6cp\n", "10.66.0.9", PppdAddress));
        ChildProcess daemon = Rig.Daemon(ns, conf, "-background", "vm");

        int exitCode = LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(60));
        string log = conf.Log.Text();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero, Rig.Describe());
            Assert.That(log, Does.Match(@"IPCP: deflink: giving up: .*10\.66\.0\.2.*10\.66\.0\.9"), Rig.Describe());
            Assert.That(log, Does.Not.Match(@"IPCP: myaddr "), Rig.Describe());
            Assert.That(log, Does.Match(@"link ended: no network protocols running \(IPCP: .*10\.66\.0\.2"), Rig.Describe());
        });
    }

    /// <summary>Item 3: neither pppd (<c>noipdefault</c>, no addresses) nor we (0/0) have an address for us.</summary>
    [Test]
    public void Ipcp_NoAddressForUsAnywhere_EndsIpcpAndTheLinkWithTheReason()
    {
        PppdCases.Restart(Vm, Rig, ["noauth", "noipdefault"]);
        AssertIpcpEnds(@"IPCP: deflink: giving up: no IP address for us");
    }

    /// <summary>Item 3: pppd (<c>10.66.0.1:10.66.0.1</c>) asks for the address it gives us.</summary>
    [Test]
    public void Ipcp_PppdAsksForOurOwnAddress_EndsIpcpBlamingThat()
    {
        PppdCases.Restart(Vm, Rig, ["noauth", $"{PppdAddress}:{PppdAddress}"]);
        AssertIpcpEnds(@"IPCP: deflink: giving up: .*our own address 10\.66\.0\.1");
    }

    /// <summary>Item 4: pppd's MRU 296 makes our MTU 296; Linux carries no IPv6 there.</summary>
    [Test]
    public void Ipv6cp_MtuBelow1280_ClosesIpv6cpWithAReasonWhileIpv4Works()
    {
        DaemonEnvironment.RequireTools("ping");
        int from = PppdCases.Restart(Vm, Rig, ["noauth", "+ipv6", "mru", "296", Addresses]);
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", OurConfig(""));
        ChildProcess daemon = Rig.Daemon(ns, conf, "-foreground", "vm");

        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        conf.Log.WaitFor(@"IPV6CP: deflink: giving up: the interface MTU 296 is below IPv6's minimum of 1280", LinkChecks.UpTimeout, Rig.Describe, daemon);
        Vm.WaitLog(@"rcvd \[IPV6CP TermReq", TimeSpan.FromSeconds(10), from);
        LinkChecks.WaitForAddress(Rig, ns, OurAddress);
        LinkChecks.AssertPings(Rig, ns, PppdAddress);
        Assert.That(conf.Log.Text(), Does.Not.Match(@"IPV6CP: up: "), Rig.Describe());
        Assert.That(daemon.HasExited, Is.False, $"the link must stay up on IPv4\n{Rig.Describe()}");
        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(15));
        LinkChecks.AssertCleanedUp(Rig, ns);
    }

    /// <summary>Item 5: pppd's idle timer ends the link; its words are the reason.</summary>
    [Test]
    public void LinkEnd_PppdIdlesOut_LogsThePeersWords()
    {
        PppdCases.Restart(Vm, Rig, ["noauth", "idle", "3", Addresses]);
        AssertLinkEnds(OurConfig(" disable ipv6cp\n"), @"link ended: the peer terminated the link: ""Link inactive""", cameUp: true);
    }

    /// <summary>Item 5: pppd with no NCP enabled ends the link as soon as LCP is up; its words are the reason.</summary>
    [Test]
    public void LinkEnd_PppdRunsNoNetworkProtocol_LogsThePeersWords()
    {
        PppdCases.Restart(Vm, Rig, ["noauth", "noip", "-ipv6", "noccp"]);
        AssertLinkEnds(OurConfig(" disable ipv6cp\n"), @"link ended: the peer terminated the link: ""No network protocols running""");
    }

    /// <summary>Item 5: nothing answers our Configure-Requests (pppd runs its connect script first).</summary>
    [Test]
    public void LinkEnd_LcpUnanswered_WarnsAndNamesTheGivingUp()
    {
        PppdCases.Restart(Vm, Rig, ["noauth", "connect", "sleep 60", Addresses]);
        string log = AssertLinkEnds(OurConfig(" set lcpretry 1 3\n"), @"link ended: LCP gave up: 3 Configure-Requests unanswered");
        Assert.That(log, Does.Match(@"LCP: deflink: giving up: 3 Configure-Requests unanswered"), Rig.Describe());
    }

    /// <summary>
    /// Items 5 and 6: pppd requires EAP, which we do not implement: our log names EAP and the
    /// Nak with MS-CHAPv2, and the end reason is pppd's "peer refused to authenticate".
    /// </summary>
    [Test]
    public void LinkEnd_PppdRequiresEap_NamesEapAndThePeersRefusal()
    {
        PppdCases.Restart(Vm, Rig, ["require-eap", "name", "vm", Addresses]);
        string log = AssertLinkEnds(
            OurConfig($" set authname {OurName}\n set authkey {OurSecret}\n disable ipv6cp\n"),
            @"link ended: the peer terminated the link: ""peer refused to authenticate""");
        Assert.That(log, Does.Match(@"LCP: deflink: the peer asks us to authenticate with EAP, which we do not implement: Nak with CHAP 0x81"), Rig.Describe());
    }

    /// <summary>Runs the daemon with 0/0 addresses; it must end with an IPCP reason matching <paramref name="warning"/>.</summary>
    private void AssertIpcpEnds(string warning)
    {
        string log = AssertLinkEnds(OurConfig(" disable ipv6cp\n", "0.0.0.0/0", "0.0.0.0/0"), @"link ended: no network protocols running \(IPCP: ");
        Assert.Multiple(() =>
        {
            Assert.That(log, Does.Match(warning), Rig.Describe());
            Assert.That(log, Does.Not.Match(@"IPCP: myaddr "), Rig.Describe());
        });
    }

    /// <summary>
    /// Runs <c>ppp -foreground vm</c> until it exits, which it must do logging exactly one end
    /// line, matching <paramref name="ended"/>; with a failure status unless the link <paramref name="cameUp"/>.
    /// </summary>
    private string AssertLinkEnds(string pppConf, string ended, bool cameUp = false)
    {
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", pppConf);
        ChildProcess daemon = Rig.Daemon(ns, conf, "-foreground", "vm");
        int exitCode = LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(60));
        string log = conf.Log.Text();
        Assert.Multiple(() =>
        {
            if (!cameUp)
            {
                Assert.That(exitCode, Is.Not.Zero, Rig.Describe());
            }

            Assert.That(log, Does.Match(ended), Rig.Describe());
            Assert.That(System.Text.RegularExpressions.Regex.Count(log, "link ended: "), Is.EqualTo(1), Rig.Describe());
        });
        Assert.That(Poll.Until(() => ns.Pids().Count == 0, TimeSpan.FromSeconds(10)), Is.True, Rig.Describe());
        LinkChecks.AssertCleanedUp(Rig, ns);
        return log;
    }

    private string OurConfig(string extra, string ours = OurAddress, string his = PppdAddress) =>
        Configs.Default + $"""
            vm:
             set device {Vm.LinePath}
             set ifaddr {ours} {his}

            """ + extra;

    /// <summary>/etc/resolv.conf as the daemon sees it (through its mount namespace).</summary>
    private static string ResolvConfOf(ChildProcess daemon)
    {
        ProcessResult cat = ProcessRunner.Run("nsenter", ["-t", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "cat", "/etc/resolv.conf"], TimeSpan.FromSeconds(10));
        return cat.ExitCode == 0 ? cat.StdOut : $"(nsenter failed: {cat.Describe()})";
    }
}
