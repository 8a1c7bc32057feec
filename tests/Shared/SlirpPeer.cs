using System.Diagnostics;
using System.Text;

namespace Ppp.Tests.Shared;

/// <summary>
/// Debian's slirp as a userspace PPP server on a pty pair made by socat: no VM, no kernel PPP.
/// </summary>
/// <remarks>
/// As ../shared/peers/README.md explains: the binary is <c>slirp-fullbolt</c> (plain
/// <c>slirp</c> exits at once on amd64); its command line lives in a generated script because
/// socat's EXEC: drops double quotes; and each instance has its own HOME and working folder,
/// as slirp reads ~/.slirprc and ~/.*-secrets and writes slirp_pppdebug where it runs.
/// slirp does not send first: it answers the peer's LCP Configure-Request.
/// </remarks>
internal sealed class SlirpPeer : IDisposable
{
    private readonly Process _socat;
    private readonly StringBuilder _socatLog = new();
    private bool _disposed;
    private SerialLine? _line;

    private SlirpPeer(DirectoryInfo directory, Process socat)
    {
        Directory = directory;
        _socat = socat;
    }

    /// <summary>The temporary folder that is slirp's HOME and working folder.</summary>
    public DirectoryInfo Directory { get; }

    /// <summary>Our end of the line: a symlink to the pty that socat made.</summary>
    public string LinePath => Path.Combine(Directory.FullName, "line");

    /// <summary>
    /// Starts socat with a pty for us and slirp on another pty behind it.
    /// </summary>
    /// <param name="options">slirp options after <c>ppp "host addr 127.0.0.1"</c>, e.g. <c>debugppp</c>, <c>+chap</c>.</param>
    /// <param name="papSecrets">Contents of ~/.pap-secrets (three columns: <c>client * secret</c>).</param>
    /// <param name="chapSecrets">Contents of ~/.chap-secrets (three columns).</param>
    public static SlirpPeer Start(IEnumerable<string>? options = null, string? papSecrets = null, string? chapSecrets = null)
    {
        InteropEnvironment.RequireSlirpHost();
        DirectoryInfo directory = System.IO.Directory.CreateTempSubdirectory("userppp-slirp-");
        if (papSecrets is not null)
        {
            File.WriteAllText(Path.Combine(directory.FullName, ".pap-secrets"), papSecrets);
        }

        if (chapSecrets is not null)
        {
            File.WriteAllText(Path.Combine(directory.FullName, ".chap-secrets"), chapSecrets);
        }

        string script = Path.Combine(directory.FullName, "run-slirp.sh");
        var words = new List<string> { "ppp", "host addr 127.0.0.1" };
        words.AddRange(options ?? ["debugppp"]);
        File.WriteAllText(script,
            "#!/bin/sh\n" +
            $"cd {Quote(directory.FullName)} || exit 1\n" +
            $"HOME={Quote(directory.FullName)}; export HOME\n" +
            $"exec slirp-fullbolt {string.Join(' ', words.Select(Quote))}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var info = new ProcessStartInfo("socat")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = directory.FullName,
        };
        info.ArgumentList.Add("-d");
        info.ArgumentList.Add("-d");
        info.ArgumentList.Add($"PTY,link={Path.Combine(directory.FullName, "line")},raw,echo=0");
        info.ArgumentList.Add($"EXEC:{script},pty,raw,echo=0,setsid,ctty");
        Process socat = Process.Start(info) ?? throw new InvalidOperationException("could not start socat");
        var peer = new SlirpPeer(directory, socat);
        socat.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (peer._socatLog) { peer._socatLog.AppendLine(e.Data); } } };
        socat.OutputDataReceived += (_, e) => { };
        socat.BeginErrorReadLine();
        socat.BeginOutputReadLine();

        // socat makes the link once the pty exists; slirp starts right after.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!File.Exists(peer.LinePath))
        {
            if (socat.HasExited || DateTime.UtcNow > deadline)
            {
                string log = peer.Log();
                peer.Dispose();
                throw new InvalidOperationException($"socat/slirp did not make {peer.LinePath}: {log}");
            }

            Thread.Sleep(50);
        }

        return peer;
    }

    /// <summary>Our end of the line in raw mode, opened on first use and closed with slirp.</summary>
    public SerialLine Line => _line ??= SerialLine.Open(LinePath);

    /// <summary>socat's messages and slirp's own debug file (thin: packet sizes and protocols).</summary>
    public string Log()
    {
        string debug = Path.Combine(Directory.FullName, "slirp_pppdebug");
        lock (_socatLog)
        {
            return $"--- socat ---\n{_socatLog}\n--- slirp_pppdebug ---\n" +
                   (File.Exists(debug) ? File.ReadAllText(debug) : "(none)\n");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_socat.HasExited)
        {
            // socat and the slirp it forked: both are ours, found through the process tree.
            _socat.Kill(entireProcessTree: true);
            _socat.WaitForExit(5000);
        }

        _socat.Dispose();
        // After socat is gone, so that the line's reader sees the hang-up at once.
        _line?.Dispose();
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // slirp may still be writing its debug file for a moment; a stale temp folder is harmless.
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
