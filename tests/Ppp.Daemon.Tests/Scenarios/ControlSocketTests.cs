using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// The diagnostic socket over real sockets (issue 5): a daemon in -interactive mode in its own
/// namespace with <c>set server</c> in ppp.conf, driven by pppctl one-shot, through a pty, and
/// over a Unix-domain socket.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ControlSocketTests : IntegrationFixture
{
    private const string Password = "ctl-s3cret";
    private const string AuthKey = "hunter2-authkey";

    private (NetworkNamespace Ns, PppConf Conf, ChildProcess Daemon, string Port) StartDaemon()
    {
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("A", Configs.Default + $"""
            ctl:
             set server +3000 {Password}
             set authname alice
             set authkey {AuthKey}
            """);
        ChildProcess daemon = Rig.Daemon(ns, conf, "-interactive", "ctl");
        int port = ControlSupport.WaitForTcpServer(Rig, conf, daemon);
        return (ns, conf, daemon, port.ToString(CultureInfo.InvariantCulture));
    }

    [Test]
    public void Pppctl_OneShot_RunsCommandsRefusesWrongPasswordsAndNeverShowsSecrets()
    {
        var (ns, conf, daemon, port) = StartDaemon();

        ProcessResult ok = ControlSupport.Pppctl(ns, "-p", Password, port, "show bundle; show who; show status");
        Assert.That(ok.ExitCode, Is.Zero, ok.Describe() + Rig.Describe());
        Assert.That(ok.StdOut, Does.Contain("Auth key:    ********"));
        Assert.That(ok.StdOut, Does.Match(@"Server: +tcp 127\.0\.0\.1:" + port + @" \(listening\), password \*{8}"));
        Assert.That(ok.StdOut, Does.Match(@"tcp \(127\.0\.0\.1:\d+\) \*"), "show who marks the caller");
        string json = ok.StdOut.Split('\n').Single(l => l.StartsWith('{'));
        using (JsonDocument status = JsonDocument.Parse(json))
        {
            Assert.That(status.RootElement.GetProperty("version").GetInt32(), Is.EqualTo(1));
            Assert.That(status.RootElement.GetProperty("phase").GetString(), Is.EqualTo("dead"));
            Assert.That(status.RootElement.GetProperty("lcp").GetProperty("state").GetString(), Is.EqualTo("initial"));
            Assert.That(status.RootElement.GetProperty("interface").GetString(), Does.StartWith("ppp"));
        }

        ProcessResult wrong = ControlSupport.Pppctl(ns, "-p", "not-the-password", port, "show bundle");
        Assert.That(wrong.ExitCode, Is.EqualTo(4), wrong.Describe());
        Assert.That(wrong.StdErr, Does.Contain("Invalid password"));
        Assert.That(wrong.StdOut, Does.Not.Contain("Auth key"));

        ProcessResult none = ControlSupport.Pppctl(ns, port, "show bundle");
        Assert.That(none.ExitCode, Is.EqualTo(4), none.Describe());

        ProcessResult failing = ControlSupport.Pppctl(ns, "-p", Password, port, "show version; set mru banana");
        Assert.That(failing.ExitCode, Is.EqualTo(1), failing.Describe());
        Assert.That(failing.StdOut, Does.Contain("PPP Version"));
        Assert.That(failing.StdErr, Does.Contain("Error: set mru"));

        ProcessResult refused = ControlSupport.Pppctl(ns, "-t", "1", "3999", "show version");
        Assert.That(refused.ExitCode, Is.EqualTo(3), refused.Describe());

        conf.Log.WaitFor("wrong password", TimeSpan.FromSeconds(5), Rig.Describe, daemon);
        string log = conf.Log.Text();
        Assert.That(log, Does.Not.Contain(Password).And.Not.Contain(AuthKey).And.Not.Contain("not-the-password"));
        Assert.That(daemon.HasExited, Is.False, "a socket session's quit must not end ppp");
    }

    [Test]
    public void Pppctl_InteractiveThroughPty_ShowsThePromptRunsCommandsAndQuitsTheSessionOnly()
    {
        var (ns, conf, daemon, port) = StartDaemon();
        // Typed ahead, before pppctl takes the terminal: the tty, still in cooked mode, hands
        // Enter over as LF, which must end the line too.
        ChildProcess session = StartPtySession(ns, port, typeAhead: "show version\r");
        Assert.That(Poll.Until(() => session.StdOut.Contains("PPP Version", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True,
            $"the typed-ahead line was lost\n{Rig.Describe()}");

        Type(session, "show who\r", ") *");
        session.Write("quit\r");
        Assert.That(LinkChecks.WaitForExit(Rig, session, TimeSpan.FromSeconds(15)), Is.Zero, Rig.Describe());
        conf.Log.WaitFor(@"diagnostic socket: tcp \(.*\): closed \(quit\)", TimeSpan.FromSeconds(5), Rig.Describe, daemon);
        Assert.That(daemon.HasExited, Is.False, "quit from a session ends the session only");
    }

    [Test]
    public void Pppctl_InteractiveThroughPty_ArrowsWalkTheHistoryAndEditTheLine()
    {
        var (ns, _, _, port) = StartDaemon();
        ChildProcess session = StartPtySession(ns, port);

        // Keys as an xterm sends them: ESC [ A/B/C/D for the arrows, ESC [ H/F for Home/End,
        // DEL for Backspace, CR for Enter.
        Type(session, "show version\r", "PPP Version");
        Type(session, "\e[A\r", "PPP Version");
        // "shw whX": Backspace drops the X, Left 4 lands between "sh" and "w", End goes back.
        Type(session, "shw whX\u007f\e[D\e[D\e[D\e[Do\e[Fo\r", ") *");
        // A line is in the history once: Up, Up is the line before the last.
        Type(session, "\e[A\e[A\r", "PPP Version");
        // History: show version, show who, show version. Up 3 then Down is "show who".
        Type(session, "\e[A\e[A\e[A\e[B\r", ") *");
        // "sow version": Home then Right lands after "s".
        Type(session, "sow version\e[H\e[Ch\r", "PPP Version");
        Assert.That(Occurrences(session.StdOut, "PPP Version"), Is.EqualTo(4), Rig.Describe());
        Assert.That(Occurrences(session.StdOut, ") *"), Is.EqualTo(2), Rig.Describe());
        Assert.That(session.StdOut, Does.Not.Contain("Error: "), Rig.Describe());

        session.Write("quit\r");
        Assert.That(LinkChecks.WaitForExit(Rig, session, TimeSpan.FromSeconds(15)), Is.Zero, Rig.Describe());
    }

    /// <summary>
    /// pppctl on a pty (script(1)), as for a person, once it shows its authorised prompt;
    /// <paramref name="typeAhead"/> is typed before pppctl has even started.
    /// </summary>
    private ChildProcess StartPtySession(NetworkNamespace ns, string port, string typeAhead = "")
    {
        ChildProcess session = Rig.Start(ns, "pppctl on a pty", "env", "TERM=xterm", "script", "-qfec",
            $"'{DaemonEnvironment.Dotnet}' '{ControlSupport.PppctlDll}' -p {Password} {port}", "/dev/null");
        session.Write(typeAhead);
        Assert.That(Poll.Until(() => session.StdOut.Contains("ppp ON ", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), Is.True,
            $"no authorised prompt\n{Rig.Describe()}");
        return session;
    }

    /// <summary>Types <paramref name="keys"/> and waits for one more <paramref name="answer"/> than there was.</summary>
    private void Type(ChildProcess session, string keys, string answer)
    {
        int before = Occurrences(session.StdOut, answer);
        session.Write(keys);
        Assert.That(Poll.Until(() => Occurrences(session.StdOut, answer) > before, TimeSpan.FromSeconds(10)), Is.True,
            $"{keys.Replace("\e", "ESC", StringComparison.Ordinal)} had no answer {answer}\n{Rig.Describe()}");
    }

    private static int Occurrences(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Test]
    public void LocalSocket_SetFromASession_HasTheMaskedModeAndQuitAllEndsPppAndRemovesIt()
    {
        var (ns, conf, daemon, port) = StartDaemon();
        string path = Path.Combine(Rig.Directory, "ctl%d.sock");

        // Moving the server ends every session, the one that moved it too (ppp(8)).
        ProcessResult moved = ControlSupport.Pppctl(ns, "-p", Password, port, $"set server {path} \"\" 0177");
        string socket = Path.Combine(Rig.Directory, "ctl0.sock");
        Assert.That(Poll.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10)), Is.True, moved.Describe() + Rig.Describe());
        Assert.That(File.GetUnixFileMode(socket), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        ProcessResult who = ControlSupport.Pppctl(ns, socket, "show who");
        Assert.That(who.ExitCode, Is.Zero, who.Describe());
        Assert.That(who.StdOut, Does.Contain($"local ({socket} #").And.Contain(") *"));

        ProcessResult quit = ControlSupport.Pppctl(ns, socket, "quit all");
        Assert.That(quit.ExitCode, Is.Zero, quit.Describe());
        Assert.That(LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(15)), Is.Zero, Rig.Describe());
        Assert.That(File.Exists(socket), Is.False, "the socket file outlived ppp");
        _ = conf;
    }
}
