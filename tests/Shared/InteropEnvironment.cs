using NUnit.Framework;

namespace Ppp.Tests.Shared;

/// <summary>
/// Where the repository and the shared peers live, and the host prerequisites of the
/// interop tests. A missing prerequisite fails the test with the reason: these tests must
/// run in CI, so they never turn into a silent pass or a skip.
/// </summary>
internal static class InteropEnvironment
{
    private static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);

    /// <summary>The folder holding UserPpp.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot => s_repositoryRoot.Value;

    /// <summary>The shared folder: $PPP_SHARED, or "shared" beside the repository.</summary>
    public static string SharedDirectory
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("PPP_SHARED");
            return !string.IsNullOrEmpty(fromEnvironment)
                ? Path.GetFullPath(fromEnvironment)
                : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        }
    }

    public static string PppdVmScript => Path.Combine(SharedDirectory, "peers", "pppd-vm");

    /// <summary>Data files copied beside the test assembly.</summary>
    public static string DataPath(params string[] parts) =>
        Path.Combine([TestContext.CurrentContext.TestDirectory, "Data", .. parts]);

    /// <summary>Fails the current test unless pppd-vm can run: root, the script, /dev/net/tun.</summary>
    public static void RequireVmHost()
    {
        RequireRoot("pppd-vm boots QEMU and builds its initramfs with mknod");
        if (!File.Exists(PppdVmScript))
        {
            Assert.Fail($"pppd-vm not found at {PppdVmScript}: set PPP_SHARED to the shared folder " +
                        "(the one holding peers/pppd-vm), or put it beside the repository as ../shared");
        }

        RequireTun();
    }

    /// <summary>Fails the current test unless slirp, socat and stty are installed.</summary>
    public static void RequireSlirpHost()
    {
        foreach (string tool in new[] { "/usr/bin/slirp-fullbolt", "/usr/bin/socat", "/usr/bin/stty" })
        {
            if (!File.Exists(tool))
            {
                Assert.Fail($"{tool} is missing: run scripts/test-deps.sh (Debian packages slirp, socat, coreutils)");
            }
        }
    }

    public static void RequireRoot(string why)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail($"interop tests must run as root ({why}); CI runs as root. " +
                        "Run them with sudo, or exclude them with --filter TestCategory!=Interop");
        }
    }

    public static void RequireTun()
    {
        if (!File.Exists("/dev/net/tun"))
        {
            Assert.Fail("/dev/net/tun is missing: the daemon's tests need the tun driver (modprobe tun)");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UserPpp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no UserPpp.sln above {AppContext.BaseDirectory}");
    }
}
