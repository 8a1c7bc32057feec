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

        // script(1) gives pppctl a pty, so it runs its line editor as for a person.
        ChildProcess session = Rig.Start(ns, "pppctl on a pty", "env", "TERM=xterm", "script", "-qfec",
            $"'{DaemonEnvironment.Dotnet}' '{ControlSupport.PppctlDll}' -p {Password} {port}", "/dev/null");
        Assert.That(Poll.Until(() => session.StdOut.Contains("ppp ON ", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), Is.True,
            $"no authorised prompt\n{Rig.Describe()}");
        // The line editor can lose what is typed before it first puts the pty in raw mode, as
        // a terminal can when one types ahead of a program starting: type again if unanswered.
        Type(session, "show version", "PPP Version");
        Type(session, "show who", ") *");
        session.WriteLine("quit\r");
        Assert.That(LinkChecks.WaitForExit(Rig, session, TimeSpan.FromSeconds(15)), Is.Zero, Rig.Describe());
        conf.Log.WaitFor(@"diagnostic socket: tcp \(.*\): closed \(quit\)", TimeSpan.FromSeconds(5), Rig.Describe, daemon);
        Assert.That(daemon.HasExited, Is.False, "quit from a session ends the session only");
    }

    private void Type(ChildProcess session, string line, string answer)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            session.WriteLine(line + "\r");
            if (Poll.Until(() => session.StdOut.Contains(answer, StringComparison.Ordinal), TimeSpan.FromSeconds(5)))
            {
                return;
            }
        }

        Assert.Fail($"`{line}` had no answer\n{Rig.Describe()}");
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
