using NUnit.Framework;
using Ppp.Daemon.Tests.Support;
using Ppp.ModemSim.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// The daemon dialling through ppp-modemsim (a Hayes/3GPP modem on a pty) with chat scripts,
/// a PPP peer behind the modem: the vendor document's script with Linux pppd in the VM, a
/// NO CARRIER answered by a redial, and a carrier drop mid-session. Issue 4, "Must show".
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Interop")]
public sealed class ModemTests : IntegrationFixture
{
    /// <summary>
    /// The vendor's gen_pppconfig chatscript (ATZ, ATE0, eight ABORTs, TIMEOUT 30, the APN,
    /// *99***1#, CONNECT \d\c) in ppp.conf form: one string, \" for the APN's quotes, \\ for
    /// chat's own escapes.
    /// </summary>
    private const string VendorDial =
        """set dial "'' ATZ OK ATE0 ABORT BUSY ABORT 'NO CARRIER' ABORT VOICE ABORT 'NO DIALTONE' ABORT 'NO DIAL TONE' ABORT 'NO ANSWER' ABORT DELAYED ABORT ERROR TIMEOUT 30 OK 'AT+CGDCONT=1,\"IP\",\"CHAP:dream.jp\"' OK AT OK ATDT*99***1# CONNECT \\d\\c" """;

    private const string Logging = " set log Phase Chat Physical LCP IPCP Command Warning Error\n";

    [Test]
    public void VendorScript_PppdBehindTheModem_BringsIpcpUp()
    {
        DaemonEnvironment.RequireTools("ping", "socat");
        PppdVm vm = Rig.Track(PppdVm.Start(["debug", "noauth", "10.98.0.1:10.98.0.2"], respawn: true));
        Rig.Describe("pppd", vm.Log);
        ModemSimProcess modem = Rig.Track(ModemSimProcess.Start(["--peer-exec", $"exec socat - {vm.LinePath},raw,echo=0"]));
        Rig.Describe("ppp-modemsim", modem.Describe);
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", Configs.Default + $"""
            cellular:
            {Logging}
             set device {modem.LinkPath}
             set speed 115200
             {VendorDial}
             set hangup "\"\" \\d+++\\d\\c OK ATH OK"
             set ifaddr 10.98.0.2 10.98.0.1
             disable ipv6cp
            """);

        ChildProcess daemon = Rig.Daemon(ns, conf, "-foreground", "cellular");

        conf.Log.WaitFor(@"Chat: .*CONNECT", LinkChecks.UpTimeout, Rig.Describe, daemon);
        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        LinkChecks.WaitForAddress(Rig, ns, "10.98.0.2");
        LinkChecks.AssertPings(Rig, ns, "10.98.0.1");
        Assert.Multiple(() =>
        {
            Assert.That(modem.Status("cgdcont_writes"), Is.EqualTo("1"), Rig.Describe());
            Assert.That(modem.Status("connects"), Is.EqualTo("1"), Rig.Describe());
        });

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(30));
        LinkChecks.AssertCleanedUp(Rig, ns);
        // "set hangup" escaped to command mode (+++ with its guard times) and hung up with ATH
        // before the line closed.
        conf.Log.WaitFor(@"hangup script done", TimeSpan.FromSeconds(1), Rig.Describe, daemon);
        Assert.That(modem.Status("state"), Is.EqualTo("command"), Rig.Describe());
        Assert.That(modem.Status("hangups"), Is.EqualTo("1"), Rig.Describe());
    }

    [Test]
    public void NoCarrier_NextTryPerSetRedial_Connects()
    {
        DaemonEnvironment.RequireTools("ping", "socat");
        SlirpPeer slirp = Rig.Track(SlirpPeer.Start());
        Rig.Describe("slirp", slirp.Log);
        ModemSimProcess modem = Rig.Track(ModemSimProcess.Start(
            ["--dial", "no-carrier:1", "--peer-exec", $"exec socat - {slirp.LinePath},raw,echo=0"]));
        Rig.Describe("ppp-modemsim", modem.Describe);
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", Configs.Default + $"""
            cellular:
            {Logging}
             set device {modem.LinkPath}
             {VendorDial}
             set redial 1 3
             set ifaddr 0.0.0.0/0 10.0.2.2
             disable ipv6cp
            """);

        ChildProcess daemon = Rig.Daemon(ns, conf, "-foreground", "cellular");

        conf.Log.WaitFor(@"Warning: .*dial script failed: .*NO CARRIER", LinkChecks.UpTimeout, Rig.Describe, daemon);
        conf.Log.WaitFor(@"deflink: .*: redial in 1(\.\d)? s", LinkChecks.UpTimeout, Rig.Describe, daemon);
        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        LinkChecks.WaitForAddress(Rig, ns, "10.0.2.15");
        LinkChecks.AssertPings(Rig, ns, "10.0.2.2");
        Assert.That(modem.Status("dials"), Is.EqualTo("2"), Rig.Describe());

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(20));
        LinkChecks.AssertCleanedUp(Rig, ns);
    }

    [Test]
    public void CarrierDrop_MidSession_TakesTheLinkDownAndIsLogged()
    {
        DaemonEnvironment.RequireTools("socat");
        SlirpPeer slirp = Rig.Track(SlirpPeer.Start());
        Rig.Describe("slirp", slirp.Log);
        ModemSimProcess modem = Rig.Track(ModemSimProcess.Start(["--peer-exec", $"exec socat - {slirp.LinePath},raw,echo=0"]));
        Rig.Describe("ppp-modemsim", modem.Describe);
        NetworkNamespace ns = Rig.Namespace();
        // ppp(8)'s external chat form: Debian's chat(8) runs the vendor's chatscript file as
        // shipped, with the line as its standard input and output.
        string chatFile = Path.Combine(Rig.Directory, "vendor.chat");
        File.WriteAllText(chatFile, VendorChatScript.Text);
        PppConf conf = Rig.Conf("ours", Configs.Default + $"""
            cellular:
            {Logging}
             set device {modem.LinkPath}
             set dial "\"!/usr/sbin/chat -v -f {chatFile}\""
             set ifaddr 0.0.0.0/0 10.0.2.2
             disable ipv6cp
            """);
        ChildProcess daemon = Rig.Daemon(ns, conf, "-foreground", "cellular");
        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        LinkChecks.WaitForAddress(Rig, ns, "10.0.2.15");
        Assert.That(modem.Status("cgdcont_writes"), Is.EqualTo("1"), $"chat(8) did not run the vendor file\n{Rig.Describe()}");

        Assert.That(modem.Control("drop"), Does.StartWith("OK"), Rig.Describe());

        conf.Log.WaitFor(@"disconnected \(.*carrier lost", TimeSpan.FromSeconds(15), Rig.Describe, daemon);
        // -foreground without "set reconnect" ends when the link does, and cleans up.
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(20));
        LinkChecks.AssertCleanedUp(Rig, ns);
        Assert.That(modem.Status("carrier_drops"), Is.EqualTo("1"), Rig.Describe());
    }
}
