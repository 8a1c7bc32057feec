using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// Two daemons in two namespaces joined by a veth, the link a TCP connection: B runs as
/// inetd would run it (socat accepts, then execs <c>ppp -direct</c> on the socket), A dials
/// from the interactive prompt. Issue 3, scenario 1.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TcpPairTests : IntegrationFixture
{
    private const int Port = 6000;

    [Test]
    public void InteractiveDialer_ChapOverTcp_CarriesIpv4Ipv6AndTcpThenQuitTerminatesAndCleansUp()
    {
        DaemonEnvironment.RequireTools("socat", "ping", "iperf3", "ss");
        NetworkNamespace a = Rig.Namespace();
        NetworkNamespace b = Rig.Namespace();
        NetworkNamespace.Connect(a, "10.91.0.1/24", b, "10.91.0.2/24");
        PppConf confA = Rig.Conf("A", Configs.Default + $"""
            client:
             set device 10.91.0.2:{Port}/tcp
             set authname alice
             set authkey s3cret
             set ifaddr 10.92.0.2 10.92.0.1
             enable dns
             add 10.9.0.0/16 HISADDR
            """);
        PppConf confB = Rig.Conf("B", Configs.Default + """
            server:
             set ifaddr 10.92.0.1 10.92.0.2
             enable chap
             set dns 10.77.77.53
             accept dns
            """, "alice s3cret * dialin-alice\n");
        // ppp.secret's label chooses the ppp.linkup section over the loaded label (ppp(8) auth_Select).
        File.WriteAllText(Path.Combine(confB.Directory, "ppp.linkup"), "server:\n add 10.94.0.0/16 HISADDR\ndialin-alice:\n add 10.93.0.0/16 HISADDR\n");
        ChildProcess socat = Rig.Start(b, "socat B", "socat", "-d", "-d", $"TCP-LISTEN:{Port},reuseaddr", $"EXEC:{confB.WriteWrapper()} -direct server");
        Assert.That(b.WaitListening(Port, TimeSpan.FromSeconds(10)), Is.True, $"socat does not listen\n{Rig.Describe()}");

        ChildProcess daemonA = Rig.Daemon(a, confA, "-interactive", "client");
        daemonA.WriteLine("dial");

        confA.Log.WaitFor(LogPatterns.LcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        confB.Log.WaitFor(LogPatterns.PeerAuthenticated + " alice", LinkChecks.UpTimeout, Rig.Describe, socat);
        confA.Log.WaitFor(LogPatterns.AuthSuccess, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        confA.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        confA.Log.WaitFor(LogPatterns.Ipv6cpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        confB.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, socat);
        confB.Log.WaitFor(LogPatterns.Ipv6cpUp, LinkChecks.UpTimeout, Rig.Describe, socat);
        string ifA = LinkChecks.WaitForAddress(Rig, a, "10.92.0.2");
        string ifB = LinkChecks.WaitForAddress(Rig, b, "10.92.0.1");

        Assert.That(Poll.Until(() => a.Routes().Contains("10.9.0.0/16", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True,
            $"`add 10.9.0.0/16 HISADDR` made no route:\n{a.Routes()}\n{Rig.Describe()}");
        Assert.That(Poll.Until(() => b.Routes().Contains("10.93.0.0/16", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True,
            $"ppp.linkup's dialin-alice section (ppp.secret's label for alice) did not run:\n{b.Routes()}\n{Rig.Describe()}");
        Assert.That(b.Routes(), Does.Not.Contain("10.94.0.0/16"), "the loaded label's section ran although ppp.secret named another");
        LinkChecks.AssertNameserver(Rig, a, "10.77.77.53");
        // set log tcp/ip: one line per IP packet each way, while it is on (issue 12 item 10).
        daemonA.WriteLine("set log +tcp/ip");
        confA.Log.WaitFor(@"Command: prompt: set log \+tcp/ip", TimeSpan.FromSeconds(10), Rig.Describe, daemonA);
        LinkChecks.AssertPings(Rig, a, "10.92.0.1");
        confA.Log.WaitFor(@"TCP/IP: out ICMP 10\.92\.0\.2 ---> 10\.92\.0\.1 type 8 code 0 \(84\)", TimeSpan.FromSeconds(10), Rig.Describe, daemonA);
        confA.Log.WaitFor(@"TCP/IP: in ICMP 10\.92\.0\.1 ---> 10\.92\.0\.2 type 0 code 0 \(84\)", TimeSpan.FromSeconds(10), Rig.Describe, daemonA);
        daemonA.WriteLine("set log -tcp/ip");
        confA.Log.WaitFor(@"Command: prompt: set log -tcp/ip", TimeSpan.FromSeconds(10), Rig.Describe, daemonA);
        LinkChecks.AssertPings(Rig, b, "10.92.0.2");
        LinkChecks.AssertIpv6Pings(Rig, a, ifA, b, ifB);
        LinkChecks.AssertTcpTransfer(Rig, a, b, "10.92.0.1");

        // The prompt answers commands while the link is up.
        daemonA.WriteLine("show ipcp");
        Assert.That(Poll.Until(() => daemonA.StdOut.Contains("10.92.0.1", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True,
            $"`show ipcp` did not show the peer's address\n{Rig.Describe()}");

        daemonA.WriteLine("quit");
        Assert.That(LinkChecks.WaitForExit(Rig, daemonA, TimeSpan.FromSeconds(15)), Is.Zero, Rig.Describe());
        confA.Log.WaitFor(LogPatterns.TerminateRequestSent, TimeSpan.FromSeconds(1), Rig.Describe, daemonA);
        confB.Log.WaitFor(LogPatterns.TerminateRequestReceived, TimeSpan.FromSeconds(10), Rig.Describe, socat);
        LinkChecks.WaitForExit(Rig, socat, TimeSpan.FromSeconds(15));
        LinkChecks.AssertCleanedUp(Rig, a, b);

        // Both logs are read by people: ppp(8)'s words, no C# internals (issue 12, item 9).
        Assert.That(LogLint.Problems(confA.Log.Text()), Is.Empty, confA.Log.Text());
        Assert.That(LogLint.Problems(confB.Log.Text()), Is.Empty, confB.Log.Text());
    }
}
