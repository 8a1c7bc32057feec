using NUnit.Framework;
using Ppp.Core.Config;

namespace Ppp.Core.Tests.Config;

[TestFixture]
public sealed class LinkScriptTests
{
    private static readonly ConfigFile File = ConfigFile.Parse("ppp.linkup",
        "MYADDR:\n bg echo any\n10.0.0.1:\n add 10.1.0.0/16 HISADDR\nisp:\n add default HISADDR\n");

    [TestCase("10.0.0.1", "isp", "10.0.0.1")]
    [TestCase("10.0.0.2", "isp", "isp")]
    [TestCase("10.0.0.2", "other", "MYADDR")]
    [TestCase(null, null, "MYADDR")]
    public void Select_Ppp8Order(string? myAddress, string? label, string expected) =>
        Assert.That(LinkScript.Select(File, myAddress, label)!.Label, Is.EqualTo(expected));

    [Test]
    public void Select_Lines_CarryFileAndLine() =>
        Assert.That(LinkScript.Select(File, "10.9.9.9", "isp")!.Lines, Is.EqualTo(new[] { new ConfigLine("ppp.linkup", 6, "add default HISADDR") }));

    [Test]
    public void Select_NothingMatches_Null() =>
        Assert.That(LinkScript.Select(ConfigFile.Parse("ppp.linkup", "isp:\n x\n"), "1.2.3.4", "other"), Is.Null);
}
