using NUnit.Framework;
using Ppp.Tun.Dns;

namespace Ppp.Tun.Tests.Dns;

[TestFixture]
public sealed class ProcessRunnerTests
{
    [Test]
    public void Run_Program_ReturnsItsExitCodeAndBothOutputs()
    {
        (int exitCode, string output) = ProcessRunner.Default.Run("sh", ["-c", "echo out; echo err >&2; exit 3"]);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(3));
            Assert.That(output, Does.Contain("out\n").And.Contain("err\n"));
        });
    }

    [Test]
    public void Run_ArgumentsWithSpaces_ArePassedWithoutAShell()
    {
        (_, string output) = ProcessRunner.Default.Run("printf", ["%s|", "a b", "$HOME"]);

        Assert.That(output, Is.EqualTo("a b|$HOME|"));
    }

    [Test]
    public void Run_MissingProgram_Returns127()
    {
        (int exitCode, string output) = ProcessRunner.Default.Run("/nonexistent/resolvectl", []);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ProcessRunner.CannotStart));
            Assert.That(output, Does.Contain("/nonexistent/resolvectl"));
        });
    }

    [Test]
    public void Run_ProgramThatHangs_IsKilledAndReports124()
    {
        var runner = new ProcessRunner(TimeSpan.FromMilliseconds(200));

        (int exitCode, _) = runner.Run("sleep", ["60"]);

        Assert.That(exitCode, Is.EqualTo(ProcessRunner.TimedOut));
    }

    [TestCase("sh", true)]
    [TestCase("/bin/sh", true)]
    [TestCase("no-such-program-anywhere", false)]
    public void IsAvailable_Program_FollowsPathAndTheExecuteBit(string file, bool expected) =>
        Assert.That(ProcessRunner.Default.IsAvailable(file), Is.EqualTo(expected));

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void IsAvailable_FileWithoutExecuteBit_IsFalse()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            Assert.That(ProcessRunner.Default.IsAvailable(file), Is.False);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
