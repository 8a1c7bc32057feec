using System.Globalization;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// <c>ppp -background</c>: the command returns 0 once the network layer is up and the
/// daemon stays behind holding the link; SIGTERM ends it gracefully. Issue 3, scenario 6.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BackgroundModeTests : IntegrationFixture
{
    private const int Port = 6002;

    [Test]
    public void Background_LinkUp_ExitsZeroKeepsTheLinkAndSigtermCleansUp()
    {
        DaemonEnvironment.RequireTools("socat", "ping", "ss");
        NetworkNamespace a = Rig.Namespace();
        NetworkNamespace b = Rig.Namespace();
        NetworkNamespace.Connect(a, "10.96.0.1/24", b, "10.96.0.2/24");
        PppConf confA = Rig.Conf("A", Configs.Default + $"""
            client:
             set device 10.96.0.2:{Port}/tcp
             set ifaddr 10.97.0.2 10.97.0.1
            """);
        PppConf confB = Rig.Conf("B", Configs.Default + """
            server:
             set ifaddr 10.97.0.1 10.97.0.2
            """);
        // nofork: the answering daemon's stdin/stdout is the accepted TCP socket itself, as
        // inetd hands it over (TcpPairTests covers socat's relaying pipes).
        ChildProcess socat = Rig.Start(b, "socat B", "socat", "-d", "-d", $"TCP-LISTEN:{Port},reuseaddr", $"EXEC:{confB.WriteWrapper()} -direct server,nofork");
        Assert.That(b.WaitListening(Port, TimeSpan.FromSeconds(10)), Is.True, $"socat does not listen\n{Rig.Describe()}");

        ChildProcess launcher = Rig.Daemon(a, confA, "-background", "client");
        Assert.That(LinkChecks.WaitForExit(Rig, launcher, LinkChecks.UpTimeout), Is.Zero, Rig.Describe());

        // By the time -background returns, the network is up: no waiting for addresses here.
        Assert.That(confA.Log.Contains(LogPatterns.IpcpUp), Is.True, $"-background returned before IPCP was up\n{Rig.Describe()}");
        Assert.That(confB.Log.Contains(@"Connected to stdin \(10\.96\.0\.1:\d+/tcp\)"), Is.True, $"-direct did not take stdin as the TCP socket\n{Rig.Describe()}");
        IReadOnlyList<string> interfaces = a.PppInterfaces();
        Assert.That(interfaces, Has.Count.EqualTo(1), Rig.Describe());
        Assert.That(a.Addresses(interfaces[0]), Does.Contain("inet 10.97.0.2"), Rig.Describe());

        // The daemon is what is left in the namespace.
        IReadOnlyList<int> left = a.Pids();
        Assert.That(left, Has.Count.EqualTo(1), $"processes left in {a.Name}: {string.Join(' ', left)}\n{Rig.Describe()}");
        int pid = left[0];
        Assert.That(File.ReadAllText($"/proc/{pid}/cmdline"), Does.Contain("ppp"), Rig.Describe());
        LinkChecks.AssertPings(Rig, a, "10.97.0.1");
        LinkChecks.AssertPings(Rig, b, "10.97.0.2");

        ProcessRunner.Run("kill", "-s", "TERM", pid.ToString(CultureInfo.InvariantCulture));
        Assert.That(Poll.Until(() => IsGone(pid), TimeSpan.FromSeconds(15)), Is.True,
            $"daemon {pid} still running 15 s after SIGTERM\n{Rig.Describe()}");
        confB.Log.WaitFor(LogPatterns.TerminateRequestReceived, TimeSpan.FromSeconds(10), Rig.Describe, socat);
        LinkChecks.WaitForExit(Rig, socat, TimeSpan.FromSeconds(15));
        LinkChecks.AssertCleanedUp(Rig, a, b);
    }

    // A zombie has ended too: whether its new parent reaps it is not the daemon's business.
    private static bool IsGone(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
