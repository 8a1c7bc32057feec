using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// Two daemons in two namespaces on the two ends of a pty pair (a null-modem cable made by
/// socat in the root namespace), both in -foreground. Issue 3, scenario 2.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PtyPairTests : IntegrationFixture
{
    [Test]
    public void ForegroundPair_PapOverPty_CarriesIpv4Ipv6AndTcpThenSigtermTerminatesBothAndCleansUp()
    {
        DaemonEnvironment.RequireTools("socat", "ping", "iperf3", "ss");
        // UUCP locks are named after the device's basename (/var/lock/LCK..name): names of our
        // own keep two runs on one machine from locking each other out.
        string unique = Path.GetFileName(Rig.Directory);
        string lineA = Path.Combine(Rig.Directory, $"{unique}-a");
        string lineB = Path.Combine(Rig.Directory, $"{unique}-b");
        ChildProcess cable = Rig.Start(null, "socat pty pair", "socat", "-d", "-d", $"PTY,link={lineA},raw,echo=0", $"PTY,link={lineB},raw,echo=0");
        Assert.That(Poll.Until(() => File.Exists(lineA) && File.Exists(lineB), TimeSpan.FromSeconds(10)), Is.True, cable.Describe());

        NetworkNamespace a = Rig.Namespace();
        NetworkNamespace b = Rig.Namespace();
        PppConf confA = Rig.Conf("A", Configs.Default + $"""
            client:
             set device {lineA}
             set authname bob
             set authkey pty-s3cret
             set ifaddr 10.94.0.2 10.94.0.1
            """);
        PppConf confB = Rig.Conf("B", Configs.Default + $"""
            server:
             set device {lineB}
             set openmode passive
             set ifaddr 10.94.0.1 10.94.0.2
             enable pap
            """, "bob pty-s3cret\n");

        ChildProcess daemonB = Rig.Daemon(b, confB, "-foreground", "server");
        ChildProcess daemonA = Rig.Daemon(a, confA, "-foreground", "client");

        confA.Log.WaitFor(LogPatterns.LcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        confB.Log.WaitFor(LogPatterns.PeerAuthenticated + " bob", LinkChecks.UpTimeout, Rig.Describe, daemonB);
        confA.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        confA.Log.WaitFor(LogPatterns.Ipv6cpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        confB.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonB);
        confB.Log.WaitFor(LogPatterns.Ipv6cpUp, LinkChecks.UpTimeout, Rig.Describe, daemonB);
        string ifA = LinkChecks.WaitForAddress(Rig, a, "10.94.0.2");
        string ifB = LinkChecks.WaitForAddress(Rig, b, "10.94.0.1");

        LinkChecks.AssertPings(Rig, a, "10.94.0.1");
        LinkChecks.AssertPings(Rig, b, "10.94.0.2");
        LinkChecks.AssertIpv6Pings(Rig, a, ifA, b, ifB);
        LinkChecks.AssertTcpTransfer(Rig, b, a, "10.94.0.2");

        daemonA.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemonA, TimeSpan.FromSeconds(15));
        confA.Log.WaitFor(LogPatterns.TerminateRequestSent, TimeSpan.FromSeconds(1), Rig.Describe, daemonA);
        confB.Log.WaitFor(LogPatterns.TerminateRequestReceived, TimeSpan.FromSeconds(10), Rig.Describe, daemonB);

        // -foreground runs until the link ends: the peer's Terminate-Request ends B too.
        LinkChecks.WaitForExit(Rig, daemonB, TimeSpan.FromSeconds(15));
        LinkChecks.AssertCleanedUp(Rig, a, b);
    }
}
