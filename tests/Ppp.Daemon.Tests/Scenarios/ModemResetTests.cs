using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;
using Ppp.ModemSim.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// Issue 15, "Must show": ppp-modemsim with slirp behind it, a module that wedges (silent after
/// a connect until reset). In -ddial the silent modem's failed dials escalate to a reset with
/// <c>set reset</c>; the simulator re-enumerates under a new name (<c>modem</c> becomes
/// <c>modem1</c>), <c>set device DIR/modem*</c> finds it again and the link is up again, with
/// the counts in the JSON status. With <c>enable resetalways</c> every drop resets; with
/// <c>set resetat</c> a few seconds ahead the link is ended, the modem reset and the link back.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Interop")]
public sealed class ModemResetTests : IntegrationFixture
{
    private const string Password = "reset-pw";

    /// <summary>A short dial script: a silent modem fails it in 3 s.</summary>
    private const string Dial = """ set dial "ABORT ERROR ABORT 'NO CARRIER' TIMEOUT 3 \"\" AT OK ATD*99***1# CONNECT" """;

    private (ModemSimProcess Modem, NetworkNamespace Ns, PppConf Conf, ChildProcess Daemon, string Port) Start(string[] modemArgs, string extra)
    {
        DaemonEnvironment.RequireTools("ping", "socat");
        SlirpPeer slirp = Rig.Track(SlirpPeer.Start());
        Rig.Describe("slirp", slirp.Log);
        ModemSimProcess modem = Rig.Track(ModemSimProcess.Start([.. modemArgs, "--peer-exec", $"exec socat - {slirp.LinePath},raw,echo=0"]));
        Rig.Describe("ppp-modemsim", modem.Describe);
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", Configs.Default + $"""
            cellular:
             set log Phase Chat Physical LCP IPCP Command Warning Error
             set server +3000 {Password}
             set device {modem.LinkPath}*
            {Dial}
             set redial 1 0
             set reconnect 1 0
             set reset "\"\" AT+CFUN=1,1 OK"
             set resetwait 2
             set ifaddr 0.0.0.0/0 10.0.2.2
             disable ipv6cp
            {extra}
            """);
        ChildProcess daemon = Rig.Daemon(ns, conf, "-ddial", "cellular");
        int port = ControlSupport.WaitForTcpServer(Rig, conf, daemon);
        return (modem, ns, conf, daemon, port.ToString(CultureInfo.InvariantCulture));
    }

    private JsonElement Recovery(NetworkNamespace ns, string port) => Datalink(ns, port).GetProperty("recovery");

    /// <summary>The JSON status's <c>datalink</c> object, through pppctl.</summary>
    private JsonElement Datalink(NetworkNamespace ns, string port)
    {
        ProcessResult result = ControlSupport.Pppctl(ns, "-p", Password, port, "show status");
        Assert.That(result.ExitCode, Is.Zero, result.Describe() + Rig.Describe());
        string json = result.StdOut.Split('\n').Single(l => l.StartsWith('{'));
        using JsonDocument status = JsonDocument.Parse(json);
        return status.RootElement.GetProperty("datalink").Clone();
    }

    [Test]
    public void SilentModem_ResetAfterFailedDials_ComesBackUnderANewNameAndTheLinkIsUpAgain()
    {
        var (modem, ns, conf, daemon, port) = Start(["--silent-after", "1", "--reenumerate", "1500"], " set resetafter 2");
        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        LinkChecks.WaitForAddress(Rig, ns, "10.0.2.15");

        // The call ends (carrier drop); the module has wedged and answers nothing from now on.
        Assert.That(modem.Control("drop"), Does.StartWith("OK"), Rig.Describe());

        conf.Log.WaitFor(@"reset the modem \(2 failed dials in a row\), then redial in 2 s", TimeSpan.FromSeconds(40), Rig.Describe, daemon);
        conf.Log.WaitFor(@"is now " + Regex.Escape(modem.LinkPath) + @"1 ", TimeSpan.FromSeconds(30), Rig.Describe, daemon);
        conf.Log.WaitForCount(LogPatterns.IpcpUp, 2, TimeSpan.FromSeconds(30), Rig.Describe, daemon);
        LinkChecks.WaitForAddress(Rig, ns, "10.0.2.15");
        LinkChecks.AssertPings(Rig, ns, "10.0.2.2");

        JsonElement recovery = Recovery(ns, port);
        Assert.Multiple(() =>
        {
            Assert.That(modem.Status("resets"), Is.EqualTo("1"), Rig.Describe());
            Assert.That(modem.Status("enumerations"), Is.EqualTo("1"), Rig.Describe());
            Assert.That(modem.Status("connects"), Is.EqualTo("2"), Rig.Describe());
            Assert.That(recovery.GetProperty("resets").GetInt32(), Is.EqualTo(1), recovery.ToString());
            Assert.That(recovery.GetProperty("resetFailures").GetInt32(), Is.Zero, recovery.ToString());
            Assert.That(recovery.GetProperty("deviceSearches").GetInt32(), Is.EqualTo(1), recovery.ToString());
            Assert.That(recovery.GetProperty("deviceRenames").GetInt32(), Is.EqualTo(1), recovery.ToString());
            Assert.That(recovery.GetProperty("reconnects").GetInt32(), Is.EqualTo(1), recovery.ToString());
            Assert.That(recovery.GetProperty("redials").GetInt32(), Is.EqualTo(2), "the failed reconnect's redial and the one after the reset");
        });

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(20));
        LinkChecks.AssertCleanedUp(Rig, ns);
    }

    [Test]
    public void ResetAlways_EachDrop_ResetsTheModemBeforeTheReconnect()
    {
        var (modem, ns, conf, daemon, port) = Start([], " enable resetalways");
        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        for (int drop = 1; drop <= 2; drop++)
        {
            Assert.That(modem.Control("drop"), Does.StartWith("OK"), Rig.Describe());
            conf.Log.WaitForCount(@"reset the modem \(resetalways\)", drop, TimeSpan.FromSeconds(20), Rig.Describe, daemon);
            conf.Log.WaitForCount(LogPatterns.IpcpUp, drop + 1, TimeSpan.FromSeconds(30), Rig.Describe, daemon);
        }
        LinkChecks.WaitForAddress(Rig, ns, "10.0.2.15");

        JsonElement recovery = Recovery(ns, port);
        Assert.Multiple(() =>
        {
            Assert.That(modem.Status("resets"), Is.EqualTo("2"), Rig.Describe());
            Assert.That(modem.Status("connects"), Is.EqualTo("3"), Rig.Describe());
            Assert.That(recovery.GetProperty("resets").GetInt32(), Is.EqualTo(2), recovery.ToString());
        });

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(20));
        LinkChecks.AssertCleanedUp(Rig, ns);
    }

    [Test]
    public void ResetAt_AFewSecondsAhead_DisconnectsResetsTheModemAndTheLinkComesBack()
    {
        // Local time, as the daemon reads it; the simulator and the daemon share the machine's zone.
        string at = DateTime.Now.AddSeconds(12).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var (modem, ns, conf, daemon, port) = Start([], $" set resetat {at}");
        conf.Log.WaitFor(@"daily reset \(set resetat\) due at", TimeSpan.FromSeconds(10), Rig.Describe, daemon);
        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);

        conf.Log.WaitFor(@"daily reset \(set resetat\): disconnecting", TimeSpan.FromSeconds(40), Rig.Describe, daemon);
        conf.Log.WaitFor(@"the daily reset \(set resetat\): reset the modem \(resetat\), then redial in 2 s", TimeSpan.FromSeconds(20), Rig.Describe, daemon);
        conf.Log.WaitForCount(LogPatterns.IpcpUp, 2, TimeSpan.FromSeconds(30), Rig.Describe, daemon);
        LinkChecks.WaitForAddress(Rig, ns, "10.0.2.15");

        JsonElement datalink = Datalink(ns, port);
        string json = datalink.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(modem.Status("resets"), Is.EqualTo("1"), Rig.Describe());
            Assert.That(datalink.GetProperty("drops").GetProperty("scheduled").GetInt32(), Is.EqualTo(1), json);
            Assert.That(datalink.GetProperty("recovery").GetProperty("dailyResets").GetInt32(), Is.EqualTo(1), json);
            Assert.That(datalink.GetProperty("recovery").GetProperty("dailyResetAt").GetDateTimeOffset(),
                Is.GreaterThan(DateTimeOffset.Now.AddHours(23)), "the next one is tomorrow");
        });

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(20));
        LinkChecks.AssertCleanedUp(Rig, ns);
    }
}
