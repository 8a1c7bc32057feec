using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// <c>set filter in|out</c> on the real data path (issue 14 item 3): two daemons over
/// PPP-over-TCP in two namespaces; A's out filter denies echo requests to HISADDR and its in
/// filter echo requests from HISADDR, so pings fail both ways while everything else passes;
/// <c>show filter</c> counts the drops; clearing both filters at the prompt lets pings through.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class FilterTests : IntegrationFixture
{
    private const int Port = 6030;

    [Test]
    public void InOutFilters_DenyEchoRequests_DroppedAndCountedUntilCleared()
    {
        DaemonEnvironment.RequireTools("socat", "ping");
        NetworkNamespace a = Rig.Namespace();
        NetworkNamespace b = Rig.Namespace();
        NetworkNamespace.Connect(a, "10.97.0.1/24", b, "10.97.0.2/24");
        PppConf confA = Rig.Conf("A", Configs.Default + $"""
            client:
             set device 10.97.0.2:{Port}/tcp
             set ifaddr 10.98.0.2 10.98.0.1
             set filter out 0 deny any HISADDR icmp src eq 8
             set filter out 1 permit
             set filter in 0 deny HISADDR MYADDR icmp src eq 8
             set filter in 1 permit
            """);
        PppConf confB = Rig.Conf("B", Configs.Default + """
            server:
             set ifaddr 10.98.0.1 10.98.0.2
            """);
        ChildProcess socat = Rig.Start(b, "socat B", "socat", "-d", "-d", $"TCP-LISTEN:{Port},reuseaddr", $"EXEC:{confB.WriteWrapper()} -direct server");
        Assert.That(b.WaitListening(Port, TimeSpan.FromSeconds(10)), Is.True, $"socat does not listen\n{Rig.Describe()}");

        ChildProcess daemonA = Rig.Daemon(a, confA, "-interactive", "client");
        daemonA.WriteLine("dial");
        confA.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        LinkChecks.WaitForAddress(Rig, a, "10.98.0.2");
        LinkChecks.WaitForAddress(Rig, b, "10.98.0.1");

        Assert.That(a.Ping("10.98.0.1", TimeSpan.FromSeconds(3)).ExitCode, Is.Not.Zero, "A's out filter lets an echo request to HISADDR through");
        Assert.That(b.Ping("10.98.0.2", TimeSpan.FromSeconds(3)).ExitCode, Is.Not.Zero, "A's in filter lets an echo request from HISADDR through");

        daemonA.WriteLine("show filter");
        Assert.That(Poll.Until(() => DeniedRegex().Count(daemonA.StdOut) == 2, TimeSpan.FromSeconds(10)), Is.True, daemonA.Describe());
        var denied = DeniedRegex().Matches(daemonA.StdOut);
        Assert.That(daemonA.StdOut, Does.Contain("   0 deny any HISADDR icmp src eq 8"));
        Assert.That(int.Parse(denied[0].Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2), "in: B's echo requests");
        Assert.That(int.Parse(denied[1].Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2), "out: A's echo requests");

        daemonA.WriteLine("set filter out -1");
        daemonA.WriteLine("set filter in -1");
        LinkChecks.AssertPings(Rig, a, "10.98.0.1");
        LinkChecks.AssertPings(Rig, b, "10.98.0.2");

        daemonA.WriteLine("quit");
        Assert.That(LinkChecks.WaitForExit(Rig, daemonA, TimeSpan.FromSeconds(20)), Is.Zero, daemonA.Describe());
        LinkChecks.WaitForExit(Rig, socat, TimeSpan.FromSeconds(20));
        LinkChecks.AssertCleanedUp(Rig, a, b);
    }

    [GeneratedRegex(@"denied: (\d+) packets")]
    private static partial Regex DeniedRegex();
}
