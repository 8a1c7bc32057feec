using NUnit.Framework;

namespace Ppp.Tests.Shared;

/// <summary>
/// Prometheus's own linter, <c>promtool check metrics</c>. Debian ships it only inside the
/// prometheus server package, whose installation would also start a server, so
/// scripts/test-deps.sh takes the one binary out of that package into
/// <see cref="InstalledPath"/>; a promtool on PATH is used first.
/// </summary>
internal static class Promtool
{
    public const string InstalledPath = "/usr/local/libexec/userppp-tests/promtool";

    public static string Path
    {
        get
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = System.IO.Path.Combine(dir, "promtool");
                if (File.Exists(candidate))
                    return candidate;
            }
            if (File.Exists(InstalledPath))
                return InstalledPath;
            Assert.Fail($"promtool is missing (neither on PATH nor at {InstalledPath}): run scripts/test-deps.sh, which extracts it from Debian's prometheus package");
            return "";
        }
    }

    /// <summary>Runs <c>promtool check metrics</c> over <paramref name="exposition"/> (it reads stdin only).</summary>
    public static ProcessResult CheckMetrics(string exposition)
    {
        string file = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, exposition);
            return ProcessRunner.Run("/bin/sh", ["-c", "exec \"$0\" check metrics < \"$1\"", Path, file], TimeSpan.FromSeconds(60));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
