using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Control;
using Ppp.Daemon.Runtime;

namespace Ppp.Daemon.Control;

/// <summary>
/// <c>set metrics [addr:][+]port</c>: <c>show metrics</c> over HTTP, for Prometheus. One
/// request per connection (<c>Connection: close</c>), answered from a status snapshot taken on
/// the <see cref="LinkLoop"/> (the only thing that runs there) and formatted and written on the
/// thread pool, so a slow client never holds the loop or the data path. Bounded everywhere: at
/// most <see cref="MetricsServerOptions.MaxConnections"/> clients at once (those beyond get a
/// 503, as many again at once, and past that are closed unanswered; all are counted), a request
/// head of at most <see cref="MetricsServerOptions.MaxRequestBytes"/> (431), a deadline to send
/// it (408) and one to take the answer; no thread per client. <see cref="Apply"/> runs on the
/// loop; the rest of the state is under <see cref="_lock"/> or counted with
/// <see cref="Interlocked"/>.
/// </summary>
internal sealed partial class MetricsServer : IAsyncDisposable
{
    private static readonly int[] s_codes = [200, 400, 404, 405, 408, 431, 503];
    private static readonly byte[] s_busy = ErrorResponse(503, "too many clients at once; try again\n", headOnly: false);
    private static readonly TimeSpan s_lingerTime = TimeSpan.FromSeconds(2);
    private const int MaxLingerBytes = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly LinkLoop _loop;
    private readonly Func<BundleStatus> _capture;
    private readonly ILogger _phase;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly long[] _responses = new long[s_codes.Length];
    private long _refused;
    private int _active;
    private int _refusing;
    private TaskCompletionSource? _drained;
    private ServerEndpoint? _endpoint;
    private Listener? _listener;
    private string? _openError;
    private long _lastProblemLog;
    private int _problemsSinceLog;
    private bool _disposed;

    /// <param name="capture">Takes the status snapshot; called on <paramref name="loop"/> only.</param>
    public MetricsServer(LinkLoop loop, Func<BundleStatus> capture, ILoggerFactory loggers, MetricsServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _loop = loop;
        _capture = capture;
        _phase = loggers.CreateLogger(LogLevels.Phase);
        Options = options ?? new MetricsServerOptions();
    }

    public MetricsServerOptions Options { get; }

    /// <summary>The tun's unit number, added to a <c>+N</c> port.</summary>
    public int Unit { get; set; }

    /// <summary>Where it listens now; null when closed.</summary>
    public EndPoint? LocalEndPoint
    {
        get
        {
            lock (_lock)
                return _listener?.Socket.LocalEndPoint;
        }
    }

    /// <summary><c>set metrics</c>: listen somewhere new, or stop and forget (<c>none</c>). On the loop.</summary>
    public CommandOutcome Apply(MetricsCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Close();
        var endpoint = command.Endpoint;
        lock (_lock)
        {
            _endpoint = endpoint;
            _openError = null;
        }
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
            }
            ListenerLog.Listening(_phase, "metrics", listener.Description);
            _ = listener.AcceptAsync(client => Admit(listener, client), reason => ListenerLog.AcceptFailed(_phase, "metrics", listener.Description, reason));
            return CommandOutcome.Ok;
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            string error = ex is ArgumentException ? ex.Message : $"{endpoint}: {ex.Message}";
            lock (_lock)
                _openError = error;
            ListenerLog.OpenFailed(_phase, "metrics", error);
            return CommandOutcome.Fail($"set metrics: cannot listen: {error}");
        }
    }

    /// <summary>For <c>show bundle</c> and the metrics themselves; null when none is configured.</summary>
    public MetricsServerStatus? Status
    {
        get
        {
            lock (_lock)
            {
                if (_endpoint is null)
                    return null;
                var responses = s_codes.Select((code, i) => (Code: code, Count: Interlocked.Read(ref _responses[i]))).Where(r => r.Count > 0).ToList();
                return new MetricsServerStatus(_listener?.Description ?? _endpoint.ToString(), _listener is not null, _openError, responses)
                {
                    Refused = Interlocked.Read(ref _refused),
                };
            }
        }
    }

    private void Close()
    {
        Listener? listener;
        lock (_lock)
        {
            listener = _listener;
            _listener = null;
        }
        if (listener is null)
            return;
        listener.Dispose();
        ListenerLog.Closed(_phase, "metrics", listener.Description);
    }

    private void Admit(Listener listener, Socket client)
    {
        bool serve, refuse = false;
        lock (_lock)
        {
            if (!ReferenceEquals(_listener, listener) || _disposed)
            {
                client.Dispose();
                return;
            }
            serve = _active < Options.MaxConnections;
            // Refusing takes a task too (the 503 must not be lost to a reset, see LingerAsync):
            // as many refusals at once as clients, and past that the connection is just closed.
            if (!serve)
                refuse = _refusing < Options.MaxConnections;
            if (serve)
                _active++;
            else if (refuse)
                _refusing++;
        }
        if (serve)
        {
            _ = ServeAsync(client, listener.Description);
            return;
        }
        Interlocked.Increment(ref _refused);
        NoteProblem(listener.Description, $"refused a client: already {Options.MaxConnections} at once");
        if (refuse)
            _ = RefuseAsync(client);
        else
            client.Dispose();
    }

    private async Task RefuseAsync(Socket client)
    {
        try
        {
            using (client)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
                timeout.CancelAfter(s_lingerTime);
                await client.SendAsync(s_busy, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                await LingerAsync(client, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_lock)
                _refusing--;
        }
    }

    /// <summary>
    /// Ends our side and reads what the client still sends until it closes (or the token
    /// fires). Closing a socket with unread input makes the kernel send a reset, and a reset
    /// can make the client's kernel throw away the answer it has not read yet: this is the
    /// "lingering close" of HTTP servers.
    /// </summary>
    private static async Task LingerAsync(Socket client, CancellationToken token)
    {
        client.Shutdown(SocketShutdown.Send);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            int total = 0;
            while (total < MaxLingerBytes)
            {
                int read = await client.ReceiveAsync(scratch, SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0)
                    return;
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task ServeAsync(Socket client, string description)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Options.MaxRequestBytes);
        try
        {
            using (client)
            {
                var (request, timedOut) = await ReadRequestAsync(client, buffer).ConfigureAwait(false);
                if (request is null && !timedOut)
                    return; // closed before a whole request: nothing to answer
                var r = request ?? new MetricsRequest(408, false);
                int status = r.Status;
                byte[] response;
                if (r.Status == 200)
                {
                    BundleStatus? snapshot = await CaptureAsync().ConfigureAwait(false);
                    if (snapshot is null)
                    {
                        status = 503;
                        response = ErrorResponse(503, "ppp is exiting\n", r.HeadOnly);
                    }
                    else
                    {
                        // Formatted here, on the thread pool, not on the loop.
                        byte[] body = Encoding.UTF8.GetBytes(MetricsFormatter.Format(snapshot));
                        response = Response(200, MetricsFormatter.ContentType, body, r.HeadOnly);
                    }
                }
                else
                {
                    response = ErrorResponse(r.Status, Explain(r.Status, Options), r.HeadOnly);
                }
                using var write = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
                write.CancelAfter(Options.WriteTimeout);
                await client.SendAsync(response, SocketFlags.None, write.Token).ConfigureAwait(false);
                Count(status);
                if (status != 200)
                    NoteProblem(description, $"{status} {MetricsRequest.Reason(status)} for {Peer(client)}");
                using var linger = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
                linger.CancelAfter(s_lingerTime);
                await LingerAsync(client, linger.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or did not take the answer in time: closing is all that is left.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            TaskCompletionSource? drained = null;
            lock (_lock)
            {
                if (--_active == 0)
                    drained = _drained;
            }
            drained?.TrySetResult();
        }
    }

    /// <summary>Reads until the request head is complete, the buffer is full (431), the client closes, or the deadline passes.</summary>
    private async Task<(MetricsRequest? Request, bool TimedOut)> ReadRequestAsync(Socket client, byte[] buffer)
    {
        int limit = Options.MaxRequestBytes;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        deadline.CancelAfter(Options.RequestTimeout);
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == limit)
                    return (new MetricsRequest(431, false), false);
                int read = await client.ReceiveAsync(buffer.AsMemory(filled, limit - filled), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                    return (null, false);
                // A terminator may straddle two reads: look again from a little before the new bytes.
                int from = Math.Max(0, filled - 2);
                filled += read;
                int end = MetricsRequest.FindHeadEnd(buffer.AsSpan(from, filled - from));
                if (end >= 0)
                    return (MetricsRequest.Parse(buffer.AsSpan(0, from + end)), false);
            }
        }
        catch (OperationCanceledException) when (!_shutdown.IsCancellationRequested)
        {
            return (null, true);
        }
    }

    /// <summary>The snapshot, taken on the loop; null once the loop has stopped.</summary>
    private async Task<BundleStatus?> CaptureAsync()
    {
        try
        {
            return await _loop.InvokeAsync(_capture).WaitAsync(Options.RequestTimeout, _shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or TimeoutException)
        {
            return null;
        }
    }

    private void Count(int status)
    {
        int index = Array.IndexOf(s_codes, status);
        if (index >= 0)
            Interlocked.Increment(ref _responses[index]);
    }

    private static string Explain(int status, MetricsServerOptions options) => status switch
    {
        404 => $"not found: ppp serves {MetricsRequest.Path}\n",
        405 => "only GET and HEAD\n",
        408 => $"no complete request within {options.RequestTimeout.TotalSeconds:0} s\n",
        431 => $"the request head is longer than {options.MaxRequestBytes} octets\n",
        _ => "not an HTTP/1.x request\n",
    };

    private static byte[] ErrorResponse(int status, string text, bool headOnly) =>
        Response(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text), headOnly);

    private static byte[] Response(int status, string contentType, byte[] body, bool headOnly)
    {
        byte[] head = MetricsRequest.ResponseHead(status, contentType, body.Length);
        return headOnly ? head : [.. head, .. body];
    }

    private static string Peer(Socket client)
    {
        try
        {
            return client.RemoteEndPoint?.ToString() ?? "a client";
        }
        catch (ObjectDisposedException)
        {
            return "a client";
        }
    }

    /// <summary>Logs problems at most once a second, with how many were not logged: a flood must not flood the log.</summary>
    private void NoteProblem(string endpoint, string problem)
    {
        long now = Environment.TickCount64;
        int count;
        lock (_lock)
        {
            _problemsSinceLog++;
            if (now - _lastProblemLog < 1000)
                return;
            _lastProblemLog = now;
            count = _problemsSinceLog;
            _problemsSinceLog = 0;
        }
        MetricsLog.Problem(_phase, endpoint, problem, count - 1);
    }

    public async ValueTask DisposeAsync()
    {
        Task drained;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_active == 0)
                _drained.SetResult();
            drained = _drained.Task;
        }
        Close();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await drained.ConfigureAwait(false);
        _shutdown.Dispose();
    }
}

/// <summary>The metrics endpoint's limits. The defaults suit a daemon scraped every few seconds; tests shrink them.</summary>
internal sealed record MetricsServerOptions
{
    /// <summary>Clients at once; one more gets a 503 and is closed.</summary>
    public int MaxConnections { get; init; } = 8;

    /// <summary>The longest request head (request line and header fields) read; a longer one gets a 431.</summary>
    public int MaxRequestBytes { get; init; } = 8192;

    /// <summary>A client must send its whole request head within this time of connecting (else 408).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A client that does not take the answer within this time is dropped.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

internal static partial class MetricsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "metrics: {Endpoint}: {Problem} ({Suppressed} more in the last second not logged)")]
    public static partial void Problem(ILogger logger, string endpoint, string problem, int suppressed);
}
