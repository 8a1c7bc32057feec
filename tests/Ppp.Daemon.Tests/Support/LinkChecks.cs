using System.Globalization;
using System.Text.Json;
using NUnit.Framework;

namespace Ppp.Daemon.Tests.Support;

/// <summary>The checks every scenario makes on a link the daemon brought up and took down.</summary>
internal static class LinkChecks
{
    public static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(30);
    private const int IperfPort = 5201;

    /// <summary>Waits for the daemon's pppN interface to carry <paramref name="address"/> and returns its name.</summary>
    public static string WaitForAddress(Rig rig, NetworkNamespace ns, string address)
    {
        string? name = ns.WaitForPppInterface(UpTimeout);
        Assert.That(name, Is.Not.Null, $"no pppN interface in {ns.Name}\n{rig.Describe()}");
        bool found = Poll.Until(() => ns.Addresses(name!).Contains($"inet {address}", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.That(found, Is.True, $"{name} in {ns.Name} never got {address}:\n{ns.Addresses(name!)}\n{rig.Describe()}");
        return name!;
    }

    /// <summary>Pings <paramref name="destination"/> from <paramref name="ns"/> and asserts every echo was answered.</summary>
    public static void AssertPings(Rig rig, NetworkNamespace ns, string destination, string? family = null)
    {
        ProcessResult ping = ns.Ping(destination, TimeSpan.FromSeconds(10), family: family);
        Assert.That(ping.ExitCode, Is.Zero, $"ping {destination} from {ns.Name}: {ping.Describe()}\n{rig.Describe()}");
        Assert.That(ping.StdOut, Does.Contain(" 0% packet loss"), $"ping {destination} from {ns.Name}: {ping.Describe()}");
    }

    /// <summary>
    /// Pings the far end's IPv6 link-local address over the link, both ways: the address is
    /// read from the far interface, so it is whatever interface identifier IPV6CP agreed on.
    /// </summary>
    public static void AssertIpv6Pings(Rig rig, NetworkNamespace a, string interfaceA, NetworkNamespace b, string interfaceB)
    {
        string? linkLocalA = null;
        string? linkLocalB = null;
        Poll.Until(() => (linkLocalA = a.LinkLocalAddress(interfaceA)) is not null && (linkLocalB = b.LinkLocalAddress(interfaceB)) is not null,
            TimeSpan.FromSeconds(10));
        Assert.That(linkLocalA, Is.Not.Null, $"no fe80:: address on {interfaceA} in {a.Name}:\n{a.Addresses(interfaceA)}\n{rig.Describe()}");
        Assert.That(linkLocalB, Is.Not.Null, $"no fe80:: address on {interfaceB} in {b.Name}:\n{b.Addresses(interfaceB)}\n{rig.Describe()}");
        AssertPings(rig, a, $"{linkLocalB}%{interfaceA}", "-6");
        AssertPings(rig, b, $"{linkLocalA}%{interfaceB}", "-6");
    }

    /// <summary>
    /// Runs an iperf3 TCP transfer of a few seconds from <paramref name="client"/> to
    /// <paramref name="serverAddress"/> in <paramref name="server"/>; asserts it completed and
    /// carried data (how fast is the benchmark's business, not a test's).
    /// </summary>
    public static void AssertTcpTransfer(Rig rig, NetworkNamespace client, NetworkNamespace server, string serverAddress)
    {
        string port = IperfPort.ToString(CultureInfo.InvariantCulture);
        ChildProcess iperfServer = rig.Start(server, $"iperf3 server in {server.Name}", "iperf3", "-s", "-1", "-p", port);
        Assert.That(server.WaitListening(IperfPort, TimeSpan.FromSeconds(10)), Is.True, $"iperf3 -s did not listen\n{iperfServer.Describe()}");
        ProcessResult run = client.Run(TimeSpan.FromSeconds(40),
            "iperf3", "-c", serverAddress, "-p", port, "-t", "3", "-J", "--connect-timeout", "5000");
        Assert.That(run.ExitCode, Is.Zero, $"iperf3 -c {serverAddress}: {run.Describe()}\n{rig.Describe()}");
        using JsonDocument json = JsonDocument.Parse(run.StdOut);
        JsonElement received = json.RootElement.GetProperty("end").GetProperty("sum_received");
        Assert.Multiple(() =>
        {
            Assert.That(received.GetProperty("bytes").GetDouble(), Is.GreaterThan(0), run.StdOut);
            Assert.That(received.GetProperty("bits_per_second").GetDouble(), Is.GreaterThan(0), run.StdOut);
        });
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"iperf3 {client.Name} -> {serverAddress}: {received.GetProperty("bits_per_second").GetDouble() / 1e6:F1} Mbit/s"));
        iperfServer.WaitForExit(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// After the daemon ended: no pppN interface left, no route through one, and resolv.conf
    /// back to what it was before the daemon started.
    /// </summary>
    public static void AssertCleanedUp(Rig rig, params NetworkNamespace[] namespaces)
    {
        foreach (NetworkNamespace ns in namespaces)
        {
            bool gone = Poll.Until(() => ns.PppInterfaces().Count == 0, TimeSpan.FromSeconds(5));
            string routes = ns.Routes();
            Assert.Multiple(() =>
            {
                Assert.That(gone, Is.True, $"pppN left in {ns.Name}: {string.Join(", ", ns.PppInterfaces())}\n{rig.Describe()}");
                Assert.That(routes, Does.Not.Contain("ppp"), $"routes left in {ns.Name}:\n{routes}\n{rig.Describe()}");
                Assert.That(File.ReadAllText(ns.ResolvConfPath), Is.EqualTo(NetworkNamespace.OriginalResolvConf),
                    $"resolv.conf of {ns.Name} not restored\n{rig.Describe()}");
            });
        }
    }

    /// <summary>Waits until <paramref name="ns"/>'s resolv.conf names <paramref name="nameserver"/>.</summary>
    public static void AssertNameserver(Rig rig, NetworkNamespace ns, string nameserver)
    {
        bool found = Poll.Until(() => File.ReadAllText(ns.ResolvConfPath).Contains($"nameserver {nameserver}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        Assert.That(found, Is.True, $"resolv.conf of {ns.Name} never named {nameserver}:\n{File.ReadAllText(ns.ResolvConfPath)}\n{rig.Describe()}");
    }

    /// <summary>Waits for the daemon to exit and returns its exit code; fails the test if it did not.</summary>
    public static int WaitForExit(Rig rig, ChildProcess process, TimeSpan timeout)
    {
        Assert.That(process.WaitForExit(timeout), Is.True, $"{process.Name} still running after {timeout.TotalSeconds} s\n{rig.Describe()}");
        return process.ExitCode;
    }
}
