using Microsoft.Extensions.Logging;

namespace Ppp.Core.Time;

/// <summary>
/// At most <c>limit</c> events per <c>window</c> of the link's clock; the rest are refused and
/// counted. Bounds what a peer can make us do by sending: replies we reflect (Echo-Reply,
/// Protocol-Reject, Code-Reject, Terminate-Ack) and log lines its packets cause. A refused log
/// line is reported with the next one allowed: "... N more in the last S s".
/// </summary>
/// <remarks>Single owner (the link loop), like the protocol state it guards.</remarks>
public sealed partial class WindowLimit
{
    /// <summary>Peer-triggered replies of one kind a link sends per second at most.</summary>
    public const int RepliesPerSecond = 10;

    /// <summary>Lines of one kind caused by peer input logged per <see cref="LogWindow"/> at most.</summary>
    public const int LinesPerWindow = 5;

    public static readonly TimeSpan LogWindow = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly TimeSpan _window;
    private long? _windowStart;
    private int _used;
    private long _pending;
    private long _pendingSince;

    public WindowLimit(TimeProvider time, int limit, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _time = time;
        _limit = limit;
        _window = window;
    }

    /// <summary>A limit for replies the peer can trigger: <see cref="RepliesPerSecond"/> a second.</summary>
    public static WindowLimit ForReplies(TimeProvider time) => new(time, RepliesPerSecond, TimeSpan.FromSeconds(1));

    /// <summary>A limit for log lines peer input causes: <see cref="LinesPerWindow"/> per <see cref="LogWindow"/>.</summary>
    public static WindowLimit ForLogLines(TimeProvider time) => new(time, LinesPerWindow, LogWindow);

    /// <summary>Events refused so far.</summary>
    public long Refused { get; private set; }

    /// <summary>True when the event may happen now; false when it is refused (and counted).</summary>
    public bool TryTake() => TryTake(out _, out _);

    /// <summary>
    /// As <see cref="TryTake()"/>; when allowed after refusals, <paramref name="refusedBefore"/>
    /// says how many were refused since the last allowed one, over <paramref name="over"/>.
    /// </summary>
    public bool TryTake(out long refusedBefore, out TimeSpan over)
    {
        long now = _time.GetTimestamp();
        if (_windowStart is not long start || _time.GetElapsedTime(start, now) >= _window)
        {
            _windowStart = now;
            _used = 0;
        }
        if (_used < _limit)
        {
            _used++;
            refusedBefore = _pending;
            over = _pending == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_pendingSince, now);
            _pending = 0;
            return true;
        }
        if (_pending++ == 0)
            _pendingSince = now;
        Refused++;
        refusedBefore = 0;
        over = TimeSpan.Zero;
        return false;
    }

    /// <summary>
    /// For a log line caused by peer input: true when it may be written; before it, the lines
    /// refused since the last one are summed up on <paramref name="logger"/> in one line.
    /// </summary>
    public bool AllowLine(ILogger logger, LogLevel level, string link, string what)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (!TryTake(out long refused, out var over))
            return false;
        if (refused > 0)
            LogCoalesced(logger, level, link, refused, what, Math.Max(1, (int)Math.Ceiling(over.TotalSeconds)));
        return true;
    }

    [LoggerMessage(Message = "{Link}: ... {Count} more {What} in the last {Seconds} s")]
    private static partial void LogCoalesced(ILogger logger, LogLevel level, string link, long count, string what, int seconds);
}
