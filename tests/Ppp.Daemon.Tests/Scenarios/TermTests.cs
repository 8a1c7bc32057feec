using System.Text;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// ppp(8)'s <c>term</c> from the interactive prompt, over a pty pair made by socat: the
/// daemon's <c>set device</c> is one end; the other is a fake modem driven by the test, or a
/// second daemon that speaks PPP. Issue 4, item 3.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TermTests : IntegrationFixture
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Test]
    public void Term_FakeModem_KeyboardReachesItItsAnswersShowAndTildeDotReturnsToThePrompt()
    {
        var (lineA, lineB) = Cable();
        SerialLine modem = Rig.Track(SerialLine.Open(lineB));
        NetworkNamespace a = Rig.Namespace();
        PppConf conf = Rig.Conf("A", Configs.Default + $"""
            modem:
             set device {lineA}
            """);
        ChildProcess daemon = Rig.Daemon(a, conf, "-interactive", "modem");

        // Everything in one write: the bytes after "term" must reach the device, not stay
        // behind in a line reader's buffer.
        daemon.WriteLine("term\nAT\r~.");
        WaitForModem(modem, "AT\r", daemon);
        conf.Log.WaitFor(@"left terminal mode \(~\.\)", Wait, Rig.Describe, daemon);
        WaitForOutput(daemon, $"deflink: Entering terminal mode on {lineA}");
        WaitForOutput(daemon, "Type '~?' for help");

        daemon.WriteLine("term");
        WaitForLog(conf, daemon, 2, "Entering terminal mode");
        daemon.WriteLine("ATI4\r");
        WaitForModem(modem, "ATI4\r", daemon);
        modem.Write("\r\nUSERPPP FAKE MODEM\r\nOK\r\n"u8);
        WaitForOutput(daemon, "USERPPP FAKE MODEM");
        daemon.WriteLine("~?");
        WaitForOutput(daemon, "~.  leave terminal mode");
        daemon.WriteLine("~.");
        WaitForLog(conf, daemon, 2, @"left terminal mode \(~\.\)");

        // The prompt is back and runs commands again.
        daemon.WriteLine("show version");
        WaitForOutput(daemon, "PPP Version");
        Assert.That(Encoding.Latin1.GetString(modem.Captured), Does.Not.Contain("~"), "an escape reached the device");

        // End of input in terminal mode leaves it, then ends ppp as at the prompt.
        daemon.WriteLine("term");
        WaitForLog(conf, daemon, 3, "Entering terminal mode");
        daemon.CloseInput();
        Assert.That(LinkChecks.WaitForExit(Rig, daemon, Wait), Is.Zero, Rig.Describe());
        conf.Log.WaitFor(@"left terminal mode \(end of input\)", TimeSpan.FromSeconds(1), Rig.Describe, daemon);
        LinkChecks.AssertCleanedUp(Rig, a);
    }

    [Test]
    public void Term_LineHangsUpThenCannotOpen_SaysSoAndThePromptComesBack()
    {
        var (lineA, _) = Cable(out ChildProcess cable);
        NetworkNamespace a = Rig.Namespace();
        PppConf conf = Rig.Conf("A", Configs.Default + $"""
            modem:
             set device {lineA}
            """);
        ChildProcess daemon = Rig.Daemon(a, conf, "-interactive", "modem");
        daemon.WriteLine("term");
        conf.Log.WaitFor("Entering terminal mode", Wait, Rig.Describe, daemon);

        cable.Signal("TERM");
        Assert.That(cable.WaitForExit(Wait), Is.True, Rig.Describe());

        WaitForOutput(daemon, "the line hung up");
        conf.Log.WaitFor(@"left terminal mode \(hang-up\)", Wait, Rig.Describe, daemon);

        // The cable is gone: term says why it cannot open the device and the prompt goes on.
        daemon.WriteLine("term");
        WaitForOutput(daemon, $"term: {lineA}: ");
        daemon.WriteLine("show version");
        WaitForOutput(daemon, "PPP Version");
        daemon.WriteLine("quit");
        Assert.That(LinkChecks.WaitForExit(Rig, daemon, Wait), Is.Zero, Rig.Describe());
    }

    /// <summary>
    /// The far end is a second daemon. When it speaks first (openmode active) the terminal
    /// sees its LCP frame and enters packet mode by itself; when it waits (passive), <c>~p</c>
    /// starts PPP. Either way IPCP comes up on both sides and pings cross the link.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void Term_PeerDaemonOnTheLine_PacketModeBringsIpcpUpAndPingsCross(bool peerSpeaksFirst)
    {
        DaemonEnvironment.RequireTools("ping");
        var (lineA, lineB) = Cable();
        NetworkNamespace a = Rig.Namespace();
        NetworkNamespace b = Rig.Namespace();
        PppConf confA = Rig.Conf("A", Configs.Default + $"""
            client:
             set device {lineA}
             set ifaddr 10.96.0.2 10.96.0.1
            """);
        PppConf confB = Rig.Conf("B", Configs.Default + $"""
            server:
             set device {lineB}
             set openmode {(peerSpeaksFirst ? "active" : "passive")}
             set ifaddr 10.96.0.1 10.96.0.2
            """);
        ChildProcess daemonA = Rig.Daemon(a, confA, "-interactive", "client");
        daemonA.WriteLine("term");
        confA.Log.WaitFor("Entering terminal mode", Wait, Rig.Describe, daemonA);

        ChildProcess daemonB = Rig.Daemon(b, confB, "-foreground", "server");
        if (peerSpeaksFirst)
        {
            WaitForOutput(daemonA, "Packet mode detected.");
            confA.Log.WaitFor("Packet mode detected", Wait, Rig.Describe, daemonA);
        }
        else
        {
            confB.Log.WaitFor(@"deflink: Connected to", Wait, Rig.Describe, daemonB);
            daemonA.WriteLine("~p");
            confA.Log.WaitFor(@"packet mode requested \(~p\)", Wait, Rig.Describe, daemonA);
        }

        confA.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        confB.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonB);
        LinkChecks.WaitForAddress(Rig, a, "10.96.0.2");
        LinkChecks.WaitForAddress(Rig, b, "10.96.0.1");
        LinkChecks.AssertPings(Rig, a, "10.96.0.1");
        LinkChecks.AssertPings(Rig, b, "10.96.0.2");

        // The link is open now: term is refused, and the prompt goes on.
        daemonA.WriteLine("term");
        WaitForOutput(daemonA, "term: the link is open");

        daemonA.WriteLine("quit");
        Assert.That(LinkChecks.WaitForExit(Rig, daemonA, Wait), Is.Zero, Rig.Describe());
        confB.Log.WaitFor(LogPatterns.TerminateRequestReceived, Wait, Rig.Describe, daemonB);
        LinkChecks.WaitForExit(Rig, daemonB, Wait);
        LinkChecks.AssertCleanedUp(Rig, a, b);
    }

    private (string LineA, string LineB) Cable() => Cable(out _);

    /// <summary>A socat pty pair; UUCP locks are per basename, so the names are this run's own.</summary>
    private (string LineA, string LineB) Cable(out ChildProcess cable)
    {
        DaemonEnvironment.RequireTools("socat");
        string unique = Path.GetFileName(Rig.Directory);
        string lineA = Path.Combine(Rig.Directory, $"{unique}-ta");
        string lineB = Path.Combine(Rig.Directory, $"{unique}-tb");
        cable = Rig.Start(null, "socat pty pair", "socat", "-d", "-d", $"PTY,link={lineA},raw,echo=0", $"PTY,link={lineB},raw,echo=0");
        ChildProcess started = cable;
        Assert.That(Poll.Until(() => File.Exists(lineA) && File.Exists(lineB), TimeSpan.FromSeconds(10)), Is.True, started.Describe());
        return (lineA, lineB);
    }

    private void WaitForModem(SerialLine modem, string text, ChildProcess daemon)
    {
        bool seen = Poll.Until(() => Encoding.Latin1.GetString(modem.Captured).Contains(text, StringComparison.Ordinal) || daemon.HasExited, Wait);
        string captured = Encoding.Latin1.GetString(modem.Captured);
        Assert.That(seen && captured.Contains(text, StringComparison.Ordinal), Is.True,
            $"the modem never got {Escape(text)}; it got {Escape(captured)}\n{Rig.Describe()}");
    }

    private void WaitForOutput(ChildProcess daemon, string text)
    {
        bool seen = Poll.Until(() => daemon.StdOut.Contains(text, StringComparison.Ordinal) || daemon.HasExited, Wait);
        Assert.That(seen && daemon.StdOut.Contains(text, StringComparison.Ordinal), Is.True,
            $"ppp never printed \"{text}\"\n{Rig.Describe()}");
    }

    /// <summary>Waits until <paramref name="pattern"/> has been logged <paramref name="count"/> times.</summary>
    private void WaitForLog(PppConf conf, ChildProcess daemon, int count, string pattern)
    {
        var regex = new System.Text.RegularExpressions.Regex(pattern);
        bool seen = Poll.Until(() => regex.Count(conf.Log.Text()) >= count || daemon.HasExited, Wait);
        Assert.That(seen && regex.Count(conf.Log.Text()) >= count, Is.True,
            $"/{pattern}/ not logged {count} times\n{Rig.Describe()}");
    }

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
