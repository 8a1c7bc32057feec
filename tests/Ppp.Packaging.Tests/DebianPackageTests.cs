using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;

namespace Ppp.Packaging.Tests;

/// <summary>
/// scripts/build-deb.sh for real: the package is built (into artifacts/deb, kept for
/// inspection), its contents listed and checked, then installed on this machine with apt-get,
/// used (ppp -check on a sample, ppp -demo, man -w, the unit, the completion) and purged, and
/// /etc/ppp must be as it was, Debian's ppp package's files and the user's included. Needs
/// root, as CI has it.
/// </summary>
[TestFixture]
public sealed class DebianPackageTests
{
    private static readonly TimeSpan s_apt = TimeSpan.FromMinutes(10);
    private string _deb = "";

    [OneTimeSetUp]
    public void BuildPackage()
    {
        var watch = Stopwatch.StartNew();
        ProcessResult result = Repository.Bash(TimeSpan.FromMinutes(20), "scripts/build-deb.sh \"$1\"", Repository.File("artifacts", "deb"));
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        _deb = result.StdOut.Trim().Split('\n')[^1];
        Assert.That(File.Exists(_deb), Is.True, result.Describe());
        TestContext.Progress.WriteLine($"built {_deb} ({new FileInfo(_deb).Length / 1024} KiB) in {watch.Elapsed.TotalSeconds:0} s");
    }

    private static ProcessResult Run(string file, params string[] arguments) => ProcessRunner.Run(file, arguments, TimeSpan.FromMinutes(2));

    private static ProcessResult Apt(params string[] arguments) =>
        ProcessRunner.Run("/usr/bin/env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", "DPkg::Lock::Timeout=600", "-y", "-q", .. arguments], s_apt);

    private static bool Installed(string package) =>
        Run("dpkg-query", "-W", "-f=${Status}", package).StdOut.Contains("install ok installed", StringComparison.Ordinal);

    /// <summary>Every entry of `dpkg-deb -c`: mode string and path (links as "path -> target").</summary>
    private List<(string Mode, string Path)> Contents()
    {
        ProcessResult list = Run("dpkg-deb", "--contents", _deb);
        Assert.That(list.ExitCode, Is.Zero, list.Describe());
        return [.. list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (f[0], f[5].StartsWith("./", StringComparison.Ordinal) ? f[5][1..] : f[5]))];
    }

    [Test]
    public void Package_Contents_AreWhatTheIssueListsWithTheRightModes()
    {
        var contents = Contents();
        // The listing goes to the test log (CI shows it): everything but the runtime's files.
        TestContext.Out.WriteLine(string.Join('\n', contents.Where(c => !c.Path.StartsWith("/usr/lib/userppp/", StringComparison.Ordinal) || c.Path.Contains("/ppp", StringComparison.Ordinal))
            .Select(c => $"{c.Mode} {c.Path}")));
        TestContext.Out.WriteLine($"... and {contents.Count(c => c.Path.StartsWith("/usr/lib/userppp/", StringComparison.Ordinal))} files in /usr/lib/userppp");
        var modes = contents.ToDictionary(c => c.Path.Split(" -> ")[0], c => c.Mode);
        Assert.Multiple(() =>
        {
            foreach (string program in new[] { "ppp", "pppctl", "ppp-modemsim" })
                Assert.That(modes.GetValueOrDefault($"/usr/lib/userppp/{program}"), Is.EqualTo("-rwxr-xr-x"), program);
            Assert.That(contents.Select(c => c.Path), Is.SupersetOf(new[]
            {
                "/usr/sbin/ppp -> ../lib/userppp/ppp",
                "/usr/sbin/pppctl -> ../lib/userppp/pppctl",
                "/usr/bin/ppp-modemsim -> ../lib/userppp/ppp-modemsim",
                "/usr/lib/userppp/libcoreclr.so",
                "/usr/share/man/man8/ppp.8.gz",
                "/usr/share/man/man8/pppctl.8.gz",
                "/usr/share/man/man5/ppp.conf.5.gz",
                "/usr/share/man/man5/ppp.secret.5.gz -> ppp.conf.5.gz",
                "/usr/share/man/man1/ppp-modemsim.1.gz",
                "/lib/systemd/system/ppp@.service",
                "/usr/share/bash-completion/completions/ppp",
                "/usr/share/bash-completion/completions/pppctl",
                "/usr/share/doc/userppp/copyright",
                "/usr/share/doc/userppp/changelog.gz",
                "/usr/share/doc/userppp/examples/ppp.conf",
                "/usr/share/doc/userppp/examples/ppp.linkup",
                "/usr/share/doc/userppp/examples/ppp.linkdown",
            }));
            Assert.That(modes.GetValueOrDefault("/usr/share/doc/userppp/examples/ppp.secret"), Is.EqualTo("-rw-------"), "ppp.secret 0600");
            Assert.That(modes.GetValueOrDefault("/usr/share/doc/userppp/examples/ppp.conf"), Is.EqualTo("-rw-r--r--"));
            Assert.That(contents.Where(c => c.Path.StartsWith("/etc/", StringComparison.Ordinal)), Is.Empty, "no file in /etc: postinst makes /etc/ppp");
            Assert.That(contents.Where(c => c.Path.EndsWith(".pdb", StringComparison.Ordinal) || c.Path.EndsWith("libcoreclrtraceptprovider.so", StringComparison.Ordinal)), Is.Empty);
            Assert.That(contents.Where(c => c.Mode.StartsWith('d')).Select(c => c.Mode).Distinct(), Is.EqualTo(new[] { "drwxr-xr-x" }));
        });

        string control = Run("dpkg-deb", "--field", _deb).StdOut;
        Assert.That(control, Does.Contain("Package: userppp\n").And.Contain("Architecture: amd64\n").And.Contain("Depends: libc6 (>= 2.27), libgcc-s1, libstdc++6, libssl3\n"));
        Assert.That(control, Does.Match(@"Version: \d+\.\d+\.\d+\+git\d{8}\.[0-9a-f]{7,}\n"));
    }

    [Test]
    public void Package_SharesNoFileWithDebiansPpp()
    {
        Assert.That(Installed("ppp"), Is.True, "Debian's ppp is installed by scripts/test-deps.sh: this test compares the two");
        var theirs = Run("dpkg-query", "-L", "ppp").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(p => !Directory.Exists(p)).ToHashSet(StringComparer.Ordinal);
        var ours = Contents().Where(c => !c.Mode.StartsWith('d')).Select(c => c.Path.Split(" -> ")[0]);
        Assert.That(ours.Where(theirs.Contains), Is.Empty);
    }

    /// <summary>Path, mode, owner and content hash of everything under /etc/ppp.</summary>
    private static SortedSet<string> Snapshot(string dir)
    {
        var entries = new SortedSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(dir))
            return entries;
        foreach (string path in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Append(dir))
        {
            ProcessResult stat = Run("stat", "-c", "%a %U:%G", path);
            string hash = File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "dir";
            entries.Add($"{path} {stat.StdOut.Trim()} {hash}");
        }
        return entries;
    }

    [Test]
    public void Package_InstallUseAndPurge_WorksAndLeavesEtcPppAlone()
    {
        Assert.That(Environment.IsPrivilegedProcess, Is.True, "installing a package needs root (CI runs as root)");
        if (Installed("userppp"))
            Assert.That(Apt("purge", "userppp").ExitCode, Is.Zero, "an earlier run left userppp installed");
        Directory.CreateDirectory("/etc/ppp");
        string userFile = $"/etc/ppp/userppp-test-{Environment.ProcessId}.conf";
        File.WriteAllText(userFile, "# a file of the user's: the package must leave it alone\n");
        try
        {
            var before = Snapshot("/etc/ppp");

            var watch = Stopwatch.StartNew();
            ProcessResult install = Apt("install", _deb);
            Assert.That(install.ExitCode, Is.Zero, install.Describe());
            TestContext.Progress.WriteLine($"apt-get install took {watch.Elapsed.TotalSeconds:0.0} s");

            ProcessResult check = Run("/usr/bin/env", "PPP_CONFDIR=/usr/share/doc/userppp/examples", "/usr/sbin/ppp", "-check", "tcp-client", "cellular");
            Assert.That(check.ExitCode, Is.Zero, check.Describe());
            Assert.That(check.StdOut, Does.Contain("configuration for \"tcp-client\", \"cellular\" is valid"));

            // The self-contained runtime end to end: two links, CHAP (OpenSSL's MD5), IPCP, IPV6CP.
            ProcessResult demo = Run("/usr/sbin/ppp", "-demo", "chap");
            Assert.That(demo.ExitCode, Is.Zero, demo.Describe());
            Assert.That(demo.StdOut, Does.Contain("link closed cleanly"));
            ProcessResult usage = Run("/usr/sbin/pppctl");
            Assert.That(usage.ExitCode, Is.EqualTo(2), usage.Describe());
            Assert.That(usage.StdErr, Does.Contain("usage: pppctl"));

            ProcessResult man = Run("man", "-w", "ppp", "pppctl", "ppp.conf", "ppp.secret", "ppp-modemsim");
            Assert.That(man.ExitCode, Is.Zero, man.Describe());
            Assert.That(man.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
            {
                "/usr/share/man/man8/ppp.8.gz", "/usr/share/man/man8/pppctl.8.gz", "/usr/share/man/man5/ppp.conf.5.gz",
                "/usr/share/man/man5/ppp.conf.5.gz", "/usr/share/man/man1/ppp-modemsim.1.gz",
            }));
            ProcessResult page = Run("/bin/sh", "-c", "MANWIDTH=80 man ppp 2>&1 | col -b");
            Assert.That(page.StdOut, Does.Contain("NAME\n       ppp - userspace Point-to-Point Protocol daemon").And.Contain("   Metrics\n"));

            CheckUnit();
            CheckCompletion();

            ProcessResult purge = Apt("purge", "userppp");
            Assert.That(purge.ExitCode, Is.Zero, purge.Describe());
            Assert.That(Installed("userppp"), Is.False);
            Assert.That(Directory.Exists("/usr/lib/userppp"), Is.False);
            Assert.That(File.Exists("/usr/sbin/ppp"), Is.False);
            Assert.That(Snapshot("/etc/ppp"), Is.EqualTo(before), "/etc/ppp after purge (user's and Debian ppp's files, modes, owners)");
        }
        finally
        {
            if (Installed("userppp"))
                Apt("purge", "userppp");
            File.Delete(userFile);
        }
    }

    /// <summary>
    /// ppp@.service from its installed file. `systemctl cat` needs systemd as PID 1, which a
    /// container may not have: then systemd's offline tools check the same file.
    /// </summary>
    private static void CheckUnit()
    {
        ProcessResult verify = Run("systemd-analyze", "verify", "ppp@example.service");
        Assert.That((verify.ExitCode, verify.StdOut + verify.StdErr), Is.EqualTo((0, "")), "systemd-analyze verify (ExecStart exists, man: pages exist)\n" + verify.Describe());
        ProcessResult files = Run("systemctl", "--root=/", "list-unit-files", "ppp@.service");
        Assert.That(files.StdOut, Does.Contain("ppp@.service"), files.Describe());
        if (Directory.Exists("/run/systemd/system"))
        {
            ProcessResult cat = Run("systemctl", "cat", "ppp@.service");
            Assert.That(cat.ExitCode, Is.Zero, cat.Describe());
            Assert.That(cat.StdOut, Does.Contain("ExecStart=/usr/sbin/ppp -foreground -quiet %I"));
        }
        else
        {
            TestContext.Out.WriteLine("systemd is not PID 1 here: systemctl cat cannot run; systemd-analyze verify and list-unit-files read the unit instead");
            Assert.That(File.ReadAllText("/lib/systemd/system/ppp@.service"), Does.Contain("ExecStart=/usr/sbin/ppp -foreground -quiet %I"));
        }
    }

    /// <summary>bash-completion's loader finds both completions where the package put them.</summary>
    private static void CheckCompletion()
    {
        const string loader = "/usr/share/bash-completion/bash_completion";
        Assert.That(File.Exists(loader), Is.True, "bash-completion is installed by scripts/test-deps.sh");
        ProcessResult loaded = Run("/bin/bash", "-c", $"source {loader}; __load_completion ppp && __load_completion pppctl && complete -p ppp pppctl");
        Assert.That(loaded.StdOut, Is.EqualTo("complete -F _userppp_ppp ppp\ncomplete -F _userppp_pppctl pppctl\n"), loaded.Describe());
    }

    [Test]
    public void Package_Changelog_NamesTheVersionAndCommit()
    {
        string version = Run("dpkg-deb", "--field", _deb, "Version").StdOut.Trim();
        string dir = Directory.CreateTempSubdirectory("uppp-deb-").FullName;
        try
        {
            Assert.That(Run("dpkg-deb", "-x", _deb, dir).ExitCode, Is.Zero);
            ProcessResult changelog = Run("zcat", Path.Combine(dir, "usr/share/doc/userppp/changelog.gz"));
            Assert.That(changelog.StdOut, Does.StartWith($"userppp ({version}) unstable; urgency=medium\n"));
            Assert.That(changelog.StdOut, Does.Contain($"Built from commit {version.Split('.')[^1]}"));
            Assert.That(File.ReadAllText(Path.Combine(dir, "usr/share/doc/userppp/copyright"), Encoding.UTF8), Does.StartWith("Format: "));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
