using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;
using System.Threading.Channels;
using Ppp.Core.Commands;

namespace Ppp.Daemon.Control;

/// <summary>
/// One client of the diagnostic socket: a prompt over a socket. Lines are read through a
/// <see cref="PipeReader"/> (a line longer than the limit drops the client), checked to be text,
/// run on the link loop through the interpreter, and answered with their output, any error as
/// <c>Error: </c> lines, and the next prompt. Reads and writes are asynchronous with deadlines
/// (login, idle, write), so a slow or silent client costs a socket and a little memory, never
/// a thread. <see cref="IControlSession"/> members run on the loop. Once authorised, the session
/// also gets the <c>set log local</c> lines, as ppp(8)'s prompts do, through a bounded queue
/// (a client that does not read loses lines, counted and said, never blocks the logger).
/// </summary>
internal sealed class ControlSession : IControlSession, IDisposable
{
    /// <summary>What a failing command's lines start with, so pppctl (and scripts) can tell errors from output.</summary>
    public const string ErrorPrefix = "Error: ";

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ControlServer _server;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<string> _logLines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(LogQueueLines) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private volatile bool _authorised;
    private volatile bool _ending;
    private int _failures;
    private long _logLinesDropped;
    private IDisposable? _logSubscription;

    /// <summary>Log lines waiting for a slow client; more are dropped and counted.</summary>
    private const int LogQueueLines = 256;

    public ControlSession(ControlServer server, Socket socket, int id, string name, bool authorised)
    {
        _server = server;
        _socket = socket;
        Id = id;
        Name = name;
        _authorised = authorised;
    }

    public int Id { get; }

    public string Name { get; }

    public bool Authorised => _authorised;

    /// <summary>Completes once the session's socket is closed.</summary>
    public Task Completion => _completion.Task;

    public string? Authorise(string password)
    {
        if (_authorised)
            return null;
        if (_server.PasswordMatches(password))
        {
            _authorised = true;
            ControlLog.Authorised(_server.PhaseLog, Name);
            SubscribeLog();
            return null;
        }
        _failures++;
        ControlLog.WrongPassword(_server.WarningLog, Name, _failures, _server.Options.MaxPasswordFailures);
        return "Invalid password";
    }

    public void EndSession() => _ending = true;

    /// <summary>The server closes: the session ends at once, wherever it is waiting.</summary>
    public void Abort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _logSubscription?.Dispose();
        _logLines.Writer.TryComplete();
        _abort.Dispose();
        _writeLock.Dispose();
    }

    private void SubscribeLog()
    {
        if (_logSubscription is null && _server.AttachLog is { } attach)
            _logSubscription = attach(QueueLogLine);
    }

    /// <summary>Called under the log router's lock: never blocks.</summary>
    private void QueueLogLine(string line)
    {
        if (!_logLines.Writer.TryWrite(line))
            Interlocked.Increment(ref _logLinesDropped);
    }

    /// <summary>Writes queued log lines between replies; a reply and a log line never interleave.</summary>
    private async Task PumpLogAsync(NetworkStream stream)
    {
        try
        {
            while (await _logLines.Reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                var text = new StringBuilder();
                long dropped = Interlocked.Exchange(ref _logLinesDropped, 0);
                if (dropped > 0)
                    text.Append("Warning: ").Append(dropped).Append(" log lines dropped: this session did not read them in time\n");
                while (text.Length < 16 * 1024 && _logLines.Reader.TryRead(out string? line))
                    text.Append(line).Append('\n');
                await WriteAsync(stream, text.ToString()).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The session is ending; its main loop reports why.
        }
    }

    public async Task RunAsync()
    {
        var options = _server.Options;
        string reason = "quit";
        bool dropped = false;
        ControlLog.SessionOpened(_server.PhaseLog, Name);
        using var stream = new NetworkStream(_socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true));
        using var login = new CancellationTokenSource();
        if (!_authorised)
            login.CancelAfter(options.LoginTimeout);
        Task? pump = null;
        try
        {
            await WriteAsync(stream, await PromptAsync().ConfigureAwait(false)).ConfigureAwait(false);
            if (_authorised)
                SubscribeLog();
            pump = PumpLogAsync(stream);
            while (true)
            {
                var read = await ReadLineAsync(reader, login.Token).ConfigureAwait(false);
                if (read.Failure is not null || read.Closed)
                {
                    reason = read.Failure ?? "the client closed the connection";
                    dropped = read.Failure is not null;
                    break;
                }
                int failuresBefore = _failures;
                string reply = read.Line is null ? await NotTextAsync().ConfigureAwait(false) : await ExecuteAsync(read.Line).ConfigureAwait(false);
                if (_failures > failuresBefore)
                {
                    // Slowed down per failure: only this session waits, no thread is held.
                    await Task.Delay(options.FailureDelay * _failures, _abort.Token).ConfigureAwait(false);
                    if (_failures >= options.MaxPasswordFailures)
                    {
                        await WriteAsync(stream, reply).ConfigureAwait(false);
                        reason = $"{_failures} wrong passwords";
                        dropped = true;
                        break;
                    }
                }
                await WriteAsync(stream, reply).ConfigureAwait(false);
                if (_ending)
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            reason = _abort.IsCancellationRequested ? "the server closed" : "the client did not take its output in time";
            dropped = !_abort.IsCancellationRequested;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            reason = ex.Message;
        }
        finally
        {
            _logSubscription?.Dispose();
            _logLines.Writer.TryComplete();
            if (pump is not null)
                await pump.ConfigureAwait(false);
            await reader.CompleteAsync().ConfigureAwait(false);
            _server.Remove(this);
            Dispose();
            if (dropped)
                ControlLog.SessionDropped(_server.WarningLog, Name, reason);
            else
                ControlLog.SessionClosed(_server.PhaseLog, Name, reason);
            _completion.TrySetResult();
        }
    }

    /// <summary>One read line: text, or null <see cref="Line"/> when it was not text; or the end.</summary>
    private readonly record struct LineRead(string? Line, bool Closed, string? Failure);

    /// <summary>
    /// The next line without its terminator. The idle deadline restarts per line, not per
    /// read, so a byte a second does not keep a session alive; the login deadline runs from
    /// the connection.
    /// </summary>
    private async Task<LineRead> ReadLineAsync(PipeReader reader, CancellationToken login)
    {
        var options = _server.Options;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, _authorised ? CancellationToken.None : login);
        deadline.CancelAfter(options.IdleTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
            {
                return new LineRead(null, false, !_authorised && login.IsCancellationRequested
                    ? $"no password within {options.LoginTimeout.TotalSeconds} s"
                    : $"idle for {options.IdleTimeout.TotalSeconds} s");
            }
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } end)
            {
                string? line = Decode(buffer.Slice(0, end));
                reader.AdvanceTo(buffer.GetPosition(1, end));
                return new LineRead(line, false, null);
            }
            if (buffer.Length > options.MaxLineLength)
                return new LineRead(null, false, $"a line longer than {options.MaxLineLength} octets");
            if (result.IsCompleted)
                return new LineRead(null, true, null);
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The line as text, or null when it is not UTF-8 or holds control characters (tab aside).</summary>
    private static string? Decode(ReadOnlySequence<byte> bytes)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent((int)bytes.Length);
        try
        {
            var span = rented.AsSpan(0, (int)bytes.Length);
            bytes.CopyTo(span);
            if (span.Length > 0 && span[^1] == (byte)'\r')
                span = span[..^1];
            if (!Utf8.IsValid(span))
                return null;
            foreach (byte b in span)
            {
                if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
                    return null;
            }
            return s_utf8.GetString(span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Runs the line on the loop; returns everything to write back, the next prompt included.</summary>
    private async Task<string> NotTextAsync() =>
        $"{ErrorPrefix}the line is not text (control characters or bytes that are not UTF-8)\n{await PromptAsync().ConfigureAwait(false)}";

    private async Task<string> ExecuteAsync(string line)
    {
        if (line.Trim().Length == 0)
            return await PromptAsync().ConfigureAwait(false);
        var origin = CommandOrigin.ForSession(this);
        var interpreter = _server.Interpreter;
        var (output, programs) = await _server.Loop.InvokeAsync(() =>
        {
            var output = new StringWriter { NewLine = "\n" };
            var result = interpreter.Execute(line, origin, output);
            if (!result.Success && result.Error is not null)
            {
                foreach (string errorLine in result.Error.Split('\n'))
                    output.WriteLine(ErrorPrefix + errorLine.TrimEnd('\r'));
            }
            var programs = _server.TakePrograms?.Invoke() ?? [];
            if (!_ending && programs.Count == 0)
                output.Write(interpreter.Prompt(_server.Options.HostName, _authorised));
            return (output, programs);
        }).ConfigureAwait(false);
        if (programs.Count == 0)
            return output.ToString();
        // A foreground program (! or shell) ran off the loop: its output, then the prompt.
        await Daemon.Bundle.WriteProgramsAsync(programs, output, ErrorPrefix).ConfigureAwait(false);
        if (!_ending)
            output.Write(await PromptAsync().ConfigureAwait(false));
        return output.ToString();
    }

    private Task<string> PromptAsync()
    {
        var interpreter = _server.Interpreter;
        return _server.Loop.InvokeAsync(() => interpreter.Prompt(_server.Options.HostName, _authorised));
    }

    private async Task WriteAsync(NetworkStream stream, string text)
    {
        if (text.Length == 0)
            return;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        deadline.CancelAfter(_server.Options.WriteTimeout);
        await _writeLock.WaitAsync(deadline.Token).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(s_utf8.GetBytes(text), deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
