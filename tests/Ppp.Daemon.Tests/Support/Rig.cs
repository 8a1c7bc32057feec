using System.Globalization;
using System.Text;

namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// Everything one scenario sets up: a temporary folder, namespaces, configurations, daemons
/// and helper processes. It describes all their logs at once for assertion messages, and
/// disposing undoes everything in a safe order whatever state the test left it in.
/// </summary>
internal sealed class Rig : IDisposable
{
    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly List<ChildProcess> _processes = [];
    private readonly List<PppConf> _confs = [];
    private readonly List<IDisposable> _resources = [];
    private readonly List<(string Name, Func<string> Describe)> _describers = [];
    private bool _disposed;

    private Rig(string directory) => Directory = directory;

    /// <summary>The scenario's own temporary folder (configurations, logs, pty links).</summary>
    public string Directory { get; }

    public static Rig Create() => new(System.IO.Directory.CreateTempSubdirectory("uppp-it-").FullName);

    public NetworkNamespace Namespace()
    {
        NetworkNamespace ns = NetworkNamespace.Create();
        _namespaces.Add(ns);
        return ns;
    }

    public PppConf Conf(string name, string pppConf, string? pppSecret = null)
    {
        PppConf conf = PppConf.Create(Directory, name, pppConf, pppSecret);
        _confs.Add(conf);
        return conf;
    }

    /// <summary>
    /// Starts <c>dotnet ppp.dll ARGS</c> with <paramref name="conf"/>'s folder and log, inside
    /// <paramref name="ns"/>.
    /// </summary>
    public ChildProcess Daemon(NetworkNamespace ns, PppConf conf, params string[] arguments)
    {
        ChildProcess daemon = ns.Start($"ppp {conf.Name}", [DaemonEnvironment.Dotnet, DaemonEnvironment.PppDll, .. arguments], conf.Environment);
        _processes.Add(daemon);
        return daemon;
    }

    /// <summary>
    /// As <see cref="Daemon"/>, with the daemon exec'd by <c>sh -c SCRIPT</c> (which must end
    /// in <c>exec "$@"</c>), so the script can prepare the daemon's mount namespace first:
    /// <c>ip netns exec</c> gives every command a private one.
    /// </summary>
    public ChildProcess DaemonAfter(string script, NetworkNamespace ns, PppConf conf, params string[] arguments)
    {
        ChildProcess daemon = ns.Start($"ppp {conf.Name}", ["sh", "-c", script, "sh", DaemonEnvironment.Dotnet, DaemonEnvironment.PppDll, .. arguments], conf.Environment);
        _processes.Add(daemon);
        return daemon;
    }

    /// <summary>Starts a helper inside <paramref name="ns"/>, or in the root namespace when it is null.</summary>
    public ChildProcess Start(NetworkNamespace? ns, string name, params string[] command)
    {
        ChildProcess process = ns is null
            ? ChildProcess.Start(name, command[0], command[1..])
            : ns.Start(name, command);
        _processes.Add(process);
        return process;
    }

    /// <summary>Disposes <paramref name="resource"/> with the rig (after the namespaces and processes).</summary>
    public T Track<T>(T resource)
        where T : IDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Adds a log (a peer's, a VM's) to <see cref="Describe"/>.</summary>
    public void Describe(string name, Func<string> describe) => _describers.Add((name, describe));

    /// <summary>Every daemon log and every process's output, for assertion messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (PppConf conf in _confs)
        {
            text.Append(CultureInfo.InvariantCulture, $"--- log of ppp {conf.Name} ({conf.Log.Path}) ---\n{conf.Log.Text()}");
        }

        foreach (ChildProcess process in _processes)
        {
            text.Append(process.Describe());
        }

        foreach ((string name, Func<string> describe) in _describers)
        {
            string body;
            try
            {
                body = describe();
            }
            catch (InvalidOperationException e)
            {
                body = $"(unavailable: {e.Message})";
            }

            text.Append(CultureInfo.InvariantCulture, $"--- {name} ---\n{body}\n");
        }

        return text.ToString();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Namespaces first: their processes get TERM (a daemon undoes its changes), then KILL.
        foreach (NetworkNamespace ns in Enumerable.Reverse(_namespaces))
        {
            ns.Dispose();
        }

        foreach (ChildProcess process in Enumerable.Reverse(_processes))
        {
            process.Dispose();
        }

        foreach (IDisposable resource in Enumerable.Reverse(_resources))
        {
            resource.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process killed a moment ago may still be closing a file there; /tmp is swept anyway.
        }
    }
}
