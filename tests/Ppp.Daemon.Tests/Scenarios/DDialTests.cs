using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// <c>ppp -ddial</c> against Linux pppd 2.4.9 in the VM, respawned by pppd-vm whenever it exits
/// (issue 10, "Must show"): the link comes up, pppd ending it with a Terminate-Request
/// (<c>killall pppd</c>) brings it back within the reconnect delay plus 10 s, and pppd dying
/// without a word (<c>killall -9 pppd</c>) is noticed by LCP echo within the echo period times
/// the miss count plus 2 s, after which the link comes back too. Pings cross after each.
/// </summary>
/// <remarks>
/// pppd runs <c>silent</c>: the respawned one waits for our Configure-Request, so after the
/// kill -9 nothing at all arrives from the peer until our echo gives the link up and we dial
/// again (pppd in Stopped ignores Echo-Requests, RFC 1661's table).
/// </remarks>
[TestFixture]
[Category("Integration")]
[Category("Interop")]
public sealed class DDialTests : IntegrationFixture
{
    private const string PppdAddress = "10.67.0.1";
    private const string OurAddress = "10.67.0.2";
    private const int ReconnectSeconds = 2;
    private const int EchoSeconds = 2;
    private const int EchoMisses = 3;

    [Test]
    public void DDial_PppdEndsThenGoesSilent_LinkComesBackAfterEachAndPingsCross()
    {
        DaemonEnvironment.RequireTools("ping");
        using PppdVm vm = PppdVm.Start(["debug", "noauth", "silent", $"{PppdAddress}:{OurAddress}"], respawn: true);
        Rig.Describe("pppd-vm log", vm.Log);
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ddial", Configs.Default + $"""
            vm:
             set device {vm.LinePath}
             set ifaddr {OurAddress} {PppdAddress}
             disable ipv6cp
             set reconnect {ReconnectSeconds} 0
             set redial {ReconnectSeconds} 0
             set echoperiod {EchoSeconds} {EchoMisses}

            """);
        ChildProcess daemon = Rig.Daemon(ns, conf, "-ddial", "vm");

        WaitForCount(conf, LogPatterns.IpcpUp, 1, LinkChecks.UpTimeout, daemon);
        LinkChecks.WaitForAddress(Rig, ns, OurAddress);
        LinkChecks.AssertPings(Rig, ns, PppdAddress);

        // 1. The peer ends the link with a Terminate-Request and exits; pppd-vm starts a new one.
        var watch = Stopwatch.StartNew();
        Assert.That(vm.Exec("killall pppd").ExitCode, Is.Zero, Rig.Describe());
        WaitForCount(conf, LogPatterns.TerminateRequestReceived, 1, TimeSpan.FromSeconds(10), daemon);
        WaitForCount(conf, LogPatterns.IpcpUp, 2, TimeSpan.FromSeconds(ReconnectSeconds + 10), daemon);
        TestContext.Out.WriteLine($"after killall pppd: IPCP up again in {watch.Elapsed.TotalSeconds:0.0} s (allowed {ReconnectSeconds + 10} s)");
        LinkChecks.AssertPings(Rig, ns, PppdAddress);

        // 2. The peer dies without a word: only LCP echo can tell.
        watch.Restart();
        Assert.That(vm.Exec("killall -9 pppd").ExitCode, Is.Zero, Rig.Describe());
        WaitForCount(conf, @"deflink: \d+ echo periods without a frame from the peer", 1, TimeSpan.FromSeconds((EchoSeconds * EchoMisses) + 2 + 1), daemon);
        double detected = watch.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"after killall -9 pppd: silence detected in {detected:0.0} s (allowed {(EchoSeconds * EchoMisses) + 2} s)");
        Assert.That(detected, Is.LessThanOrEqualTo((EchoSeconds * EchoMisses) + 2.5), Rig.Describe());
        WaitForCount(conf, LogPatterns.IpcpUp, 3, TimeSpan.FromSeconds(ReconnectSeconds + 15), daemon);
        TestContext.Out.WriteLine($"after killall -9 pppd: IPCP up again {watch.Elapsed.TotalSeconds:0.0} s after the kill");
        LinkChecks.AssertPings(Rig, ns, PppdAddress);

        Assert.That(daemon.HasExited, Is.False, $"-ddial must not exit when the link drops\n{Rig.Describe()}");
        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(20));
        LinkChecks.AssertCleanedUp(Rig, ns);
    }

    /// <summary>Waits until the daemon's log has <paramref name="count"/> lines matching <paramref name="pattern"/>.</summary>
    private void WaitForCount(PppConf conf, string pattern, int count, TimeSpan timeout, ChildProcess daemon)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant);
        bool seen = Poll.Until(() => regex.Count(conf.Log.Text()) >= count || daemon.HasExited, timeout);
        int found = regex.Count(conf.Log.Text());
        Assert.That(found, Is.GreaterThanOrEqualTo(count),
            string.Create(CultureInfo.InvariantCulture, $"/{pattern}/ seen {found} time(s), want {count}, within {timeout.TotalSeconds} s (exited: {daemon.HasExited}, polled: {seen})\n{Rig.Describe()}"));
    }
}
