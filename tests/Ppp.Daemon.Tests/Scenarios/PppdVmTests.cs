using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// Our daemon (in a namespace) against Linux pppd 2.4.9 in a QEMU VM, over the VM's serial
/// line: every authentication protocol in both directions, IPv4, IPv6, the DNS address
/// pppd hands out, pings both ways, and a wrong secret. Issue 3, scenario 4.
/// </summary>
/// <remarks>
/// One VM serves the whole fixture (a boot costs ~5 s of a shared core under TCG): pppd runs
/// with --respawn and reads its per-case options from a file (<c>file /etc/ppp/case-options</c>),
/// so a case rewrites that file and restarts pppd instead of booting again.
/// </remarks>
[TestFixture]
[Category("Integration")]
[Category("Interop")]
public sealed partial class PppdVmTests : IntegrationFixture
{
    private const string CaseOptions = PppdCases.OptionsPath;
    private const string PppdAddress = "10.66.0.1";
    private const string OurAddress = "10.66.0.2";
    private const string PppdDns = "10.77.77.53";

    // Secrets in pppd's pap-secrets and chap-secrets (client server secret addresses): the
    // first for pppd checking us, the second for pppd answering our challenge.
    private const string OurName = "ours";
    private const string OurSecret = "our-s3cret";
    private const string PppdName = "vm";
    private const string PppdSecret = "vm-s3cret";

    private PppdVm? _vm;

    /// <summary>Who authenticates whom.</summary>
    public enum Direction
    {
        /// <summary>No authentication either way.</summary>
        None,

        /// <summary>pppd requires the protocol (require-pap etc.); we answer with authname/authkey.</summary>
        PppdAuthenticatesUs,

        /// <summary>We require the protocol (enable pap etc., ppp.secret); pppd answers as "vm".</summary>
        WeAuthenticatePppd,
    }

    private PppdVm Vm => _vm ?? throw new InvalidOperationException("no VM");

    [OneTimeSetUp]
    public void StartVm()
    {
        _vm = PppdCases.StartVm(
            ["debug", "+ipv6", "ms-dns", PppdDns, $"{PppdAddress}:{OurAddress}", "file", CaseOptions],
            secrets: [$"{OurName} {PppdName} {OurSecret} *", $"{PppdName} * {PppdSecret} *"]);
    }

    [OneTimeTearDown]
    public void StopVm() => _vm?.Dispose();

    [TestCase("none", Direction.None)]
    [TestCase("pap", Direction.PppdAuthenticatesUs)]
    [TestCase("chap", Direction.PppdAuthenticatesUs)]
    [TestCase("mschapv2", Direction.PppdAuthenticatesUs)]
    [TestCase("pap", Direction.WeAuthenticatePppd)]
    [TestCase("chap", Direction.WeAuthenticatePppd)]
    [TestCase("mschapv2", Direction.WeAuthenticatePppd)]
    public void Daemon_PppdPeer_AuthenticatesCarriesIpv4Ipv6LearnsDnsAndCleansUp(string protocol, Direction direction)
    {
        DaemonEnvironment.RequireTools("ping");
        int from = ConfigurePppd(PppdOptions(protocol, direction));
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", OurConfig(protocol, direction, OurSecret), direction == Direction.WeAuthenticatePppd ? $"{PppdName} {PppdSecret}\n" : null);
        ChildProcess daemon = Rig.Daemon(ns, conf, "-foreground", "vm");

        conf.Log.WaitFor(LogPatterns.LcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        if (direction == Direction.PppdAuthenticatesUs)
        {
            conf.Log.WaitFor(LogPatterns.AuthSuccess, LinkChecks.UpTimeout, Rig.Describe, daemon);
            Vm.WaitLog("^PPPVM: auth-up", LinkChecks.UpTimeout, from);
        }
        else if (direction == Direction.WeAuthenticatePppd)
        {
            conf.Log.WaitFor($"{LogPatterns.PeerAuthenticated} {PppdName}", LinkChecks.UpTimeout, Rig.Describe, daemon);
        }

        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        conf.Log.WaitFor(LogPatterns.Ipv6cpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        Vm.WaitLog("^PPPVM: ip-up done", LinkChecks.UpTimeout, from);
        string pppdLinkLocal = LinkLocalRegex().Match(Vm.WaitLog("^local  LL address fe80::", LinkChecks.UpTimeout, from)).Value;
        string ifname = LinkChecks.WaitForAddress(Rig, ns, OurAddress);

        LinkChecks.AssertNameserver(Rig, ns, PppdDns);
        LinkChecks.AssertPings(Rig, ns, PppdAddress);
        ProcessResult guestPing = Vm.Exec($"ping -c 3 -W 3 {OurAddress}");
        Assert.That(guestPing.ExitCode, Is.Zero, $"ping from the guest: {guestPing.Describe()}\n{Rig.Describe()}");

        // pppd routes only the negotiated peer address (fe80::ID/128), so this also checks
        // that our echo leaves from the negotiated link-local address.
        LinkChecks.AssertPings(Rig, ns, $"{pppdLinkLocal}%{ifname}", "-6");

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(15));
        Vm.WaitLog(@"rcvd \[LCP TermReq", TimeSpan.FromSeconds(10), from);
        LinkChecks.AssertCleanedUp(Rig, ns);
    }

    [TestCase("chap", Direction.PppdAuthenticatesUs)]
    [TestCase("mschapv2", Direction.WeAuthenticatePppd)]
    public void Background_WrongSecret_LogsTheFailureAndExitsNonZero(string protocol, Direction direction)
    {
        int from = ConfigurePppd(PppdOptions(protocol, direction));
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = direction == Direction.PppdAuthenticatesUs
            ? Rig.Conf("ours", OurConfig(protocol, direction, "not-" + OurSecret))
            : Rig.Conf("ours", OurConfig(protocol, direction, OurSecret), $"{PppdName} not-{PppdSecret}\n");
        ChildProcess daemon = Rig.Daemon(ns, conf, "-background", "vm");

        int exitCode = LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(45));
        Assert.That(exitCode, Is.Not.Zero, Rig.Describe());
        conf.Log.WaitFor(LogPatterns.AuthFailure, TimeSpan.FromSeconds(1), Rig.Describe, daemon);
        if (direction == Direction.PppdAuthenticatesUs)
        {
            Vm.WaitLog(@"rcvd \[CHAP Response", TimeSpan.FromSeconds(5), from);
        }

        Assert.That(Poll.Until(() => ns.Pids().Count == 0, TimeSpan.FromSeconds(10)), Is.True,
            $"a daemon stayed behind after the failure\n{Rig.Describe()}");
        LinkChecks.AssertCleanedUp(Rig, ns);
    }

    private static string[] PppdOptions(string protocol, Direction direction) => direction switch
    {
        Direction.None => ["noauth"],
        Direction.PppdAuthenticatesUs => [$"require-{PppdProtocol(protocol)}", "name", PppdName],
        Direction.WeAuthenticatePppd => ["noauth", "name", PppdName, "user", PppdName],
        _ => throw new ArgumentOutOfRangeException(nameof(direction)),
    };

    private static string PppdProtocol(string protocol) => protocol == "mschapv2" ? "mschap-v2" : protocol;

    private string OurConfig(string protocol, Direction direction, string authKey)
    {
        string auth = direction switch
        {
            Direction.PppdAuthenticatesUs => $" set authname {OurName}\n set authkey {authKey}\n",
            Direction.WeAuthenticatePppd => $" enable {protocol}\n",
            _ => "",
        };
        return Configs.Default + $"""
            vm:
             set device {Vm.LinePath}
             set ifaddr {OurAddress} {PppdAddress}
             enable dns

            """ + auth;
    }

    private int ConfigurePppd(string[] options) => PppdCases.Restart(Vm, Rig, options);

    [GeneratedRegex(@"fe80::[0-9a-f:]+")]
    private static partial Regex LinkLocalRegex();
}
