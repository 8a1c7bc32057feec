using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Ppp.Daemon.Runtime;

/// <summary>
/// The single owner of protocol state: one reader drains a queue of actions (decoded control
/// frames, timer expiries, commands, device up/down), so nothing inside needs a lock. Any
/// thread may post. A fault in one action is logged and the loop goes on: one bad event must
/// not take the daemon down.
/// </summary>
/// <remarks>
/// The channel has no bound of its own, but nothing the peer sends adds to it per frame: a
/// link's decoded control frames wait in its bounded <c>ControlFrameQueue</c> (64 frames, the
/// rest dropped and counted), and the link posts one drain at a time, which handles 16 frames
/// and posts itself again behind whatever arrived meanwhile. What else is posted is bounded by
/// its sources (timers, diagnostic-socket sessions, signals), so a signal or a command waits
/// for at most one slice per link, never for a flood's backlog.
/// </remarks>
internal sealed class LinkLoop : IAsyncDisposable
{
    private readonly Channel<Action> _queue = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _task;
    private int _loopThreadId = -1;

    public LinkLoop(ILogger logger)
    {
        _logger = logger;
        _task = Task.Run(RunAsync);
    }

    /// <summary>True when called from the loop itself.</summary>
    public bool IsOnLoop => Environment.CurrentManagedThreadId == Volatile.Read(ref _loopThreadId);

    public void Post(Action action) => _queue.Writer.TryWrite(action);

    /// <summary>Runs a function on the loop and returns its result (runs inline when already there).</summary>
    public Task<T> InvokeAsync<T>(Func<T> func)
    {
        if (IsOnLoop)
            return Task.FromResult(func());
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(() =>
            {
                try
                {
                    done.SetResult(func());
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    done.SetException(ex);
                }
            }))
        {
            done.SetException(new ObjectDisposedException(nameof(LinkLoop)));
        }
        return done.Task;
    }

    public Task InvokeAsync(Action action) => InvokeAsync(() =>
    {
        action();
        return true;
    });

    private async Task RunAsync()
    {
        await foreach (var action in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Volatile.Write(ref _loopThreadId, Environment.CurrentManagedThreadId);
            try
            {
                action();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LinkLoopLog.Fault(_logger, ex);
            }
            finally
            {
                Volatile.Write(ref _loopThreadId, -1);
            }
        }
    }

    /// <summary>Runs what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _task.ConfigureAwait(false);
    }
}

internal static partial class LinkLoopLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "internal error in the link loop; the event was dropped")]
    public static partial void Fault(ILogger logger, Exception exception);
}
