using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Time;

namespace Ppp.Daemon.Runtime;

/// <summary>
/// Runs one <see cref="PppLink"/> over a duplex byte stream: a single link loop (a Channel
/// with one reader) owns all protocol state and runs timer expiries, commands and control
/// frames; a reader task pushes device bytes into the decoder. Frames are flushed as they are
/// written, under the transmitter's lock. The data path never waits for the link loop.
/// </summary>
internal sealed class LinkRunner : IAsyncDisposable
{
    private readonly LinkLoop _loop;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readerTask;

    public LinkRunner(
        PppLinkOptions options,
        PipeReader input,
        PipeWriter output,
        INetworkPacketSink sink,
        ILoggerFactory loggers,
        ISecretStore secrets,
        TimeProvider? time = null)
    {
        _input = input;
        _output = output;
        _loop = new LinkLoop(loggers.CreateLogger("Phase"));
        var scheduler = new LinkScheduler(time ?? TimeProvider.System, Post);
        Link = new PppLink(options, scheduler, output, Flush, sink, loggers, SystemRandomSource.Instance, secrets);
        _readerTask = Task.Run(RunReaderAsync);
    }

    public PppLink Link { get; }

    /// <summary>Runs an action on the link loop (commands from the prompt, the socket, ...).</summary>
    public void Post(Action action) => _loop.Post(action);

    /// <summary>Runs a function on the link loop and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<PppLink, T> func) => _loop.InvokeAsync(() => func(Link));

    /// <summary>
    /// Runs under the transmitter's lock after each frame. A flush of an in-memory pipe
    /// completes at once; when the device lags past the pipe's threshold it blocks the sender,
    /// which is the back-pressure we want (the tun reader stops reading, the kernel queues).
    /// </summary>
    private void Flush()
    {
        var flush = _output.FlushAsync();
        if (!flush.IsCompleted)
            flush.AsTask().GetAwaiter().GetResult();
    }

    private async Task RunReaderAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _input.ReadAsync(_stop.Token).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                    Link.ReceiveBytes(segment.Span);
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Post(Link.LowerDown);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _readerTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _loop.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
