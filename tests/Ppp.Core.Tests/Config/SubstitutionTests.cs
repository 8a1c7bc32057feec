using NUnit.Framework;
using Ppp.Core.Config;

namespace Ppp.Core.Tests.Config;

[TestFixture]
public sealed class SubstitutionTests
{
    private static readonly Dictionary<string, string> Words = new()
    {
        ["HISADDR"] = "10.0.0.2",
        ["HISADDR6"] = "fe80::2",
        ["MYADDR"] = "10.0.0.1",
        ["INTERFACE"] = "ppp0",
        ["LABEL"] = "isp",
    };

    [TestCase("HISADDR", "10.0.0.2")]
    [TestCase("HISADDR6", "fe80::2")]
    [TestCase("--peer=HISADDR", "--peer=10.0.0.2")]
    [TestCase("HISADDR:80", "10.0.0.2:80")]
    [TestCase("MYADDR-HISADDR", "10.0.0.1-10.0.0.2")]
    [TestCase("/var/run/INTERFACE.pid", "/var/run/ppp0.pid")]
    [TestCase("XHISADDR", "XHISADDR")]
    [TestCase("HISADDRX", "HISADDRX")]
    [TestCase("HISADDR_", "HISADDR_")]
    [TestCase("DNS0", "DNS0")]
    [TestCase("hisaddr", "hisaddr")]
    [TestCase("", "")]
    public void Substitute_Word_ReplacedOnlyWhole(string arg, string expected) =>
        Assert.That(Substitution.Substitute(arg, Words), Is.EqualTo(expected));

    [Test]
    public void Substitute_Argv_EachArgument() =>
        Assert.That(Substitution.Substitute(["echo", "LABEL", "INTERFACE up"], Words), Is.EqualTo(new[] { "echo", "isp", "ppp0 up" }));

    [Test]
    public void KnownWords_IncludePpp8List() =>
        Assert.That(Substitution.KnownWords, Is.SupersetOf(new[] { "AUTHNAME", "DNS0", "DNS1", "ENDDISC", "HISADDR6", "PROCESSID", "SOCKNAME", "UPTIME", "USER", "VERSION", "COMPILATIONDATE", "PEER_ENDDISC" }));
}
