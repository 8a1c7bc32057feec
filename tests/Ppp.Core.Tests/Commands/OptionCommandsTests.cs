using NUnit.Framework;
using Ppp.Core.Config;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Core.Tests.Commands;

[TestFixture]
public sealed class OptionCommandsTests
{
    [Test]
    public void Defaults_AsPpp8()
    {
        var s = new BundleSettings();
        Assert.That(s.GetOption("acfcomp"), Is.EqualTo(OptionPolicy.Both));
        Assert.That(s.GetOption("protocomp"), Is.EqualTo(OptionPolicy.Both));
        Assert.That(s.GetOption("pap"), Is.EqualTo(OptionPolicy.Accept));
        Assert.That(s.GetOption("chap"), Is.EqualTo(OptionPolicy.Accept));
        Assert.That(s.GetOption("chap81"), Is.EqualTo(OptionPolicy.Accept));
        Assert.That(s.GetOption("dns"), Is.EqualTo(OptionPolicy.None));
        Assert.That((s.EchoEnabled, s.MssFixup, s.IpcpEnabled, s.Ipv6cpEnabled), Is.EqualTo((false, true, true, true)));
        var lcp = s.ToLcpConfig();
        Assert.That(lcp.RequirePeerAuthentication, Is.Empty);
        Assert.That(lcp.AcceptOwnAuthentication, Is.EqualTo(new[] { AuthProtocol.MsChapV2, AuthProtocol.ChapMd5, AuthProtocol.Pap }));
        Assert.That(lcp.EchoPeriod, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Enable_Auth_RequiresItOfPeerInPpp8Order()
    {
        var f = new InterpreterFixture();
        f.Ok("enable pap chap81 chap");
        Assert.That(f.Settings.ToLcpConfig().RequirePeerAuthentication, Is.EqualTo(new[] { AuthProtocol.ChapMd5, AuthProtocol.MsChapV2, AuthProtocol.Pap }));
    }

    [Test]
    public void Deny_Auth_RemovesItFromWhatWeAccept()
    {
        var f = new InterpreterFixture();
        f.Ok("deny pap mschapv2");
        Assert.That(f.Settings.ToLcpConfig().AcceptOwnAuthentication, Is.EqualTo(new[] { AuthProtocol.ChapMd5 }));
    }

    [Test]
    public void DisableDeny_Compression_ReachesLcpConfig()
    {
        var f = new InterpreterFixture();
        f.Ok("disable acfcomp");
        f.Ok("deny protocomp");
        var lcp = f.Settings.ToLcpConfig();
        Assert.That((lcp.AddressControlCompression, lcp.ProtocolCompression), Is.EqualTo((OptionPolicy.Accept, OptionPolicy.Enable)));
    }

    [Test]
    public void EnableAcceptDns_ReachIpcpConfig()
    {
        var f = new InterpreterFixture();
        f.Ok("enable dns");
        Assert.That((f.Settings.ToIpcpConfig().EnableDns, f.Settings.ToIpcpConfig().AcceptDns), Is.EqualTo((true, false)));
        f.Ok("accept dns");
        f.Ok("set dns 10.0.0.53");
        var ipcp = f.Settings.ToIpcpConfig();
        Assert.That((ipcp.AcceptDns, ipcp.PrimaryDns?.ToString()), Is.EqualTo((true, "10.0.0.53")));
    }

    [Test]
    public void EnableEcho_GivesLcpEchoPeriod()
    {
        var f = new InterpreterFixture();
        f.Ok("set echoperiod 10");
        f.Ok("enable echo");
        Assert.That(f.Settings.ToLcpConfig().EchoPeriod, Is.EqualTo(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void DisableNcp_Recorded()
    {
        var f = new InterpreterFixture();
        f.Ok("disable ipv6cp");
        Assert.That((f.Settings.IpcpEnabled, f.Settings.Ipv6cpEnabled), Is.EqualTo((true, false)));
    }

    [TestCase("enable mschap", "enable: mschap: MS-CHAP v1 (chap80) is not supported; use mschapv2 (chap81)")]
    [TestCase("accept chap80", "accept: mschap: MS-CHAP v1 (chap80) is not supported; use mschapv2 (chap81)")]
    [TestCase("enable lqr", "enable: lqr: LQR is not implemented; use enable echo with set echoperiod")]
    [TestCase("enable deflate", "enable: deflate: CCP compression is not implemented")]
    [TestCase("enable proxy", "enable: proxy: proxy ARP is not implemented")]
    [TestCase("disable idcheck", "disable: idcheck: replies whose Identifier is not the outstanding request's are always dropped (RFC 1661 §5)")]
    [TestCase("disable loopback", "disable: loopback: Linux delivers packets for the interface's own address locally before they reach the tun, so they are always looped back")]
    [TestCase("disable sroutes", "disable: sroutes: routes naming MYADDR, HISADDR, MYADDR6, HISADDR6, DNS0, DNS1 or default are always re-applied when those change (not re-applying them is not implemented)")]
    [TestCase("enable throughput", "enable: throughput: throughput rates are not gathered; show physical and the JSON status give the octet and packet counters")]
    [TestCase("accept echo", "accept: echo is not negotiated with the peer; use enable or disable")]
    [TestCase("enable bogus", "enable: unknown option \"bogus\"; \"enable ?\" lists them")]
    [TestCase("enable", "enable: missing option; \"enable ?\" lists them")]
    public void Option_Bad_Error(string line, string error) => Assert.That(new InterpreterFixture().Error(line), Is.EqualTo(error));

    [Test]
    public void DisableUnimplemented_Accepted()
    {
        var f = new InterpreterFixture();
        f.Ok("disable lqr deflate pred1 vjcomp mppe");
        f.Ok("deny lqr deflate pred1 vj");
    }

    [Test]
    public void Option_OneBadWord_ChangesNothing()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Run("enable pap bogus").Success, Is.False);
        Assert.That(f.Settings.IsEnabled("pap"), Is.False);
    }

    [Test]
    public void Option_CaseInsensitive()
    {
        var f = new InterpreterFixture();
        f.Ok("enable PAP MSChapV2");
        Assert.That((f.Settings.IsEnabled("pap"), f.Settings.IsEnabled("mschapv2")), Is.EqualTo((true, true)));
    }

    [Test]
    public void EnableQuestion_ListsTable()
    {
        var f = new InterpreterFixture();
        f.Ok("enable ?");
        Assert.That(f.Output.ToString(), Does.Contain("chap05|chap").And.Contain("disabled, accepted").And.Contain("not implemented: LQR"));
    }

    [Test]
    public void ToAuthOptions_CredentialsAndLocalName()
    {
        var s = new BundleSettings();
        Assert.That(s.ToAuthOptions("myhost").Credentials, Is.Null);
        Assert.That(s.ToAuthOptions("myhost").LocalName, Is.EqualTo("myhost"));
        s.AuthName = "alice";
        s.AuthKey = "pw";
        var auth = s.ToAuthOptions("myhost");
        Assert.That((auth.Credentials, auth.LocalName), Is.EqualTo((new AuthCredentials("alice", "pw"), "alice")));
    }

    [Test]
    public void Clone_Independent()
    {
        var s = new BundleSettings();
        s.Escape.Add(1);
        var copy = s.Clone();
        copy.Escape.Add(2);
        copy.SetOption("pap", OptionPolicy.Both);
        copy.LogLevels.Add("LCP");
        Assert.That((s.Escape.Count, s.GetOption("pap"), s.LogLevels.Contains("LCP")), Is.EqualTo((1, OptionPolicy.Accept, false)));
    }
}
