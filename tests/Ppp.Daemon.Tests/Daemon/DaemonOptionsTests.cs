using NUnit.Framework;
using Ppp.Daemon.Daemon;

namespace Ppp.Daemon.Tests.Daemon;

[TestFixture]
public class DaemonOptionsTests
{
    [TestCase("-background", "Background")]
    [TestCase("-foreground", "Foreground")]
    [TestCase("-direct", "Direct")]
    [TestCase("-dedicated", "Dedicated")]
    [TestCase("-auto", "Auto")]
    [TestCase("-ddial", "DDial")]
    [TestCase("-interactive", "Interactive")]
    public void Parse_ModeFlag_SetsMode(string flag, string mode)
    {
        var (options, error) = DaemonOptions.Parse([flag, "isp"]);

        Assert.That(error, Is.Null);
        Assert.That(options!.Mode.ToString(), Is.EqualTo(mode));
        Assert.That(options.Systems, Is.EqualTo(new[] { "isp" }));
    }

    [Test]
    public void Parse_NoFlags_IsInteractiveWithNoSystems()
    {
        var (options, _) = DaemonOptions.Parse([]);

        Assert.That(options!.Mode.ToString(), Is.EqualTo("Interactive"));
        Assert.That(options.Systems, Is.Empty);
        Assert.That(options.Unit, Is.Null);
    }

    [Test]
    public void Parse_UnitQuietCheckAndSeveralSystems_AllKept()
    {
        var (options, _) = DaemonOptions.Parse(["-check", "-quiet", "-unit7", "a", "b"]);

        Assert.That(options!.Check, Is.True);
        Assert.That(options.Quiet, Is.True);
        Assert.That(options.Unit, Is.EqualTo(7));
        Assert.That(options.Systems, Is.EqualTo(new[] { "a", "b" }));
    }

    [TestCase("-unit")]
    [TestCase("-unitx")]
    [TestCase("-unit-1")]
    [TestCase("-unit99999")]
    public void Parse_BadUnit_IsAnError(string flag)
    {
        var (options, error) = DaemonOptions.Parse([flag]);

        Assert.That(options, Is.Null);
        Assert.That(error, Does.Contain("-unitN"));
    }

    [Test]
    public void Parse_TwoModes_IsAnError()
    {
        var (options, error) = DaemonOptions.Parse(["-background", "-direct"]);

        Assert.That(options, Is.Null);
        Assert.That(error, Does.Contain("only one mode"));
    }

    [Test]
    public void Parse_UnknownFlag_NamesItAndShowsUsage()
    {
        var (_, error) = DaemonOptions.Parse(["-bogus"]);

        Assert.That(error, Does.Contain("-bogus").And.Contain("usage:"));
    }

    [Test]
    public void Parse_Nat_SaysItIsNotInThisBuild()
    {
        var (_, error) = DaemonOptions.Parse(["-nat"]);

        Assert.That(error, Does.Contain("NAT"));
    }

    [TestCase("-demo", "ChapMd5")]
    [TestCase("-demo pap", "Pap")]
    [TestCase("-demo chap81", "MsChapV2")]
    [TestCase("-demo none", "None")]
    public void Parse_Demo_TakesOneAuthWord(string line, string auth)
    {
        var (options, error) = DaemonOptions.Parse(line.Split(' '));

        Assert.That(error, Is.Null);
        Assert.That(options!.Demo.ToString(), Is.EqualTo(auth));
    }

    [TestCase("-demo chap extra", "\"extra\" is extra")]
    [TestCase("-demo bogus", "\"bogus\" is not pap")]
    [TestCase("-check -demo", "-demo comes alone")]
    [TestCase("-direct -demo pap", "-demo comes alone")]
    public void Parse_DemoMisused_SaysWhy(string line, string why)
    {
        var (options, error) = DaemonOptions.Parse(line.Split(' '));

        Assert.That(options, Is.Null);
        Assert.That(error, Does.Contain(why));
    }

    [TestCase("-h")]
    [TestCase("-help")]
    [TestCase("--help")]
    [TestCase("-check --help")]
    public void Parse_Help_AsksForUsage(string line)
    {
        var (options, error) = DaemonOptions.Parse(line.Split(' '));

        Assert.That(error, Is.Null);
        Assert.That(options!.Help, Is.True);
    }

    [TestCase("-v")]
    [TestCase("-version")]
    [TestCase("--version")]
    public void Parse_Version_AsksForVersion(string flag)
    {
        var (options, _) = DaemonOptions.Parse([flag]);

        Assert.That(options!.Version, Is.True);
    }
}
