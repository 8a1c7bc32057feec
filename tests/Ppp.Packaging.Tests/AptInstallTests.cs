using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Ppp.Packaging.Tests;

/// <summary>
/// scripts/apt-install.sh, which scripts/install.sh installs packages with: on a fresh Debian
/// image (empty package lists) it must run <c>apt-get update</c> before <c>apt-get install</c>,
/// or the install stops with "Unable to locate package" (issue 12, item 1). The real
/// apt-cache reads an empty lists folder and an empty dpkg status (APT_CONFIG); apt-get is a
/// fake on PATH that records its arguments, so no network is needed.
/// </summary>
[TestFixture]
public sealed partial class AptInstallTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("uppp-apt-");
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "lists", "partial"));
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "cache"));
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "bin"));
        File.WriteAllText(Path.Combine(_dir.FullName, "status"), "");
        File.WriteAllText(Path.Combine(_dir.FullName, "apt.conf"), $"""
            Dir::State::Lists "{_dir.FullName}/lists";
            Dir::State::status "{_dir.FullName}/status";
            Dir::Cache "{_dir.FullName}/cache";
            Dir::Cache::pkgcache "";
            Dir::Cache::srcpkgcache "";
            """);
        Fake("apt-get", $"printf '%s\\n' \"$*\" >> {_dir.FullName}/calls");
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    [Test]
    public void AptInstall_EmptyPackageLists_UpdatesBeforeInstalling()
    {
        ProcessResult result = Run("socat", "iputils-ping");

        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        Assert.That(Calls(), Is.EqualTo(new[]
        {
            "-o DPkg::Lock::Timeout=600 -q update -qq",
            "-o DPkg::Lock::Timeout=600 -q install -y -qq socat iputils-ping",
        }), result.Describe());
        Assert.That(result.StdOut, Does.Contain("apt-get update (the package lists have no candidate for socat)"));
    }

    [Test]
    public void AptInstall_ListsHaveCandidates_InstallsWithoutUpdate()
    {
        Fake("apt-cache", "printf '%s:\\n  Installed: (none)\\n  Candidate: 1.0-1\\n' \"$2\"");

        ProcessResult result = Run("socat", "iputils-ping");

        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        Assert.That(Calls(), Is.EqualTo(new[] { "-o DPkg::Lock::Timeout=600 -q install -y -qq socat iputils-ping" }), result.Describe());
    }

    [Test]
    public void InstallScript_InstallsPackagesOnlyThroughAptInstall()
    {
        string script = File.ReadAllText(Repository.File("scripts", "install.sh"));

        Assert.That(DirectAptGet().Matches(script), Is.Empty, "scripts/install.sh must install through scripts/apt-install.sh (which updates empty lists)");
        Assert.That(script, Does.Contain("scripts/apt-install.sh\" \"${missing[@]}\""));
    }

    // A command line (not a message) that runs apt-get install, as root or not, with variables set.
    [GeneratedRegex(@"^\s*(if\s+)?(as_root\s+)?(env\s+)?(\w+=\S+\s+)*apt-get\s+(-\S+\s+)*install", RegexOptions.Multiline)]
    private static partial Regex DirectAptGet();

    private void Fake(string name, string body)
    {
        string path = Path.Combine(_dir.FullName, "bin", name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string[] Calls()
    {
        string path = Path.Combine(_dir.FullName, "calls");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    private ProcessResult Run(params string[] packages) =>
        Repository.Bash(TimeSpan.FromSeconds(60),
            "APT_CONFIG=\"$1\" PATH=\"$2:$PATH\" scripts/apt-install.sh \"${@:3}\"",
            [Path.Combine(_dir.FullName, "apt.conf"), Path.Combine(_dir.FullName, "bin"), .. packages]);
}
