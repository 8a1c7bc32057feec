using NUnit.Framework;
using Ppp.Ctl;

namespace Ppp.Control.Tests.Pppctl;

[TestFixture]
public sealed class CtlOptionsTests
{
    [Test]
    public void Parse_FlagsPortAndCommands_SplitsAtSemicolons()
    {
        var (options, error) = CtlOptions.Parse(["-v", "-t", "5", "-p", "pw", "3000", "show", "ipcp;", "show", "lcp", ";;quit"]);
        Assert.That(error, Is.Null);
        Assert.That(options!.Verbose, Is.True);
        Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(options.Password, Is.EqualTo("pw"));
        Assert.That(options.Target, Is.EqualTo("127.0.0.1:3000"));
        Assert.That(options.Commands, Is.EqualTo(new[] { "show ipcp", "show lcp", "quit" }));
    }

    [TestCase("/var/run/ppp.sock", "/var/run/ppp.sock")]
    [TestCase("gw:3001", "gw:3001")]
    [TestCase("[::1]:3001", "[::1]:3001")]
    public void Parse_Target_IsLocalOrTcp(string word, string target)
    {
        Assert.That(CtlOptions.Parse([word]).Options!.Target, Is.EqualTo(target));
    }

    [TestCase("-h")]
    [TestCase("-help")]
    [TestCase("--help")]
    public void Parse_Help_AsksForUsage(string flag)
    {
        var (options, error) = CtlOptions.Parse([flag]);
        Assert.That(error, Is.Null);
        Assert.That(options!.Help, Is.True);
    }

    [TestCase("--version")]
    [TestCase("-version")]
    public void Parse_Version_AsksForVersion(string flag)
    {
        var (options, error) = CtlOptions.Parse(["-t", "3", flag]);
        Assert.That(error, Is.Null);
        Assert.That(options!.Version, Is.True);
    }

    [TestCase(new string[0], "missing Port")]
    [TestCase(new[] { "-t" }, "-t needs")]
    [TestCase(new[] { "-t", "0", "3000" }, "-t needs")]
    [TestCase(new[] { "-p" }, "-p needs")]
    [TestCase(new[] { "-x", "3000" }, "unknown option")]
    [TestCase(new[] { "http" }, "not a port")]
    [TestCase(new[] { "70000" }, "not a port")]
    public void Parse_Invalid_SaysWhy(string[] args, string why)
    {
        var (options, error) = CtlOptions.Parse(args);
        Assert.That(options, Is.Null);
        Assert.That(error, Does.Contain(why));
    }
}
