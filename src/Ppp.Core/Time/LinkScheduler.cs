using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ppp.Core.Time;

/// <summary>
/// Runs timer expiries on the link's single owner. Core never owns a thread: a timer fires on
/// the <see cref="TimeProvider"/>'s callback thread, and the expiry is handed to
/// <c>dispatch</c>, which the host points at its link loop (a Channel reader) and tests point
/// at a direct call, so a manual clock fires timers synchronously and deterministically.
/// </summary>
public sealed class LinkScheduler
{
    private readonly Action<Action> _dispatch;

    public LinkScheduler(TimeProvider time, Action<Action> dispatch)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(dispatch);
        Time = time;
        _dispatch = dispatch;
    }

    public TimeProvider Time { get; }

    /// <summary>A scheduler that runs expiries inline on the timer callback.</summary>
    public static LinkScheduler Inline(TimeProvider time) => new(time, static a => a());

    /// <summary>
    /// <c>set log timer</c>: where named timers write a line when they start and when they
    /// expire (the host gives a logger of category Timer; the default writes nothing).
    /// </summary>
    public ILogger TimerLog { get; init; } = NullLogger.Instance;

    /// <summary>A timer; one with a <paramref name="name"/> (<c>LCP: deflink: restart</c>) is logged under Timer.</summary>
    public LinkTimer CreateTimer(Action onExpired, string? name = null) => new(this, onExpired) { Name = name };

    internal void Dispatch(Action action) => _dispatch(action);
}

/// <summary>
/// A restartable one-shot timer owned by one link. Stopping or restarting it guarantees that a
/// stale expiry already queued to the link loop is ignored (a generation number is checked on
/// the owner's side).
/// </summary>
public sealed partial class LinkTimer : IDisposable
{
    private readonly LinkScheduler _scheduler;
    private readonly Action _onExpired;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private long _generation;

    internal LinkTimer(LinkScheduler scheduler, Action onExpired)
    {
        _scheduler = scheduler;
        _onExpired = onExpired;
    }

    public bool IsRunning { get; private set; }

    /// <summary>What the Timer log lines call this timer (protocol, link, which); null: not logged.</summary>
    public string? Name { get; set; }

    public void Start(TimeSpan due)
    {
        Stop();
        if (Name is { } name && _scheduler.TimerLog.IsEnabled(LogLevel.Information))
            LogStarted(_scheduler.TimerLog, name, due.TotalSeconds);
        long generation;
        lock (_lock)
            generation = ++_generation;
        IsRunning = true;
        // The TimeProvider may fire (a manual clock: synchronously, later, from Advance) on any
        // thread; the expiry is re-checked against the generation on the owner's side.
        var timer = _scheduler.Time.CreateTimer(
            _ => _scheduler.Dispatch(() => Fire(generation)), null, due, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            if (generation == _generation)
                _timer = timer;
            else
                timer.Dispose();
        }
    }

    public void Stop()
    {
        ITimer? timer;
        lock (_lock)
        {
            _generation++;
            timer = _timer;
            _timer = null;
        }
        IsRunning = false;
        timer?.Dispose();
    }

    private void Fire(long generation)
    {
        lock (_lock)
        {
            if (generation != _generation)
                return;
            _timer?.Dispose();
            _timer = null;
        }
        IsRunning = false;
        if (Name is { } name && _scheduler.TimerLog.IsEnabled(LogLevel.Information))
            LogExpired(_scheduler.TimerLog, name);
        _onExpired();
    }

    public void Dispose() => Stop();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} timer started ({Seconds} s)")]
    private static partial void LogStarted(ILogger logger, string name, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} timer expired")]
    private static partial void LogExpired(ILogger logger, string name);
}
