using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;
using Ppp.ModemSim.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// Issue 15, "Must show": <c>set provision</c> with ppp-modemsim and slirp behind it. Ten
/// reconnects (carrier drops) write AT+CGDCONT exactly once, by the simulator's counter; a
/// changed APN (set at the diagnostic socket) is written exactly once more, and a restart of
/// the daemon with the same script writes nothing (the state file remembers).
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Interop")]
public sealed class ProvisionTests : IntegrationFixture
{
    private const string Password = "prov-pw";

    private static string Provision(string apn) => $"set provision \"\\\"\\\" AT+CGDCONT=1,\\\"IP\\\",\\\"{apn}\\\" OK\"";

    [Test]
    public void TenReconnects_WriteCgdcontOnce_AChangedApnOnceMore()
    {
        DaemonEnvironment.RequireTools("socat");
        SlirpPeer slirp = Rig.Track(SlirpPeer.Start());
        Rig.Describe("slirp", slirp.Log);
        ModemSimProcess modem = Rig.Track(ModemSimProcess.Start(["--peer-exec", $"exec socat - {slirp.LinePath},raw,echo=0"]));
        Rig.Describe("ppp-modemsim", modem.Describe);
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", Configs.Default + $"""
            cellular:
             set log Phase Chat Physical LCP IPCP Command Warning Error
             set server +3000 {Password}
             set device {modem.LinkPath}
             set dial "ABORT ERROR TIMEOUT 5 \"\" AT OK ATD*99***1# CONNECT"
             {Provision("apn1")}
             set redial 1 0
             set reconnect 1 0
             set ifaddr 0.0.0.0/0 10.0.2.2
             disable ipv6cp
            """);
        ChildProcess daemon = Rig.Daemon(ns, conf, "-ddial", "cellular");
        string port = ControlSupport.WaitForTcpServer(Rig, conf, daemon).ToString(CultureInfo.InvariantCulture);

        conf.Log.WaitForCount(LogPatterns.IpcpUp, 1, LinkChecks.UpTimeout, Rig.Describe, daemon);
        conf.Log.WaitFor("provision state written", TimeSpan.FromSeconds(10), Rig.Describe, daemon);
        for (int drop = 1; drop <= 10; drop++)
        {
            Assert.That(modem.Control("drop"), Does.StartWith("OK"), Rig.Describe());
            conf.Log.WaitForCount(LogPatterns.IpcpUp, drop + 1, TimeSpan.FromSeconds(30), Rig.Describe, daemon);
        }
        Assert.Multiple(() =>
        {
            Assert.That(modem.Status("connects"), Is.EqualTo("11"), Rig.Describe());
            Assert.That(modem.Status("cgdcont_writes"), Is.EqualTo("1"), Rig.Describe());
            Assert.That(Regex.Count(conf.Log.Text(), "provision script unchanged"), Is.EqualTo(10));
        });
        ProcessResult show = ControlSupport.Pppctl(ns, "-p", Password, port, "show provision");
        Assert.That(show.StdOut, Does.Contain("Next dial:    unchanged: not sent").And.Contain("Sent:         1 time since"), show.Describe());

        // A new APN: sent at the next dial, once.
        ProcessResult set = ControlSupport.Pppctl(ns, "-p", Password, port, Provision("apn2"));
        Assert.That(set.ExitCode, Is.Zero, set.Describe());
        for (int drop = 11; drop <= 13; drop++)
        {
            Assert.That(modem.Control("drop"), Does.StartWith("OK"), Rig.Describe());
            conf.Log.WaitForCount(LogPatterns.IpcpUp, drop + 1, TimeSpan.FromSeconds(30), Rig.Describe, daemon);
        }
        Assert.That(modem.Status("cgdcont_writes"), Is.EqualTo("2"), Rig.Describe());

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(20));
        LinkChecks.AssertCleanedUp(Rig, ns);
        Assert.That(File.ReadAllText(Path.Combine(conf.StateDirectory, "provision.cellular")), Does.Match("^[0-9a-f]{64}\n"));
    }
}
