using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>Runs pppctl (its build output beside ppp's) inside a test namespace.</summary>
internal static partial class ControlSupport
{
    public static string PppctlDll
    {
        get
        {
            string path = Path.Combine(InteropEnvironment.RepositoryRoot, "src", "pppctl", "bin", DaemonEnvironment.Configuration, "net10.0", "pppctl.dll");
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: build src/pppctl/pppctl.csproj -c {DaemonEnvironment.Configuration} (the test project's build does it)");
            }

            return path;
        }
    }

    /// <summary>One-shot pppctl with stdin closed (so it never asks for a password).</summary>
    public static ProcessResult Pppctl(NetworkNamespace ns, params string[] arguments) =>
        ns.Run(TimeSpan.FromSeconds(60), ["sh", "-c", "exec \"$@\" </dev/null", "pppctl", DaemonEnvironment.Dotnet, PppctlDll, .. arguments]);

    /// <summary>Waits for the daemon to log where its diagnostic socket listens and returns the TCP port.</summary>
    public static int WaitForTcpServer(Rig rig, PppConf conf, ChildProcess daemon)
    {
        string line = conf.Log.WaitFor(@"diagnostic socket: listening on tcp 127\.0\.0\.1:\d+", TimeSpan.FromSeconds(30), rig.Describe, daemon);
        return int.Parse(PortRegex().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"listening on tcp 127\.0\.0\.1:(\d+)")]
    private static partial Regex PortRegex();
}
