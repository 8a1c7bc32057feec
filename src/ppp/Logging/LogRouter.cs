using System.Collections.Frozen;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Ppp.Tun.Files;

namespace Ppp.Daemon.Logging;

/// <summary>
/// Where the daemon's log lines go, filtered like ppp(8)'s <c>set log</c>: a logger category
/// is a ppp(8) log level (Phase, LCP, IPCP, Command, ...); a line is written when its level is
/// enabled, and warnings and errors always are. Destinations: syslog (/dev/log), standard
/// error (with journal priority prefixes under systemd), a file named by PPP_LOGFILE, and the
/// interactive prompt and the authorised diagnostic-socket sessions, which share their own level
/// set (<c>set log local</c>), as ppp(8)'s prompts do.
/// Writes are serialised, so lines from several threads never interleave.
/// </summary>
internal sealed class LogRouter : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly TextWriter? _stderr;
    private readonly bool _journalPrefixes;
    private readonly AppendOnlyFile? _file;
    private readonly Socket? _syslog;
    private FrozenSet<string> _global;
    private FrozenSet<string> _local;
    private TextWriter? _prompt;
    private Action<string>[] _sessions = [];
    private bool _everything;

    // Under _lock: the encoded line for the file.
    private byte[] _fileBuffer = new byte[512];

    public LogRouter(bool toStderr, string? filePath, bool toSyslog, IEnumerable<string> levels)
    {
        _global = ToSet(levels);
        _local = _global;
        if (toStderr)
        {
            _stderr = Console.Error;
            // systemd sets JOURNAL_STREAM when stderr goes to the journal: "<3>" prefixes
            // then carry each line's priority.
            _journalPrefixes = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null;
        }
        if (!string.IsNullOrEmpty(filePath))
        {
            _file = AppendOnlyFile.Open(filePath);
        }
        if (toSyslog && File.Exists("/dev/log"))
        {
            try
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                socket.Connect(new UnixDomainSocketEndPoint("/dev/log"));
                _syslog = socket;
            }
            catch (SocketException)
            {
                // No syslog daemon listening: the other destinations still work.
            }
        }
    }

    /// <summary>
    /// Every line, of every category and level (debug included), to <paramref name="output"/>
    /// alone: <c>ppp -demo</c> shows the whole conversation.
    /// </summary>
    public static LogRouter Everything(TextWriter output)
    {
        var router = new LogRouter(toStderr: false, filePath: null, toSyslog: false, []) { _everything = true };
        router.AttachPrompt(output);
        return router;
    }

    /// <summary>ppp(8) level names are case-insensitive; "TCP/IP" and friends kept as written.</summary>
    private static FrozenSet<string> ToSet(IEnumerable<string> levels) =>
        levels.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>set log</c> changed the global or the prompt's levels.</summary>
    public void SetLevels(IEnumerable<string> global, IEnumerable<string> local)
    {
        _global = ToSet(global);
        _local = ToSet(local);
    }

    /// <summary>The interactive prompt's output (null when there is none).</summary>
    public void AttachPrompt(TextWriter? prompt)
    {
        lock (_lock)
            _prompt = prompt;
    }

    /// <summary>
    /// A diagnostic-socket session wants the <c>set log local</c> lines until the returned handle
    /// is disposed. <paramref name="sink"/> is called under the router's lock and must not block
    /// (the session queues the line, bounded).
    /// </summary>
    public IDisposable AttachSession(Action<string> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        lock (_lock)
            _sessions = [.. _sessions, sink];
        return new SessionHandle(this, sink);
    }

    private sealed class SessionHandle(LogRouter router, Action<string> sink) : IDisposable
    {
        public void Dispose()
        {
            lock (router._lock)
                router._sessions = [.. router._sessions.Where(s => s != sink)];
        }
    }

    public ILogger CreateLogger(string categoryName) => new RoutedLogger(this, categoryName);

    public void Dispose()
    {
        _file?.Dispose();
        _syslog?.Dispose();
    }

    private static bool Enabled(FrozenSet<string> levels, string category, LogLevel level) =>
        level switch
        {
            >= LogLevel.Warning => true,
            LogLevel.Debug or LogLevel.Trace => levels.Contains(category) && levels.Contains("Debug"),
            _ => levels.Contains(category),
        };

    private bool AnyEnabled(string category, LogLevel level) =>
        Enabled(_global, category, level) || PromptEnabled(category, level);

    private bool PromptEnabled(string category, LogLevel level) =>
        (_prompt is not null || _sessions.Length > 0) && (_everything || Enabled(_local, category, level));

    private void Write(string category, LogLevel level, string message)
    {
        string line = level switch
        {
            LogLevel.Critical => $"Alert: {category}: {message}",
            LogLevel.Error => $"Error: {category}: {message}",
            LogLevel.Warning => $"Warning: {category}: {message}",
            _ => $"{category}: {message}",
        };
        bool global = Enabled(_global, category, level);
        lock (_lock)
        {
            if (global)
            {
                if (_stderr is not null)
                    TryWrite(_stderr, _journalPrefixes ? $"<{Severity(level)}>{line}" : line);
                if (_file is not null)
                {
                    string stamp = DateTime.Now.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
                    TryAppend(_file, $"{stamp} ppp[{Environment.ProcessId}]: {line}\n");
                }
                if (_syslog is not null)
                    TrySyslog(level, line);
            }
            if (PromptEnabled(category, level))
            {
                if (_prompt is not null)
                    TryWrite(_prompt, line);
                foreach (var session in _sessions)
                    session(line);
            }
        }
    }

    private static void TryWrite(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
            writer.Flush();
        }
        catch (IOException)
        {
            // A closed terminal or a full disk must not stop the link.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Under the lock: one line, one write(2) (O_APPEND), so several daemons can share the file.</summary>
    private void TryAppend(AppendOnlyFile file, string line)
    {
        int most = Encoding.UTF8.GetMaxByteCount(line.Length);
        if (_fileBuffer.Length < most)
            _fileBuffer = new byte[Math.Max(most, _fileBuffer.Length * 2)];
        int n = Encoding.UTF8.GetBytes(line, _fileBuffer);
        try
        {
            file.Append(_fileBuffer.AsSpan(0, n));
        }
        catch (IOException)
        {
            // A full disk must not stop the link.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void TrySyslog(LogLevel level, string line)
    {
        // RFC 3164: <facility*8+severity>tag[pid]: message; facility 3 = daemon.
        int priority = (3 * 8) + Severity(level);
        string text = $"<{priority}>ppp[{Environment.ProcessId}]: {line}";
        try
        {
            _syslog!.Send(Encoding.UTF8.GetBytes(text));
        }
        catch (SocketException)
        {
        }
    }

    private static int Severity(LogLevel level) => level switch
    {
        LogLevel.Critical => 1,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    private sealed class RoutedLogger(LogRouter owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && owner.AnyEnabled(category, logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            string message = formatter(state, exception);
            if (exception is not null)
                message += $" ({exception.GetType().Name}: {exception.Message})";
            owner.Write(category, logLevel, message);
        }
    }
}
