using NUnit.Framework;
using System.Net;
using Ppp.Core.Config;

namespace Ppp.Core.Tests.Commands;

[TestFixture]
public sealed class SetCommandsTests
{
    private static BundleSettings After(params string[] lines)
    {
        var f = new InterpreterFixture();
        foreach (string line in lines)
            f.Ok(line);
        return f.Settings;
    }

    [TestCase("set metrics 9100", "Metrics(tcp loopback:9100)")]
    [TestCase("set metrics 10.0.0.1:+9100", "Metrics(tcp 10.0.0.1:+9100)")]
    [TestCase("set metrics none", "Metrics(none)")]
    public void Metrics_Valid_GoesToTheRuntime(string line, string call)
    {
        var f = new InterpreterFixture();
        f.Ok(line);
        Assert.That(f.Runtime!.Calls, Is.EqualTo(new[] { call }));
    }

    [TestCase("set metrics", "set metrics: missing argument; usage: set metrics [addr:][+]port|none")]
    [TestCase("set metrics 9100 9101", "set metrics: too many arguments")]
    [TestCase("set metrics /run/m.sock", "is not a TCP port")]
    public void Metrics_Invalid_SaysWhyAndCallsNothing(string line, string error)
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error(line), Does.StartWith(error).Or.Contain(error));
        Assert.That(f.Runtime!.Calls, Is.Empty);
    }

    [Test]
    public void Metrics_NoRuntime_OnlyChecks()
    {
        var f = new InterpreterFixture(withRuntime: false);
        f.Ok("set metrics 9100");
        Assert.That(f.Error("set metrics 99999"), Does.Contain("is not a TCP port"));
    }

    [TestCase("set accmap 000a0000", 0x000a0000u)]
    [TestCase("set accmap 0xffffffff", 0xffffffffu)]
    [TestCase("set accmap 0", 0u)]
    public void Accmap_Hex_Stored(string line, uint expected) => Assert.That(After(line).Accmap, Is.EqualTo(expected));

    [TestCase("set accmap 1ffffffff", "set accmap: \"1ffffffff\" is not a hex ACCM (up to 8 hex digits, e.g. 000a0000)")]
    [TestCase("set accmap xyz", "set accmap: \"xyz\" is not a hex ACCM (up to 8 hex digits, e.g. 000a0000)")]
    [TestCase("set accmap", "set accmap: missing argument; usage: set accmap hex-value")]
    [TestCase("set accmap 1 2", "set accmap: too many arguments (2); usage: set accmap hex-value")]
    public void Accmap_Bad_Error(string line, string error) => Assert.That(new InterpreterFixture().Error(line), Is.EqualTo(error));

    [Test]
    public void AuthNameAndKey_Stored()
    {
        var s = After("set authname \"my name\"", "set authkey k");
        Assert.That((s.AuthName, s.AuthKey), Is.EqualTo(("my name", "k")));
        Assert.That(After("set authkey k", "set authkey").AuthKey, Is.Null);
    }

    [TestCase("set cd off", CarrierMode.Off, 0, false)]
    [TestCase("set cd 5", CarrierMode.Wait, 5, false)]
    [TestCase("set cd 6!", CarrierMode.Wait, 6, true)]
    [TestCase("set cd", CarrierMode.Default, 0, false)]
    public void CarrierDetect_Forms_Stored(string line, CarrierMode mode, int seconds, bool required) =>
        Assert.That(After(line).CarrierDetect, Is.EqualTo(new CarrierDetect(mode, seconds, required)));

    [TestCase("set cd soon")]
    [TestCase("set cd 5!!")]
    [TestCase("set cd -1")]
    public void CarrierDetect_Bad_Error(string line) => Assert.That(new InterpreterFixture().Error(line), Does.StartWith("set cd: "));

    [TestCase("set choked 30", 30)]
    [TestCase("set choked 0", 120)]
    [TestCase("set choked -5", 120)]
    [TestCase("set choked", 120)]
    public void Choked_Values_Stored(string line, int seconds) => Assert.That(After(line).Choked, Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void CtsRts_OnOffAndAlias()
    {
        Assert.That(After("set ctsrts off").CtsRts, Is.False);
        Assert.That(After("set crtscts off", "set crtscts ON").CtsRts, Is.True);
        Assert.That(new InterpreterFixture().Error("set ctsrts maybe"), Is.EqualTo("set ctsrts: \"maybe\" is not on or off"));
    }

    [Test]
    public void Device_Several_KeptInOrder()
    {
        var s = After("set device /dev/ttyUSB2 10.0.0.1:3000/tcp [fd00::1]:99/udp \"!ssh host ppp\"");
        Assert.That(s.Devices.Select(d => d.Kind), Is.EqualTo(new[] { DeviceKind.Tty, DeviceKind.Tcp, DeviceKind.Udp, DeviceKind.Program }));
        Assert.That(s.Devices[2].Host, Is.EqualTo("fd00::1"));
        Assert.That(s.Devices[3].Command, Is.EqualTo("ssh host ppp"));
    }

    [TestCase("set device", "set device: missing argument; usage: set device value...")]
    [TestCase("set device ttyS0", "set device: \"ttyS0\": not a device (want /dev/..., !command or host:port[/tcp|/udp])")]
    [TestCase("set device host:70000", "set device: \"host:70000\": port 70000 is out of range (1 to 65535)")]
    [TestCase("set device PPPoE:eth0", "set device: \"PPPoE:eth0\": PPPoE devices are not implemented")]
    [TestCase("set device ::1:80", "set device: \"::1:80\": put an IPv6 host in brackets ([addr]:port)")]
    public void Device_Bad_Error(string line, string error) => Assert.That(new InterpreterFixture().Error(line), Is.EqualTo(error));

    [Test]
    public void Device_Bad_LeavesOldList()
    {
        var f = new InterpreterFixture();
        f.Ok("set device /dev/ttyS0");
        Assert.That(f.Run("set device /dev/ttyS1 nonsense").Success, Is.False);
        Assert.That(f.Settings.Devices.Select(d => d.Text), Is.EqualTo(new[] { "/dev/ttyS0" }));
    }

    [Test]
    public void Scripts_QuotedOrWords_Stored()
    {
        var s = After(
            "set dial \"ABORT BUSY \\\"\\\" ATZ OK ATDT\\\\T CONNECT\"",
            "set login ABORT BUSY \"\" ATZ",
            "set logout x",
            "set hangup y",
            "set logout");
        Assert.That(s.DialScript, Is.EqualTo("ABORT BUSY \"\" ATZ OK ATDT\\T CONNECT"));
        Assert.That(s.LoginScript, Is.EqualTo("ABORT BUSY \"\" ATZ"));
        Assert.That(s.LogoutScript, Is.Null);
        Assert.That(s.HangupScript, Is.EqualTo("y"));
    }

    [Test]
    public void Dns_TwoAddresses_Stored()
    {
        var s = After("set dns 10.0.0.53 10.0.0.54", "set nbns 10.0.0.137");
        Assert.That((s.PrimaryDns, s.SecondaryDns), Is.EqualTo((IPAddress.Parse("10.0.0.53"), IPAddress.Parse("10.0.0.54"))));
        Assert.That((s.PrimaryNbns, s.SecondaryNbns), Is.EqualTo((IPAddress.Parse("10.0.0.137"), (IPAddress?)null)));
        Assert.That(After("set dns 1.1.1.1", "set dns").PrimaryDns, Is.Null);
    }

    [TestCase("set dns 10.0.0")]
    [TestCase("set dns ::1")]
    [TestCase("set dns 1.1.1.1 2.2.2.2 3.3.3.3")]
    [TestCase("set nbns x")]
    public void Dns_Bad_Error(string line) => Assert.That(new InterpreterFixture().Run(line).Success, Is.False);

    [Test]
    public void EchoPeriod_AndLqrPeriodAlias()
    {
        Assert.That(After("set echoperiod 10").EchoPeriod, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(After("set lqrperiod 7").EchoPeriod, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(new InterpreterFixture().Error("set echoperiod 0"), Is.EqualTo("set echoperiod: 0 is out of range (1 to 3600)"));
    }

    [Test]
    public void EchoPeriod_Misses_StoredAndPassedToLcp()
    {
        var s = After("set echoperiod 10 3", "enable echo");
        Assert.That((s.EchoPeriod, s.EchoFailures), Is.EqualTo((TimeSpan.FromSeconds(10), 3)));
        var lcp = s.ToLcpConfig();
        Assert.That((lcp.EchoPeriod, lcp.EchoFailures), Is.EqualTo((TimeSpan.FromSeconds(10), 3)));
        Assert.That(After("set echoperiod 5 3", "set echoperiod 20").EchoFailures, Is.EqualTo(BundleSettings.DefaultEchoFailures), "a missing count goes back to 5");
        Assert.That(new BundleSettings().ToLcpConfig().EchoFailures, Is.EqualTo(5));
    }

    [TestCase("set echoperiod 10 0", "set echoperiod: misses: 0 is out of range (1 to 100)")]
    [TestCase("set echoperiod 10 101", "set echoperiod: misses: 101 is out of range (1 to 100)")]
    [TestCase("set echoperiod 10 x", "set echoperiod: misses: \"x\" is not a number")]
    [TestCase("set echoperiod 3601", "set echoperiod: 3601 is out of range (1 to 3600)")]
    [TestCase("set echoperiod 10 3 1", "set echoperiod: too many arguments (3); usage: set echoperiod seconds [misses]")]
    [TestCase("set echoperiod", "set echoperiod: missing argument; usage: set echoperiod seconds [misses]")]
    public void EchoPeriod_Bad_ErrorAndUnchanged(string line, string error)
    {
        var f = new InterpreterFixture();
        f.Ok("set echoperiod 9 4");
        Assert.That(f.Error(line), Is.EqualTo(error));
        Assert.That((f.Settings.EchoPeriod, f.Settings.EchoFailures), Is.EqualTo((TimeSpan.FromSeconds(9), 4)));
    }

    [Test]
    public void Escape_HexOctets_StoredOnce()
    {
        Assert.That(After("set escape 0xff 11 13 11").Escape, Is.EqualTo(new byte[] { 0xff, 0x11, 0x13 }));
        Assert.That(After("set escape ff", "set escape").Escape, Is.Empty);
        Assert.That(new InterpreterFixture().Error("set escape 100"), Is.EqualTo("set escape: \"100\" is not a hex octet (00 to ff)"));
    }

    [Test]
    public void IfAddr_ParsedThroughIfAddr()
    {
        var s = After("set ifaddr 10.0.0.1/24 10.0.1.2-10.0.1.10,10.0.1.20 255.255.255.0 0.0.0.0");
        Assert.That(s.IfAddr.MyAddress.ToString(), Is.EqualTo("10.0.0.1/24"));
        Assert.That(s.IfAddr.HasPool, Is.True);
        Assert.That(s.IfAddr.TriggerAddress, Is.EqualTo(IPAddress.Any));
        Assert.That(new InterpreterFixture().Error("set ifaddr 10.0.0.1/40"), Is.EqualTo("set ifaddr: myaddr: \"10.0.0.1/40\" has a bad /nn (want 0 to 32)"));
    }

    [Test]
    public void IfQueue_Range()
    {
        Assert.That(After("set ifqueue 64").IfQueue, Is.EqualTo(64));
        Assert.That(new InterpreterFixture().Error("set ifqueue many"), Is.EqualTo("set ifqueue: \"many\" is not a number"));
    }

    [TestCase("lcpretry")]
    [TestCase("ipcpretry")]
    [TestCase("ipv6cpretries")]
    public void FsmRetry_AllThree_Stored(string variable)
    {
        var s = After($"set {variable} 4 6 2");
        var fsm = variable.StartsWith("lcp", StringComparison.Ordinal) ? s.LcpFsm : variable.StartsWith("ipcp", StringComparison.Ordinal) ? s.IpcpFsm : s.Ipv6cpFsm;
        Assert.That((fsm.RestartTimeout, fsm.MaxConfigure, fsm.MaxTerminate), Is.EqualTo((TimeSpan.FromSeconds(4), 6, 2)));
    }

    [TestCase("set lcpretry 0", "set lcpretry: timeout: 0 is out of range (1 to 300)")]
    [TestCase("set ipcpretry 3 x", "set ipcpretry: reqtries: \"x\" is not a number")]
    [TestCase("set lcpretry 3 5 3 1", "set lcpretry: too many arguments (4); usage: set lcpretry [timeout [reqtries [trmtries]]]")]
    [TestCase("set papretry 3 3 3", "set papretry: \"3\": no trmtries, PAP and CHAP are not terminated; usage: set papretry [timeout [reqtries]]")]
    public void Retry_Bad_Error(string line, string error) => Assert.That(new InterpreterFixture().Error(line), Is.EqualTo(error));

    [Test]
    public void PapChapRetry_ReachAuthOptions()
    {
        var auth = After("set papretry 5 4", "set chapretry 6").ToAuthOptions("host");
        Assert.That((auth.PapRetryTimeout, auth.PapMaxRetries, auth.ChapRetryTimeout, auth.ChapMaxRetries),
            Is.EqualTo((TimeSpan.FromSeconds(5), 4, TimeSpan.FromSeconds(6), 3)));
    }

    [Test]
    public void Log_ReplaceAdjustAndLocal_AsPpp8Example()
    {
        var f = new InterpreterFixture();
        f.Ok("set log phase");
        f.Ok("set log +tcp/ip -warning");
        f.Ok("set log local +command");
        f.Output.GetStringBuilder().Clear();
        f.Ok("show log");
        Assert.That(f.Output.ToString(), Is.EqualTo(
            "Log:   Phase TCP/IP Warning Error Alert" + Environment.NewLine +
            "Local: Command Warning Error Alert" + Environment.NewLine));
    }

    [Test]
    public void Log_AllMinus_KeepsAlwaysOnLevels()
    {
        var s = After("set log all -debug -lcp");
        Assert.That(s.LogLevels, Does.Contain("TCP/IP").And.Not.Contain("Debug").And.Not.Contain("LCP"));
        Assert.That(After("set log all").LogLevels, Is.EquivalentTo(LogLevels.Supported));
        Assert.That(After("set log -all").LogLevels, Is.EquivalentTo(LogLevels.AlwaysOn));
    }

    [Test]
    public void Log_Alone_ShowsLevels()
    {
        var f = new InterpreterFixture();
        f.Ok("set log");
        Assert.That(f.Output.ToString(), Does.StartWith("Log:   Phase Warning Error Alert"));
    }

    [TestCase("set log phase hdlc", "set log: HDLC: HDLC frame dumps are not written")]
    [TestCase("set log local ccp", "set log: CCP: CCP compression is not implemented")]
    [TestCase("set log id0", "set log: ID0: ppp runs as root throughout")]
    public void Log_LevelThatLogsNothingHere_RefusedWithReason(string line, string error) =>
        Assert.That(new InterpreterFixture().Error(line), Does.StartWith(error));

    [Test]
    public void Log_Timer_Accepted() =>
        Assert.That(After("set log phase +timer").LogLevels, Does.Contain(LogLevels.Timer));

    [Test]
    public void Log_RemovingALevelThatLogsNothing_Accepted() =>
        Assert.That(new InterpreterFixture().Error("set log phase -hdlc -radius"), Is.Null);

    [Test]
    public void Log_UnknownLevel_ErrorNamesIt() =>
        Assert.That(new InterpreterFixture().Error("set log phase bogus"), Does.StartWith("set log: unknown log level \"bogus\""));

    [Test]
    public void Mru_ValueAndMaximum()
    {
        var s = After("set mru 1492", "set mru max 1500");
        Assert.That((s.Mru, s.MaxMruLimit), Is.EqualTo(((int?)1492, (int?)1500)));
        Assert.That(s.ToLcpConfig().Mru, Is.EqualTo(1492));
        Assert.That(s.ToLcpConfig().MaxMru, Is.EqualTo(1500));
        Assert.That(After("set mru 1492", "set mru").Mru, Is.Null);
    }

    [TestCase("set mru 295", "set mru: 295 is out of range (296 to 16384)")]
    [TestCase("set mru 16385", "set mru: 16385 is out of range (296 to 16384)")]
    [TestCase("set mru max", "set mru: maximum needs a value; usage: set mru [max[imum]] [value]")]
    [TestCase("set mru big", "set mru: \"big\" is not a number")]
    [TestCase("set mtu 100", "set mtu: 100 is out of range (296 to 16384)")]
    public void MruMtu_Bad_Error(string line, string error) => Assert.That(new InterpreterFixture().Error(line), Is.EqualTo(error));

    [Test]
    public void Mru_AboveMaximum_Error()
    {
        var f = new InterpreterFixture();
        f.Ok("set mru maximum 1492");
        Assert.That(f.Error("set mru 1500"), Is.EqualTo("set mru: MRU 1500 is above the maximum 1492"));
    }

    [Test]
    public void MruMaximum_BelowDefault_DefaultFollows()
    {
        var s = After("set mru max 1492");
        Assert.That((s.ToLcpConfig().Mru, s.ToLcpConfig().MaxMru), Is.EqualTo(((ushort)1492, (ushort)1492)));
    }

    [Test]
    public void Mtu_CapsInterfaceMtu()
    {
        var s = After("set mtu 1400");
        Assert.That((s.InterfaceMtu(1500), s.InterfaceMtu(1300)), Is.EqualTo((1400, 1300)));
    }

    [Test]
    public void OpenMode_ActiveDelayAndPassive()
    {
        var s = After("set openmode active 0");
        Assert.That((s.OpenMode, s.LcpFsm.Passive), Is.EqualTo((OpenMode.Active, false)));
        Assert.That(After("set openmode passive").LcpFsm.Passive, Is.True);
        Assert.That(new InterpreterFixture().Error("set openmode active 3"), Does.StartWith("set openmode: active 3: a delay before the first Configure-Request is not implemented"));
        Assert.That(new InterpreterFixture().Error("set openmode passive 3"), Is.EqualTo("set openmode: \"3\": a delay applies to active only"));
        Assert.That(new InterpreterFixture().Error("set openmode lazy"), Is.EqualTo("set openmode: \"lazy\" is not active or passive"));
    }

    [Test]
    public void Parity_Values()
    {
        Assert.That(After("set parity even").Parity, Is.EqualTo(Parity.Even));
        Assert.That(After("set parity ODD").Parity, Is.EqualTo(Parity.Odd));
        Assert.That(new InterpreterFixture().Error("set parity mark"), Is.EqualTo("set parity: mark parity is not supported"));
        Assert.That(new InterpreterFixture().Error("set parity sideways"), Is.EqualTo("set parity: \"sideways\" is not odd, even or none"));
    }

    [Test]
    public void Phone_BackupsAndNext()
    {
        var s = After("set phone 123|456:789");
        Assert.That(s.PhoneNumbers, Is.EqualTo(new[] { new[] { "123", "456" }, new[] { "789" } }));
        Assert.That(new InterpreterFixture().Error("set phone 123||4"), Is.EqualTo("set phone: \"123||4\" has an empty number"));
        Assert.That(new InterpreterFixture().Error("set phone 12;3"), Is.EqualTo("set phone: \"12;3\" is not a phone number"));
    }

    [Test]
    public void Reconnect_Values()
    {
        Assert.That(After("set reconnect 5 3").Reconnect, Is.EqualTo(new ReconnectSettings(5, false, 3)));
        Assert.That(After("set reconnect random 2").Reconnect, Is.EqualTo(new ReconnectSettings(3, true, 2)));
        Assert.That(After("set reconnect 0 0").Reconnect, Is.EqualTo(new ReconnectSettings(0, false, 0)));
        Assert.That(After("set reconnect 86400 10000").Reconnect, Is.EqualTo(new ReconnectSettings(86400, false, 10000)));
        Assert.That(new InterpreterFixture().Error("set reconnect 5"), Is.EqualTo("set reconnect: want 2 arguments, got 1; usage: set reconnect timeout|random ntries"));
    }

    [TestCase("set reconnect 86401 1", "set reconnect: timeout: 86401 is out of range (0 to 86400)")]
    [TestCase("set reconnect 3 10001", "set reconnect: ntries: 10001 is out of range (0 to 10000)")]
    [TestCase("set reconnect x 1", "set reconnect: timeout: \"x\" is not a number")]
    [TestCase("set reconnect 3 -1", "set reconnect: ntries: \"-1\" is not a number")]
    [TestCase("set reconnect 3 1 1", "set reconnect: want 2 arguments, got 3; usage: set reconnect timeout|random ntries")]
    public void Reconnect_Bad_ErrorAndUnchanged(string line, string error)
    {
        var f = new InterpreterFixture();
        f.Ok("set reconnect 7 2");
        Assert.That(f.Error(line), Is.EqualTo(error));
        Assert.That(f.Settings.Reconnect, Is.EqualTo(new ReconnectSettings(7, false, 2)));
    }

    [TestCase("set reconnect 5 3", "5 3")]
    [TestCase("set reconnect random 2", "random 2")]
    [TestCase("set reconnect 0 0", "0 0")]
    public void Reconnect_Show_RoundTrips(string line, string shown)
    {
        var s = After(line);
        Assert.That(s.Reconnect.ToString(), Is.EqualTo(shown));
        Assert.That(After($"set reconnect {shown}").Reconnect, Is.EqualTo(s.Reconnect));
        var f = new InterpreterFixture();
        f.Ok(line);
        f.Ok("show bundle");
        Assert.That(f.Output.ToString(), Does.Contain($" Reconnect:   {shown}{Environment.NewLine}"));
    }

    [TestCase("set redial 10", 10, false, 0, 10, 3, false, 1)]
    [TestCase("set redial 10 4", 10, false, 0, 10, 3, false, 4)]
    [TestCase("set redial 10+5", 10, false, 5, 10, 3, false, 1)]
    [TestCase("set redial 10+5-4", 10, false, 5, 4, 3, false, 1)]
    [TestCase("set redial 10+5-4.2 7", 10, false, 5, 4, 2, false, 7)]
    [TestCase("set redial 10.2", 10, false, 0, 10, 2, false, 1)]
    [TestCase("set redial 10+5.2 0", 10, false, 5, 10, 2, false, 0)]
    [TestCase("set redial 10+0-5 2", 10, false, 0, 5, 3, false, 2)]
    [TestCase("set redial 0.0 0", 0, false, 0, 10, 0, false, 0)]
    [TestCase("set redial random", 30, true, 0, 10, 3, false, 1)]
    [TestCase("set redial random.4 2", 30, true, 0, 10, 4, false, 2)]
    [TestCase("set redial 10.random", 10, false, 0, 10, 3, true, 1)]
    [TestCase("set redial 10+5-4.random 3", 10, false, 5, 4, 3, true, 3)]
    [TestCase("set redial random.random 0", 30, true, 0, 10, 3, true, 0)]
    [TestCase("set redial RANDOM.Random 0", 30, true, 0, 10, 3, true, 0)]
    [TestCase("set redial 3+1 2", 3, false, 1, 10, 3, false, 2)]
    [TestCase("set redial 86400+86400-10000.86400 10000", 86400, false, 86400, 10000, 86400, false, 10000)]
    public void Redial_Forms(string line, int secs, bool random, int inc, int max, int next, bool randomNext, int attempts) =>
        Assert.That(After(line).Redial, Is.EqualTo(new RedialSettings(secs, random, inc, max, next, randomNext, attempts)));

    [TestCase("set redial 10")]
    [TestCase("set redial 10+5-4.2 7")]
    [TestCase("set redial 10+5 2")]
    [TestCase("set redial 10+0-5 2")]
    [TestCase("set redial random.random 0")]
    [TestCase("set redial random.4 2")]
    [TestCase("set redial 10.random")]
    [TestCase("set redial 0.0 0")]
    public void Redial_Show_RoundTrips(string line)
    {
        var s = After(line);
        string shown = s.Redial.ToString();
        Assert.That(After("set redial 5 9", $"set redial {shown}").Redial, Is.EqualTo(s.Redial), shown);
        var f = new InterpreterFixture();
        f.Ok(line);
        f.Ok("show bundle");
        Assert.That(f.Output.ToString(), Does.Contain($" Redial:      {shown}{Environment.NewLine}"));
    }

    [TestCase("set redial 10+5-4.2 7", "10+5-4.2 7")]
    [TestCase("set redial 10+5 2", "10+5.3 2")]
    [TestCase("set redial random.random 0", "random.random 0")]
    [TestCase("set redial 30", "30.3 1")]
    public void Redial_Show_Text(string line, string shown) => Assert.That(After(line).Redial.ToString(), Is.EqualTo(shown));

    [Test]
    public void Redial_AttemptsOmitted_KeepsThePreviousCount() =>
        Assert.That(After("set redial 1+1-1.1 3", "set redial 7").Redial, Is.EqualTo(new RedialSettings(7, Attempts: 3)));

    [TestCase("set redial x")]
    [TestCase("set redial 1+x")]
    [TestCase("set redial 1+2-x")]
    [TestCase("set redial 1.x")]
    [TestCase("set redial 1 many")]
    [TestCase("set redial 10-5")]
    [TestCase("set redial +5")]
    [TestCase("set redial 10.")]
    [TestCase("set redial 10+")]
    [TestCase("set redial 10+5-")]
    [TestCase("set redial .3")]
    [TestCase("set redial 10.3.4")]
    [TestCase("set redial random+5")]
    [TestCase("set redial random+5-2.3")]
    [TestCase("set redial 10 -1")]
    [TestCase("set redial 10 1 2")]
    [TestCase("set redial")]
    public void Redial_Bad_Error(string line)
    {
        var f = new InterpreterFixture();
        f.Ok("set redial 4 4");
        Assert.That(f.Error(line), Does.StartWith("set redial: "));
        Assert.That(f.Settings.Redial, Is.EqualTo(new RedialSettings(4, Attempts: 4)), "unchanged");
    }

    [TestCase("set redial 86401", "set redial: secs: 86401 is out of range (0 to 86400) in \"86401\" (want secs[+inc[-max]][.next])")]
    [TestCase("set redial 1+86401", "set redial: inc: 86401 is out of range (0 to 86400) in \"1+86401\" (want secs[+inc[-max]][.next])")]
    [TestCase("set redial 1+1-10001", "set redial: max: 10001 is out of range (0 to 10000) in \"1+1-10001\" (want secs[+inc[-max]][.next])")]
    [TestCase("set redial 1.86401", "set redial: next: 86401 is out of range (0 to 86400) in \"1.86401\" (want secs[+inc[-max]][.next])")]
    [TestCase("set redial 1 10001", "set redial: attempts: 10001 is out of range (0 to 10000)")]
    [TestCase("set redial random+5", "set redial: a random secs takes no increment in \"random+5\" (want secs[+inc[-max]][.next])")]
    public void Redial_OutOfRange_NamesThePart(string line, string error) =>
        Assert.That(new InterpreterFixture().Error(line), Is.EqualTo(error));

    [Test]
    public void Speed_TtyRatesAndSync()
    {
        Assert.That(After("set speed 115200").Speed, Is.EqualTo(115200));
        var sync = After("set speed sync");
        Assert.That((sync.Synchronous, sync.Speed), Is.EqualTo((true, (int?)null)));
        Assert.That(new InterpreterFixture().Error("set speed 12345"), Does.StartWith("set speed: \"12345\" is not a tty speed"));
    }

    [Test]
    public void Stopped_LcpSecondsAndCcpRefused()
    {
        Assert.That(new InterpreterFixture().Error("set stopped 0 0"), Is.Null);
        Assert.That(new InterpreterFixture().Error("set stopped 30"), Does.StartWith("set stopped: 30: a Stopped-state timeout is not implemented"));
        Assert.That(new InterpreterFixture().Error("set stopped 30 20"), Is.EqualTo("set stopped: CCPseconds \"20\": CCP compression is not implemented"));
    }

    [Test]
    public void Timeout_IdleAndMinimum()
    {
        var s = After("set timeout 300 60");
        Assert.That((s.IdleTimeout, s.IdleMinimum), Is.EqualTo((TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(60))));
        Assert.That(new BundleSettings().IdleTimeout, Is.EqualTo(TimeSpan.FromSeconds(180)));
        Assert.That(new InterpreterFixture().Error("set timeout"), Is.EqualTo("set timeout: missing argument; usage: set timeout idleseconds [mintimeout]"));
    }

    [Test]
    public void Set_Alone_AsksForVariable() =>
        Assert.That(new InterpreterFixture().Error("set"), Is.EqualTo("set: missing argument; \"set help\" lists them"));
}
