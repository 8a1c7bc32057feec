using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests;

/// <summary>
/// <c>ppp</c>'s command line as a new user meets it (issue 12): help and version, what
/// <c>-check</c> says of a missing ppp.conf, of ppp.linkup's commands and of the mode, and
/// <c>-demo</c>'s and <c>-background</c>'s messages. Each runs the built daemon with a
/// configuration folder of its own; none needs root or a device.
/// </summary>
[TestFixture]
public sealed class ProgramTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ppp-cmdline-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    [TestCase("-h")]
    [TestCase("-help")]
    [TestCase("--help")]
    public void Help_AnySpelling_PrintsUsageAndExitsZero(string flag)
    {
        var result = Ppp(flag);
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        Assert.That(result.StdOut, Does.StartWith("usage: ppp "), result.Describe());
    }

    [TestCase("-v")]
    [TestCase("--version")]
    public void Version_PrintsVersionAndExitsZero(string flag)
    {
        var result = Ppp(flag);
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        Assert.That(result.StdOut, Does.Match(@"^ppp version \d+\.\d+"), result.Describe());
    }

    [Test]
    public void Check_NoSuchConfDir_IsAnErrorNamingThePath()
    {
        var result = PppIn(Path.Combine(_dir.FullName, "nonexistent"), "-check");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Describe());
        Assert.That(result.StdErr, Does.Contain(Path.Combine(_dir.FullName, "nonexistent", "ppp.conf")), result.Describe());
        Assert.That(result.StdOut, Does.Not.Contain("valid"), result.Describe());
    }

    [Test]
    public void Check_EmptyConfDir_IsAnError()
    {
        var result = PppIn(_dir.FullName, "-check");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Describe());
        Assert.That(result.StdErr, Does.Contain("ppp.conf: cannot be read"), result.Describe());
    }

    [Test]
    public void Check_FileWithoutDefault_IsValid()
    {
        Write("ppp.conf", "isp:\n set mru 1400\n");
        var result = PppIn(_dir.FullName, "-check");
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        Assert.That(result.StdOut, Does.Contain("is valid"), result.Describe());
    }

    [TestCase(" frob", "ppp.linkup:2: unknown command: frob")]
    [TestCase(" set mru 99999", "ppp.linkup:2: set mru: 99999 is out of range")]
    public void Check_BadCommandInLinkUp_NamesFileAndLine(string line, string expected)
    {
        Write("ppp.conf", "default:\n set mru 1400\n");
        Write("ppp.linkup", $"MYADDR:\n{line}\n");
        var result = PppIn(_dir.FullName, "-check");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Describe());
        Assert.That(result.StdErr, Does.Contain(expected), result.Describe());
    }

    [Test]
    public void Check_BadCommandInLinkDown_NamesFileAndLine()
    {
        Write("ppp.conf", "default:\n set mru 1400\n");
        Write("ppp.linkdown", "isp:\n delete ALL\n bogus word\n");
        var result = PppIn(_dir.FullName, "-check");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Describe());
        Assert.That(result.StdErr, Does.Contain("ppp.linkdown:3: unknown command: bogus"), result.Describe());
    }

    [Test]
    public void Check_WithAuto_SaysWhatAutoSays()
    {
        Write("ppp.conf", "default:\n set mru 1400\nx:\n set device /dev/null\n");
        var check = PppIn(_dir.FullName, "-check", "-auto", "x");
        var run = PppIn(_dir.FullName, "-auto", "x");
        Assert.That(check.ExitCode, Is.EqualTo(run.ExitCode), check.Describe() + run.Describe());
        Assert.That(check.StdErr, Is.EqualTo(run.StdErr).And.Contains("-auto"), check.Describe());
    }

    [Test]
    public void Check_ModeThatDialsWithoutDevice_SaysSo()
    {
        Write("ppp.conf", "default:\n set mru 1400\n");
        var result = PppIn(_dir.FullName, "-check", "-ddial");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Describe());
        Assert.That(result.StdErr, Does.Contain("-ddial: no device to dial"), result.Describe());
    }

    [Test]
    public void Demo_ExtraWord_IsAUsageError()
    {
        var result = Ppp("-demo", "chap", "extra");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Describe());
        Assert.That(result.StdErr, Does.Contain("\"extra\" is extra"), result.Describe());
    }

    [Test]
    public void Demo_AfterCheck_SaysWhyNotUnknown()
    {
        var result = Ppp("-check", "-demo");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Describe());
        Assert.That(result.StdErr, Does.Contain("-demo comes alone").And.Not.Contains("unknown option"), result.Describe());
    }

    [Test]
    public void Background_UnknownLabel_SaysOnlyTheConfigurationError()
    {
        Write("ppp.conf", "default:\n set mru 1400\n");
        var result = PppIn(_dir.FullName, "-background", "nosuch");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Describe());
        Assert.That(result.StdErr, Does.Contain("label \"nosuch\" not found"), result.Describe());
        Assert.That(result.StdErr, Does.Not.Contain("link failed").And.Not.Contains("daemon exited"), result.Describe());
    }

    [Test]
    public void Check_LabelDifferingOnlyByCase_Hints()
    {
        Write("ppp.conf", "Default:\n set mru 1400\n");
        var result = PppIn(_dir.FullName, "-check", "default");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Describe());
        Assert.That(result.StdErr, Does.Contain("did you mean Default?"), result.Describe());
    }

    [Test]
    public void Check_HomeAndVariables_ExpandedAsPppDoes()
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "home"));
        File.WriteAllText(Path.Combine(_dir.FullName, "home", "isp.conf"), "isp:\n set device ${HOME}/modem\n");
        Write("ppp.conf", "default:\n set mru 1400\n!include ~/isp.conf\n");
        var result = ProcessRunner.Run("/usr/bin/env",
            [$"HOME={_dir.FullName}/home", $"PPP_CONFDIR={_dir.FullName}", DaemonEnvironment.Dotnet, DaemonEnvironment.PppDll, "-check", "-ddial", "isp"],
            TimeSpan.FromSeconds(60));
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir.FullName, name), text);

    private static ProcessResult Ppp(params string[] args) =>
        ProcessRunner.Run(DaemonEnvironment.Dotnet, [DaemonEnvironment.PppDll, .. args], TimeSpan.FromSeconds(60));

    private static ProcessResult PppIn(string confDir, params string[] args) =>
        ProcessRunner.Run("/usr/bin/env", [$"PPP_CONFDIR={confDir}", DaemonEnvironment.Dotnet, DaemonEnvironment.PppDll, .. args], TimeSpan.FromSeconds(60));
}
