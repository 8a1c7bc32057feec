using System.Reflection;
using NUnit.Framework;

namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// Where the daemon under test is: src/ppp's build output in the configuration this test
/// assembly was built in (Release in CI through scripts/test.sh, Debug in a local run), and
/// the dotnet host that runs it.
/// </summary>
internal static class DaemonEnvironment
{
    public static string Configuration =>
        typeof(DaemonEnvironment).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>src/ppp/bin/CONFIGURATION/net10.0/ppp.dll; fails the test if it is not built.</summary>
    public static string PppDll
    {
        get
        {
            string path = Path.Combine(InteropEnvironment.RepositoryRoot, "src", "ppp", "bin", Configuration, "net10.0", "ppp.dll");
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: build src/ppp/ppp.csproj -c {Configuration} (the test project's build does it)");
            }

            return path;
        }
    }

    /// <summary>The dotnet host: the one `dotnet test` runs under (DOTNET_HOST_PATH), else the first on PATH.</summary>
    public static string Dotnet
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(dir, "dotnet");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            Assert.Fail("no dotnet host found (DOTNET_HOST_PATH unset and no dotnet on PATH)");
            return "";
        }
    }

    /// <summary>Fails the test unless the tools the scenarios drive are installed.</summary>
    public static void RequireTools(params string[] tools)
    {
        foreach (string tool in tools)
        {
            string[] dirs = ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin"];
            if (!dirs.Any(d => File.Exists(Path.Combine(d, tool))))
            {
                Assert.Fail($"{tool} is missing: run scripts/test-deps.sh (it installs the integration tests' Debian packages)");
            }
        }
    }
}
