using NUnit.Framework;
using Ppp.ModemSim.Tests.Support;

namespace Ppp.ModemSim.Tests;

/// <summary>The shipped ppp-modemsim as a process: stdout line, link, control socket, signals, status file.</summary>
[TestFixture]
public sealed class ProgramTests
{
    [Test]
    public void Start_PublishesTheLinkToThePtyItPrinted()
    {
        using ModemSimProcess modem = ModemSimProcess.Start([]);

        Assert.That(new FileInfo(modem.LinkPath).LinkTarget, Is.EqualTo(modem.SlavePath).And.StartWith("/dev/pts/"));
    }

    [Test]
    public void SigUsr1_IsAnExternalReset()
    {
        using ModemSimProcess modem = ModemSimProcess.Start(["--silent"]);

        modem.Child.Signal("USR1");

        Assert.That(Poll.Until(() => modem.Status("resets") == "1", TimeSpan.FromSeconds(10)), Is.True, modem.Describe());
        Assert.That(modem.Status("state"), Is.EqualTo("command"));
    }

    [Test]
    public void Control_DialCommand_ChangesTheNextDialsResult()
    {
        using ModemSimProcess modem = ModemSimProcess.Start(["--no-echo"]);
        Assert.That(modem.Control("dial busy:1"), Is.EqualTo("OK"));
        using var line = new FileStream(modem.LinkPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);

        line.Write("ATD123\r"u8);
        var text = new System.Text.StringBuilder();
        var buffer = new byte[256];
        while (!text.ToString().Contains("BUSY\r\n", StringComparison.Ordinal))
        {
            int n = line.Read(buffer);
            Assert.That(n, Is.Positive, text.ToString());
            text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        }

        Assert.That(text.ToString(), Is.EqualTo("\r\nBUSY\r\n"));
    }

    [TestCase("frobnicate")]
    [TestCase("dial ringing")]
    [TestCase("ignore many")]
    public void Control_BadCommand_AnswersError(string command)
    {
        using ModemSimProcess modem = ModemSimProcess.Start([]);

        Assert.That(modem.Control(command), Does.StartWith("ERROR "));
    }

    [Test]
    public void Control_DropWithoutACall_AnswersError()
    {
        using ModemSimProcess modem = ModemSimProcess.Start([]);

        Assert.That(modem.Control("drop"), Is.EqualTo("ERROR no call"));
    }

    [Test]
    public void SigTerm_RemovesTheLinkAndLeavesTheCountersInTheStatusFile()
    {
        ModemSimProcess modem = ModemSimProcess.Start(["--cgdcont-error"]);
        try
        {
            Assert.That(modem.Control("cgdcont-error off"), Is.EqualTo("OK"));
            using (var line = new FileStream(modem.LinkPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0))
            {
                line.Write("AT+CGDCONT=1,\"IP\",\"apn\"\r"u8);
                Assert.That(Poll.Until(() => modem.Status("cgdcont_writes") == "1", TimeSpan.FromSeconds(10)), Is.True, modem.Describe());
            }

            modem.Child.Signal("TERM");
            Assert.That(modem.Child.WaitForExit(TimeSpan.FromSeconds(10)), Is.True, modem.Describe());

            Assert.Multiple(() =>
            {
                Assert.That(modem.Child.ExitCode, Is.Zero);
                Assert.That(File.Exists(modem.LinkPath), Is.False, "link left behind");
                Assert.That(File.ReadAllLines(modem.StatusPath), Does.Contain("cgdcont_writes=1"));
            });
        }
        finally
        {
            modem.Dispose();
        }
    }

    [Test]
    public void BadOption_ExitsWithStatus2AndUsage()
    {
        ProcessResult result = ProcessRunner.Run(DaemonEnvironment.Dotnet, [ModemSimProcess.Dll, "--dial", "ringing"], TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StdErr, Does.Contain("--dial wants").And.Contain("usage: ppp-modemsim"));
        });
    }
}
