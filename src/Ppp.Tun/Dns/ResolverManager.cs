using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Ppp.Tun.Dns;

/// <summary>
/// Puts the DNS servers a link learned (IPCP options 129/131) into the system resolver and takes
/// them out again: ppp(8)'s <c>resolv</c> command. Two backends, chosen when servers are first
/// applied:
/// <list type="bullet">
/// <item>systemd-resolved, when it runs (its varlink socket or stub-resolv.conf exists) and
/// <c>resolvectl</c> is on PATH: <c>resolvectl dns IFACE SERVERS...</c>, undone by
/// <c>resolvectl revert IFACE</c>. Only <c>dns</c> is set: with no routing domain on any other
/// link resolved sends every query to the link's servers, and claiming <c>~.</c> here would
/// steal queries from a VPN that set it deliberately.</item>
/// <item>otherwise resolv.conf, rewritten in place (truncate and write, never rename: under
/// <c>ip netns exec</c> the file is a bind mount, and rename onto a mount point fails with
/// EBUSY). The original is kept in memory and in a backup file beside it
/// (<c>resolv.conf.userppp</c>) so a daemon that crashed can put it back on its next start
/// (<see cref="RecoverAfterCrash"/>).</item>
/// </list>
/// Failures are logged and reported as false, never thrown: a link is not brought down because
/// DNS could not be set. Not thread-safe: call it from the link loop.
/// </summary>
internal sealed partial class ResolverManager
{
    public const string ResolvectlProgram = "resolvectl";
    public const string BackendResolved = "systemd-resolved";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _interfaceName;
    private readonly ILogger _logger;
    private readonly string _resolvConfPath;
    private readonly string _backupPath;
    private readonly string _resolvedDirectory;
    private readonly IProcessRunner _runner;

    private IReadOnlyList<IPAddress> _servers = [];
    private bool _useResolved;
    private bool _resolvedApplied;
    private string? _original;
    private string? _written;

    /// <param name="resolvedRunDirectory">Where systemd-resolved keeps its socket and stub file;
    /// a test points it elsewhere.</param>
    public ResolverManager(ResolverMode mode, string interfaceName, ILogger logger, string resolvConfPath = "/etc/resolv.conf",
        IProcessRunner? runner = null, string resolvedRunDirectory = "/run/systemd/resolve")
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrEmpty(resolvConfPath);
        Mode = mode;
        _interfaceName = interfaceName;
        _logger = logger;
        _resolvConfPath = resolvConfPath;
        _backupPath = resolvConfPath + ".userppp";
        _resolvedDirectory = resolvedRunDirectory;
        _runner = runner ?? ProcessRunner.Default;
    }

    /// <summary><c>resolv writable</c> / <c>resolv readonly</c>; takes effect at the next Apply.</summary>
    public ResolverMode Mode { get; set; }

    /// <summary>The servers last given to <see cref="Apply"/> (DNS0, DNS1, ...), whatever the mode.</summary>
    public IReadOnlyList<IPAddress> Servers => _servers;

    /// <summary>For <c>show</c>: "systemd-resolved", the resolv.conf path, or "readonly".</summary>
    public string Backend =>
        _written is not null ? _resolvConfPath
        : _resolvedApplied || (Mode == ResolverMode.Rewrite && ResolvedIsRunning()) ? BackendResolved
        : Mode == ResolverMode.ReadOnly ? "readonly"
        : _resolvConfPath;

    /// <summary>The backup of the original resolv.conf kept while ours is in place.</summary>
    public string BackupPath => _backupPath;

    /// <summary>
    /// Records the link's servers and, unless the mode is <see cref="ResolverMode.ReadOnly"/>,
    /// applies them, replacing any this manager applied before. An empty list restores.
    /// </summary>
    public bool Apply(IReadOnlyList<IPAddress> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        _servers = [.. servers];
        if (Mode == ResolverMode.ReadOnly)
            return true;
        return Write();
    }

    /// <summary><c>resolv rewrite</c>: applies the recorded servers now, even when read-only.</summary>
    public bool Rewrite() => Write();

    /// <summary>
    /// Undoes what this manager applied: <c>resolvectl revert</c>, or the original resolv.conf
    /// put back, but only if the file still holds what we wrote (someone who changed it since
    /// knows better). Does nothing when nothing was applied.
    /// </summary>
    public bool Restore()
    {
        if (_resolvedApplied)
        {
            _resolvedApplied = false;
            return RunResolvectl(["revert", _interfaceName]);
        }
        if (_written is null)
            return true;

        string? current;
        try
        {
            current = ReadOrNull(_resolvConfPath);
        }
        catch (IOException e)
        {
            LogFailed(_logger, "read", _resolvConfPath, e.Message);
            return false;
        }
        string written = _written;
        _written = null;
        if (current != written)
        {
            LogChangedMeanwhile(_logger, _resolvConfPath);
            DeleteBackup();
            return true;
        }
        try
        {
            if (_original is null)
                File.Delete(_resolvConfPath);
            else
                WriteInPlace(_resolvConfPath, _original);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(_logger, "restore", _resolvConfPath, e.Message);
            return false;
        }
        DeleteBackup();
        LogRestored(_logger, _resolvConfPath);
        return true;
    }

    /// <summary>
    /// <c>resolv reload</c>: takes resolv.conf as it is now as the original, unless it is the
    /// file we wrote (a DHCP client, say, rewrote it). While our servers are applied they are
    /// written on top of the new original at once.
    /// </summary>
    public bool Reload()
    {
        string? current;
        try
        {
            current = ReadOrNull(_resolvConfPath);
        }
        catch (IOException e)
        {
            LogFailed(_logger, "read", _resolvConfPath, e.Message);
            return false;
        }
        if (_written is not null)
            return current == _written || Write();
        if (!ResolvConf.IsOurs(current))
            _original = current;
        return true;
    }

    /// <summary>
    /// At start-up: if resolv.conf is still one we wrote (a daemon died with the link up), puts
    /// the original back from the backup, or failing that what ours was composed from. Returns
    /// whether anything was recovered.
    /// </summary>
    public bool RecoverAfterCrash()
    {
        try
        {
            string? current = ReadOrNull(_resolvConfPath);
            string? backup = ReadOrNull(_backupPath);
            if (!ResolvConf.IsOurs(current))
            {
                if (backup is not null)
                    File.Delete(_backupPath);
                return false;
            }
            WriteInPlace(_resolvConfPath, backup ?? ResolvConf.StripOurs(current!));
            if (backup is not null)
                File.Delete(_backupPath);
            LogRecovered(_logger, _resolvConfPath, backup is not null ? _backupPath : "its own non-nameserver lines");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(_logger, "recover", _resolvConfPath, e.Message);
            return false;
        }
    }

    private bool Write()
    {
        if (_servers.Count == 0)
            return Restore();

        if (_written is null && !_resolvedApplied)
            _useResolved = ResolvedIsRunning();
        if (_useResolved)
        {
            var arguments = new List<string>(2 + _servers.Count) { "dns", _interfaceName };
            arguments.AddRange(_servers.Select(s => s.ToString()));
            _resolvedApplied = RunResolvectl(arguments);
            if (_resolvedApplied)
                LogApplied(_logger, BackendResolved, string.Join(' ', _servers));
            return _resolvedApplied;
        }

        try
        {
            string? current = ReadOrNull(_resolvConfPath);
            if (_written is null || current != _written)
            {
                if (_written is not null)
                    LogNewOriginal(_logger, _resolvConfPath);
                CaptureOriginal(current);
            }
            string content = ResolvConf.Compose(_interfaceName, _servers, _original);
            WriteInPlace(_resolvConfPath, content);
            _written = content;
            LogApplied(_logger, _resolvConfPath, string.Join(' ', _servers));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(_logger, "write", _resolvConfPath, e.Message);
            return false;
        }
    }

    private void CaptureOriginal(string? current)
    {
        if (ResolvConf.IsOurs(current))
        {
            // Left behind by a daemon that died: the backup (if any) is the real original.
            _original = ReadOrNull(_backupPath) ?? ResolvConf.StripOurs(current!);
            return;
        }
        _original = current;
        if (current is null)
        {
            DeleteBackup();
            return;
        }
        // Write-then-rename so a crash never leaves a half-written backup to "restore".
        string temporary = _backupPath + ".tmp";
        File.WriteAllText(temporary, current, Utf8);
        File.Move(temporary, _backupPath, overwrite: true);
    }

    private bool ResolvedIsRunning() =>
        (File.Exists(Path.Combine(_resolvedDirectory, "io.systemd.Resolve"))
            || File.Exists(Path.Combine(_resolvedDirectory, "stub-resolv.conf")))
        && _runner.IsAvailable(ResolvectlProgram);

    private bool RunResolvectl(IReadOnlyList<string> arguments)
    {
        (int exitCode, string output) = _runner.Run(ResolvectlProgram, arguments);
        if (exitCode == 0)
            return true;
        LogResolvectlFailed(_logger, string.Join(' ', arguments), exitCode, output.Trim());
        return false;
    }

    private void DeleteBackup()
    {
        try
        {
            File.Delete(_backupPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(_logger, "delete", _backupPath, e.Message);
        }
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path, Utf8);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Truncates and writes the same inode: see the type's remarks on bind mounts.</summary>
    private static void WriteInPlace(string path, string content)
    {
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        stream.SetLength(0);
        stream.Write(Utf8.GetBytes(content));
        stream.Flush(flushToDisk: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS servers {Servers} set through {Backend}")]
    private static partial void LogApplied(ILogger logger, string backend, string servers);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path}: original restored")]
    private static partial void LogRestored(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was changed by someone else since we wrote it; leaving their version")]
    private static partial void LogChangedMeanwhile(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was changed by someone else since we wrote it; taking their version as the original")]
    private static partial void LogNewOriginal(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: restored the original from {Source}, left behind by an earlier run")]
    private static partial void LogRecovered(ILogger logger, string path, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot {Action} {Path}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string action, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "resolvectl {Arguments} failed with exit code {ExitCode}: {Output}")]
    private static partial void LogResolvectlFailed(ILogger logger, string arguments, int exitCode, string output);
}
