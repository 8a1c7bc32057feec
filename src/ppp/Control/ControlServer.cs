using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Control;
using Ppp.Core.Protocols.Auth;
using Ppp.Daemon.Runtime;

namespace Ppp.Daemon.Control;

/// <summary>
/// ppp(8)'s diagnostic socket (<c>set server|socket</c>): one listening socket, TCP or
/// Unix-domain, and the sessions on it, each a prompt running lines through the daemon's one
/// <see cref="CommandInterpreter"/> on the <see cref="LinkLoop"/>, exactly as the console's
/// prompt does. Everything else is asynchronous socket I/O on the thread pool: no thread per
/// client, and nothing here holds the loop or the data path while a client is slow.
/// <see cref="Apply"/>, <see cref="Reopen"/> and <see cref="CloseSockets"/> run on the loop; the
/// rest of the state is under <see cref="_lock"/>.
/// </summary>
internal sealed partial class ControlServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkLoop _loop;
    private readonly CommandInterpreter _interpreter;
    private readonly ILogger _phase;
    private readonly List<ControlSession> _sessions = [];
    private ServerEndpoint? _endpoint;
    private string _password = "";
    private Listener? _listener;
    private string? _openError;
    private int _nextSessionId;
    private long _lastRefusalLog;
    private int _refusedSinceLog;
    private bool _disposed;

    public ControlServer(LinkLoop loop, CommandInterpreter interpreter, ILoggerFactory loggers, ControlServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _loop = loop;
        _interpreter = interpreter;
        _phase = loggers.CreateLogger(LogLevels.Phase);
        Options = options ?? new ControlServerOptions();
    }

    public ControlServerOptions Options { get; }

    /// <summary>The tun's unit number: <c>%d</c> in a path, <c>+N</c> on a port.</summary>
    public int Unit { get; set; }

    internal LinkLoop Loop => _loop;

    /// <summary>Takes the foreground programs the last command started (on the loop), so a session awaits them off it.</summary>
    public Func<IReadOnlyList<Task<Daemon.ProgramResult>>>? TakePrograms { get; set; }

    /// <summary>
    /// Subscribes an authorised session to the <c>set log local</c> lines (the daemon's log
    /// router); null: sessions get no log lines.
    /// </summary>
    public Func<Action<string>, IDisposable>? AttachLog { get; set; }

    internal CommandInterpreter Interpreter => _interpreter;

    internal ILogger PhaseLog => _phase;

    /// <summary>Problems are logged at Warning level under Phase ("Warning: Phase: diagnostic socket: ...").</summary>
    internal ILogger WarningLog => _phase;

    /// <summary>Where it listens now (the resolved endpoint); null when closed.</summary>
    public EndPoint? LocalEndPoint
    {
        get
        {
            lock (_lock)
                return _listener?.Socket.LocalEndPoint;
        }
    }

    /// <summary><c>set server</c>: listen somewhere new, reopen, close, or forget (on the loop).</summary>
    public CommandOutcome Apply(ServerCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        switch (command.Action)
        {
            case ServerAction.None:
                CloseSockets();
                lock (_lock)
                {
                    _endpoint = null;
                    _password = "";
                    _openError = null;
                }
                return CommandOutcome.Ok;
            case ServerAction.Closed:
                CloseSockets();
                return CommandOutcome.Ok;
            case ServerAction.Open:
                lock (_lock)
                {
                    if (_endpoint is null)
                        return CommandOutcome.Fail("set server open: no socket configured; \"set server port|path [password]\" first");
                }
                return Reopen();
            default:
                CloseSockets();
                lock (_lock)
                {
                    _endpoint = command.Endpoint;
                    _password = command.Password;
                }
                return Reopen();
        }
    }

    /// <summary>SIGUSR1 and <c>set server open</c>: drop every session and open the configured socket again.</summary>
    public CommandOutcome Reopen()
    {
        CloseSockets();
        ServerEndpoint? endpoint;
        lock (_lock)
            endpoint = _endpoint;
        if (endpoint is null)
            return CommandOutcome.Ok;
        try
        {
            var listener = Listener.Open(endpoint, Unit);
            lock (_lock)
            {
                if (_disposed)
                {
                    listener.Dispose();
                    return CommandOutcome.Fail("ppp is exiting");
                }
                _listener = listener;
                _openError = null;
            }
            ListenerLog.Listening(_phase, "diagnostic socket", listener.Description);
            _ = listener.AcceptAsync(client => Admit(listener, client), reason => ListenerLog.AcceptFailed(_phase, "diagnostic socket", listener.Description, reason));
            return CommandOutcome.Ok;
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            string error = ex is ArgumentException ? ex.Message : $"{endpoint}: {ex.Message}";
            lock (_lock)
                _openError = error;
            ListenerLog.OpenFailed(_phase, "diagnostic socket", error);
            return CommandOutcome.Fail($"set server: cannot listen: {error}");
        }
    }

    /// <summary>SIGUSR2 and <c>set server closed</c>: close the socket and drop every session.</summary>
    public void CloseSockets()
    {
        Listener? listener;
        ControlSession[] sessions;
        lock (_lock)
        {
            listener = _listener;
            _listener = null;
            sessions = [.. _sessions];
        }
        if (listener is not null)
        {
            listener.Dispose();
            ListenerLog.Closed(_phase, "diagnostic socket", listener.Description);
        }
        foreach (var session in sessions)
            session.Abort();
    }

    /// <summary>For <c>show bundle</c>, <c>show who</c> and the JSON status; null when none is configured.</summary>
    public ServerStatus? Status
    {
        get
        {
            lock (_lock)
            {
                if (_endpoint is null)
                    return null;
                return new ServerStatus(_listener?.Description ?? _endpoint.ToString(), _listener is not null, _password.Length > 0, _openError,
                    [.. _sessions.Select(s => new SessionInfo(s.Id, s.Name, s.Authorised))]);
            }
        }
    }

    /// <summary>A session without a password to give starts authorised, as in ppp(8).</summary>
    internal bool NeedsPassword
    {
        get
        {
            lock (_lock)
                return _password.Length > 0;
        }
    }

    /// <summary>Constant-time comparison with the current password (hashes of both, then FixedTimeEquals).</summary>
    internal bool PasswordMatches(string attempt)
    {
        string password;
        lock (_lock)
            password = _password;
        return password.Length > 0 && SecretComparer.PasswordMatches(password, System.Text.Encoding.UTF8.GetBytes(attempt));
    }

    private void Admit(Listener listener, Socket client)
    {
        ControlSession? session = null;
        lock (_lock)
        {
            if (!ReferenceEquals(_listener, listener) || _disposed)
            {
                client.Dispose();
                return;
            }
            if (_sessions.Count < Options.MaxSessions)
            {
                session = new ControlSession(this, client, ++_nextSessionId, SessionName(listener, client, _nextSessionId), !(_password.Length > 0));
                _sessions.Add(session);
            }
        }
        if (session is null)
        {
            NoteRefusal(listener);
            _ = RefuseAsync(client);
            return;
        }
        _ = session.RunAsync();
    }

    private static string SessionName(Listener listener, Socket client, int id)
    {
        if (listener.IsLocal)
            return $"local ({listener.Description[6..]} #{id})";
        return client.RemoteEndPoint is IPEndPoint remote
            ? $"tcp ({(remote.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{remote.Address}]" : remote.Address.ToString())}:{remote.Port})"
            : $"tcp (#{id})";
    }

    /// <summary>Logs refusals at most once a second, with how many were not logged: a flood must not flood the log.</summary>
    private void NoteRefusal(Listener listener)
    {
        long now = Environment.TickCount64;
        int suppressed;
        lock (_lock)
        {
            _refusedSinceLog++;
            if (now - _lastRefusalLog < 1000)
                return;
            _lastRefusalLog = now;
            suppressed = _refusedSinceLog;
            _refusedSinceLog = 0;
        }
        ControlLog.Refused(_phase, listener.Description, Options.MaxSessions, suppressed);
    }

    private async Task RefuseAsync(Socket client)
    {
        using (client)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                byte[] message = System.Text.Encoding.ASCII.GetBytes($"ppp: too many diagnostic-socket sessions ({Options.MaxSessions}); try again later\n");
                await client.SendAsync(message, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // It went away or does not read: closing is all that is left.
            }
        }
    }

    internal void Remove(ControlSession session)
    {
        lock (_lock)
            _sessions.Remove(session);
    }

    public async ValueTask DisposeAsync()
    {
        ControlSession[] sessions;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            sessions = [.. _sessions];
        }
        CloseSockets();
        foreach (var session in sessions)
            await session.Completion.ConfigureAwait(false);
    }
}

internal static partial class ControlLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "diagnostic socket: {Endpoint}: refused {Count} client(s): already {Max} sessions")]
    public static partial void Refused(ILogger logger, string endpoint, int max, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "diagnostic socket: {Session}: connected")]
    public static partial void SessionOpened(ILogger logger, string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "diagnostic socket: {Session}: closed ({Reason})")]
    public static partial void SessionClosed(ILogger logger, string session, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diagnostic socket: {Session}: dropped: {Reason}")]
    public static partial void SessionDropped(ILogger logger, string session, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diagnostic socket: {Session}: wrong password ({Failures} of {Max})")]
    public static partial void WrongPassword(ILogger logger, string session, int failures, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "diagnostic socket: {Session}: password accepted")]
    public static partial void Authorised(ILogger logger, string session);
}
