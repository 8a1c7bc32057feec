using System.Globalization;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests;

/// <summary>
/// Before any test of the assembly runs (a set-up fixture in the root namespace): removes
/// the namespaces (and their /etc/netns folders) that an earlier test process of this project
/// left behind when it was killed before its teardown. Only names with our prefix whose
/// creating process (the pid in the name) is gone are touched.
/// </summary>
[SetUpFixture]
public sealed class StaleNamespaceSweep
{
    [OneTimeSetUp]
    public void RemoveStaleNamespaces()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }

        ProcessResult list = ProcessRunner.Run("ip", "netns", "list");
        foreach (string line in list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ', 2)[0];
            if (!name.StartsWith(NetworkNamespace.NamePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = name[NetworkNamespace.NamePrefix.Length..].Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ||
                pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }

            foreach (string member in ProcessRunner.Run("ip", "netns", "pids", name).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                ProcessRunner.Run("kill", "-s", "KILL", member.Trim());
            }

            ProcessRunner.Run("ip", "netns", "del", name);
            string etc = Path.Combine("/etc/netns", name);
            if (Directory.Exists(etc))
            {
                Directory.Delete(etc, recursive: true);
            }

            TestContext.Progress.WriteLine($"removed stale test namespace {name}");
        }
    }
}
