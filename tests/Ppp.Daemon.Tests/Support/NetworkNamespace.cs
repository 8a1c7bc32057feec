using System.Globalization;
using System.Text.RegularExpressions;

namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// A network namespace made for one test, with its own resolv.conf: <c>ip netns exec</c>
/// bind-mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf, so a daemon that rewrites
/// its resolver there never touches the host's. Disposing kills every process left in the
/// namespace (all of them were started by the test), deletes it, and removes /etc/netns/NAME.
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    /// <summary>Every test namespace name starts with this, so stale ones are recognisable.</summary>
    public const string NamePrefix = "uppp-it-";

    /// <summary>What resolv.conf holds before the daemon runs, and must hold again after it.</summary>
    public const string OriginalResolvConf = "# resolv.conf of a UserPpp test namespace\nnameserver 192.0.2.1\n";

    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);
    private static int s_count;
    private bool _disposed;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>The file the namespace sees as /etc/resolv.conf.</summary>
    public string ResolvConfPath => Path.Combine(EtcDirectory, "resolv.conf");

    private string EtcDirectory => Path.Combine("/etc/netns", Name);

    public static NetworkNamespace Create()
    {
        InteropEnvironment.RequireRoot("network namespaces, tun devices and routes need root");
        InteropEnvironment.RequireTun();
        string name = string.Create(CultureInfo.InvariantCulture, $"{NamePrefix}{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}");
        var ns = new NetworkNamespace(name);
        try
        {
            Directory.CreateDirectory(ns.EtcDirectory);
            File.WriteAllText(ns.ResolvConfPath, OriginalResolvConf);
            Check(ProcessRunner.Run("ip", ["netns", "add", name], s_commandTimeout), $"ip netns add {name}");
            ns.MustIp("link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>
    /// Joins two namespaces with a veth pair, <c>va</c> in <paramref name="a"/> and <c>vb</c> in
    /// <paramref name="b"/>, with the given addresses (CIDR).
    /// </summary>
    public static void Connect(NetworkNamespace a, string addressA, NetworkNamespace b, string addressB)
    {
        Check(ProcessRunner.Run("ip", ["link", "add", "va", "netns", a.Name, "type", "veth", "peer", "name", "vb", "netns", b.Name], s_commandTimeout),
            "ip link add veth");
        a.MustIp("addr", "add", addressA, "dev", "va");
        b.MustIp("addr", "add", addressB, "dev", "vb");
        a.MustIp("link", "set", "va", "up");
        b.MustIp("link", "set", "vb", "up");
    }

    /// <summary>Runs <c>ip -n NAME ARGS</c>.</summary>
    public ProcessResult Ip(params string[] arguments) =>
        ProcessRunner.Run("ip", ["-n", Name, .. arguments], s_commandTimeout);

    /// <summary>Runs <c>ip -n NAME ARGS</c> and fails the test with ip's answer if it fails.</summary>
    public string MustIp(params string[] arguments)
    {
        ProcessResult result = Ip(arguments);
        Check(result, $"ip -n {Name} {string.Join(' ', arguments)}");
        return result.StdOut;
    }

    /// <summary>Runs a command inside the namespace and waits for it.</summary>
    public ProcessResult Run(TimeSpan timeout, params string[] command) =>
        ProcessRunner.Run("ip", ["netns", "exec", Name, .. command], timeout);

    /// <summary>Starts a long-running command inside the namespace (<c>ip netns exec</c> execs it: same pid).</summary>
    public ChildProcess Start(string name, IEnumerable<string> command, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.Start(name, "ip", ["netns", "exec", Name, .. command], environment);

    /// <summary>The ppp interfaces (pppN) that exist in the namespace now.</summary>
    public IReadOnlyList<string> PppInterfaces() =>
        [.. PppInterfaceRegex().Matches(MustIp("-o", "link", "show")).Select(m => m.Groups[1].Value)];

    /// <summary>Waits for exactly one ppp interface to appear and returns its name; null if none did.</summary>
    public string? WaitForPppInterface(TimeSpan timeout)
    {
        string? name = null;
        Poll.Until(() =>
        {
            IReadOnlyList<string> names = PppInterfaces();
            name = names.Count > 0 ? names[0] : null;
            return name is not null;
        }, timeout);
        return name;
    }

    /// <summary><c>ip addr show dev IFNAME</c>, empty if the interface is gone.</summary>
    public string Addresses(string interfaceName) => Ip("addr", "show", "dev", interfaceName).StdOut;

    /// <summary>The IPv4 and IPv6 routing tables (main table).</summary>
    public string Routes() => MustIp("route", "show") + MustIp("-6", "route", "show");

    /// <summary>The link-local IPv6 address of an interface (fe80::...), or null if it has none yet.</summary>
    public string? LinkLocalAddress(string interfaceName)
    {
        Match match = LinkLocalRegex().Match(Ip("-6", "addr", "show", "dev", interfaceName, "scope", "link").StdOut);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// Pings until one echo is answered or <paramref name="timeout"/> passes (addresses appear
    /// and routes settle a moment after the daemon logs the layer up); then sends
    /// <paramref name="count"/> more and returns that last run.
    /// </summary>
    public ProcessResult Ping(string destination, TimeSpan timeout, int count = 3, string? family = null)
    {
        string[] familyOption = family is null ? [] : [family];
        ProcessResult? last = null;
        Poll.Until(() => (last = Run(TimeSpan.FromSeconds(10), ["ping", .. familyOption, "-n", "-c", "1", "-W", "1", destination])).ExitCode == 0,
            timeout, TimeSpan.FromMilliseconds(200));
        if (last!.ExitCode != 0)
        {
            return last;
        }

        string countText = count.ToString(CultureInfo.InvariantCulture);
        return Run(TimeSpan.FromSeconds(count + 15), ["ping", .. familyOption, "-n", "-c", countText, "-i", "0.2", "-W", "2", destination]);
    }

    /// <summary>True once something listens on TCP <paramref name="port"/> in the namespace.</summary>
    public bool WaitListening(int port, TimeSpan timeout) =>
        Poll.Until(() => Run(s_commandTimeout, "ss", "-Hltn", $"sport = :{port}").StdOut.Trim().Length > 0, timeout, TimeSpan.FromMilliseconds(50));

    /// <summary>The pids of the processes in the namespace.</summary>
    public IReadOnlyList<int> Pids()
    {
        ProcessResult result = ProcessRunner.Run("ip", ["netns", "pids", Name], s_commandTimeout);
        return [.. result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        KillAll();
        ProcessRunner.Run("ip", ["netns", "del", Name], s_commandTimeout);
        try
        {
            Directory.Delete(EtcDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>
    /// Ends every process in the namespace: TERM first, so a daemon can still undo what it
    /// changed, then KILL whatever is left. All of them are this test's, found by namespace
    /// and killed by pid.
    /// </summary>
    private void KillAll()
    {
        IReadOnlyList<int> pids = Pids();
        if (pids.Count == 0)
        {
            return;
        }

        Signal("TERM", pids);
        if (!Poll.Until(() => Pids().Count == 0, TimeSpan.FromSeconds(5)))
        {
            Signal("KILL", Pids());
            Poll.Until(() => Pids().Count == 0, TimeSpan.FromSeconds(5));
        }
    }

    private static void Signal(string signal, IReadOnlyList<int> pids)
    {
        if (pids.Count > 0)
        {
            ProcessRunner.Run("kill", ["-s", signal, .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))], s_commandTimeout);
        }
    }

    private static void Check(ProcessResult result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what}: {result.Describe()}");
        }
    }

    [GeneratedRegex(@"^\d+:\s+(ppp\d+)[:@]", RegexOptions.Multiline)]
    private static partial Regex PppInterfaceRegex();

    [GeneratedRegex(@"inet6\s+(fe80::[0-9a-f:]+)[/ ]")]
    private static partial Regex LinkLocalRegex();
}
