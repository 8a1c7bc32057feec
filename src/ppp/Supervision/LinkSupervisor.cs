using Microsoft.Extensions.Logging;
using Ppp.Core.Config;
using Ppp.Core.Link;
using Ppp.Daemon.Daemon;

namespace Ppp.Daemon.Supervision;

/// <summary>
/// Carries out <see cref="LinkPolicy"/>'s decisions: it owns the policy's counters and at most
/// one pending redial/reconnect timer, asks the bundle for one attempt at a time through
/// <see cref="Dial"/>, and tells it through <see cref="Finish"/> when ppp should end. No I/O and
/// no wall clock: time is the <see cref="TimeProvider"/> given, and a timer's expiry is posted to
/// the loop, where a generation number makes an expiry that lost a race with
/// <see cref="Close"/>, <see cref="Quit"/> or a new dial harmless.
/// <para>Every method, and <see cref="Status"/>, must be called on the loop. The bundle reports
/// each attempt it was asked for exactly once: <see cref="DialFailed"/> when it never reached the
/// network phase, else <see cref="NetworkUp"/> and later <see cref="LinkEnded"/>. A report may
/// come from inside <see cref="Dial"/> (a device that fails at once); the next attempt still
/// waits its delay, so nothing spins.</para>
/// </summary>
internal sealed class LinkSupervisor : IDisposable
{
    private readonly DaemonMode _mode;
    private readonly Func<(RedialSettings Redial, ReconnectSettings Reconnect)> _settings;
    private readonly TimeProvider _time;
    private readonly Action<Action> _post;
    private readonly IRandomSource _random;
    private readonly ILogger _log;
    private readonly int[] _endsByCause = new int[Enum.GetValues<LinkEndCause>().Length];

    private SupervisorState _state = SupervisorState.Idle;
    private PolicyCounters _counters;
    private bool _started;
    private bool _closed;
    private bool _quitting;
    private ITimer? _timer;
    private long _generation;
    private DateTimeOffset? _nextAt;
    private DialReason? _nextReason;
    private int _connects;
    private int _failedDials;
    private int _drops;
    private DateTimeOffset? _lastUp;
    private DateTimeOffset? _lastDown;
    private LinkEndCause? _lastEndCause;
    private string? _lastEndReason;
    private string? _lastDecision;
    private int _redials;
    private int _reconnects;
    private int _resets;
    private int _resetFailures;
    private string? _lastResetError;
    private ITimer? _dailyTimer;
    private long _dailyGeneration;
    private DateTimeOffset? _dailyAt;
    private TimeOnly? _dailyArmedFor;
    private int _dailyResets;

    /// <param name="mode">The daemon's mode.</param>
    /// <param name="settings">Read at each decision: <c>set redial</c>/<c>set reconnect</c> may change at the prompt.</param>
    /// <param name="time">The loop's clock.</param>
    /// <param name="post">Runs an action on the daemon's loop (timer expiries arrive through it).</param>
    /// <param name="random">For "random" waits and jitter.</param>
    /// <param name="phase">The Phase log.</param>
    public LinkSupervisor(DaemonMode mode, Func<(RedialSettings Redial, ReconnectSettings Reconnect)> settings, TimeProvider time,
        Action<Action> post, IRandomSource random, ILogger phase)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(phase);
        _mode = mode;
        _settings = settings;
        _time = time;
        _post = post;
        _random = random;
        _log = phase;
    }

    /// <summary>Set by the bundle: make ONE attempt (one round over the device list, one phone number) and report back.</summary>
    public Action<DialReason>? Dial { get; set; }

    /// <summary>Set by the bundle: ppp ends with this exit status. Called at most once.</summary>
    public Action<int>? Finish { get; set; }

    /// <summary>Read at each decision: <c>set reset|resetafter|resetwait</c> and <c>enable resetalways</c>; null: no resets.</summary>
    public Func<(ResetSettings Reset, bool Always)>? ResetPolicy { get; set; }

    /// <summary>
    /// Set by the bundle: reset the modem, off the loop, and call the completion on the loop
    /// with null when the reset ran, else why it failed. Needed when <see cref="ResetPolicy"/> names a script.
    /// </summary>
    public Action<Action<string?>>? ResetModem { get; set; }

    /// <summary>Set by the bundle: end the link that is up for <c>set resetat</c>; its end comes back as <see cref="LinkEnded"/> with <see cref="LinkEndCause.Scheduled"/>.</summary>
    public Action? ScheduledDisconnect { get; set; }

    /// <summary>When <c>set resetat</c>'s next daily reset is due; null when none is set.</summary>
    public DateTimeOffset? DailyResetAt => _dailyAt;

    public SupervisorState State => _state;

    public PolicyCounters Counters => _counters;

    /// <summary>At the daemon's start: every mode but -interactive and -auto dials at once.</summary>
    public void Start()
    {
        RequireCallbacks();
        if (_started)
            throw new InvalidOperationException("Start is called once");
        _started = true;
        _counters = _counters.NewSession();
        ArmDaily();
        if (_mode is DaemonMode.Interactive or DaemonMode.Auto)
            return;
        DialNow(DialReason.Start);
    }

    /// <summary>
    /// <c>dial</c>/<c>open</c>: a new session (counters start over, <c>close</c> is forgotten) and
    /// an attempt now, even in the middle of a redial wait. False when an attempt or a link is
    /// already in progress, or ppp is ending.
    /// </summary>
    public bool DialCommand()
    {
        if (_quitting || _state is SupervisorState.Finished or SupervisorState.Dialling or SupervisorState.Connected or SupervisorState.Resetting)
            return false;
        _closed = false;
        _counters = _counters.NewSession();
        DialNow(DialReason.Command);
        return true;
    }

    /// <summary>The attempt the bundle was asked for ended before the network phase.</summary>
    /// <param name="morePhoneNumbers">The attempt used a <c>set phone</c> number and numbers are left in this round.</param>
    public void DialFailed(LinkEndCause cause, string reason, bool morePhoneNumbers)
    {
        if (_state != SupervisorState.Dialling)
        {
            SupervisorLog.Ignored(_log, "dial failure", _state);
            return;
        }
        RecordEnd(cause, reason);
        _failedDials++;
        Decide(Classify(PolicyEvent.DialFailed(cause, morePhoneNumbers)));
    }

    /// <summary>The network phase was reached (the first NCP up; later calls for the same link are no-ops).</summary>
    public void NetworkUp()
    {
        if (_state == SupervisorState.Connected)
            return;
        if (_state != SupervisorState.Dialling)
        {
            SupervisorLog.Ignored(_log, "network up", _state);
            return;
        }
        _state = SupervisorState.Connected;
        _connects++;
        _lastUp = _time.GetUtcNow();
        _counters = _counters.NetworkUp();
    }

    /// <summary>
    /// A connection that opened its device ended. Before <see cref="NetworkUp"/> this is a failed
    /// attempt (as <see cref="DialFailed"/>, with <paramref name="morePhoneNumbers"/>); after it, a drop.
    /// </summary>
    public void LinkEnded(LinkEndCause cause, string reason, bool morePhoneNumbers = false)
    {
        if (_state == SupervisorState.Dialling)
        {
            DialFailed(cause, reason, morePhoneNumbers);
            return;
        }
        if (_state != SupervisorState.Connected)
        {
            SupervisorLog.Ignored(_log, "link end", _state);
            return;
        }
        RecordEnd(cause, reason);
        _drops++;
        _lastDown = _time.GetUtcNow();
        var ev = Classify(PolicyEvent.LinkDropped(cause));
        if (ev.Kind == PolicyEventKind.LinkDropped && cause == LinkEndCause.Scheduled)
        {
            var (_, reconnect) = _settings();
            Carry(ResetLadder.Scheduled(_counters, reconnect, ResetPolicy?.Invoke().Reset ?? new ResetSettings(), _random));
            return;
        }
        Decide(ev);
    }

    /// <summary>
    /// <c>close</c>/<c>down</c>: any pending wait is cancelled and nothing is redialled until
    /// <see cref="DialCommand"/>. An attempt or link in progress is the bundle's to close; its
    /// report then counts as closed by us.
    /// </summary>
    public void Close()
    {
        if (_state == SupervisorState.Finished)
            return;
        _closed = true;
        bool wasWaiting = _state is SupervisorState.Waiting or SupervisorState.Resetting;
        CancelWait();
        if (wasWaiting)
            Decide(PolicyEvent.ClosedByUs(LinkEndCause.Closed));
    }

    /// <summary>
    /// <c>quit</c> or a signal: any pending wait is cancelled; with nothing in progress ppp
    /// finishes now, else once the bundle reports the end of the attempt or link it is closing.
    /// </summary>
    public void Quit()
    {
        if (_state == SupervisorState.Finished)
            return;
        _quitting = true;
        CancelWait();
        if (_state is SupervisorState.Idle or SupervisorState.Waiting or SupervisorState.Resetting)
            Decide(PolicyEvent.Quit());
    }

    public SupervisorStatus Status
    {
        get
        {
            var now = _time.GetUtcNow();
            var ends = new Dictionary<LinkEndCause, int>();
            for (int i = 0; i < _endsByCause.Length; i++)
            {
                if (_endsByCause[i] > 0)
                    ends[(LinkEndCause)i] = _endsByCause[i];
            }
            return new SupervisorStatus
            {
                State = _state,
                NextAttemptAt = _nextAt,
                NextAttemptReason = _nextReason,
                NextAttemptText = _nextAt is { } at && _nextReason is { } reason ? $"{Verb(reason)} in {LinkPolicy.Seconds(at - now)}" : null,
                Connects = _connects,
                FailedDials = _failedDials,
                ConsecutiveFailedDials = _counters.FailedDials,
                Drops = _drops,
                ReconnectsUsed = _counters.ReconnectsUsed,
                EndsByCause = ends,
                LastUp = _lastUp,
                LastDown = _lastDown,
                LastEndCause = _lastEndCause,
                LastEndReason = _lastEndReason,
                LastDecision = _lastDecision,
                Redials = _redials,
                Reconnects = _reconnects,
                Resets = _resets,
                ResetFailures = _resetFailures,
                FailsSinceReset = _counters.FailsSinceReset,
                LastResetError = _lastResetError,
                DailyResets = _dailyResets,
                DailyResetAt = _dailyAt,
            };
        }
    }

    /// <summary>Cancels the pending timers (the daemon is shutting down).</summary>
    public void Dispose()
    {
        CancelWait();
        _dailyGeneration++;
        _dailyTimer?.Dispose();
        _dailyTimer = null;
    }

    /// <summary>
    /// (Re)arms <c>set resetat</c>'s timer on the loop's clock and zone when the setting changed
    /// (at the start, and after a command changed settings). -direct has no reconnect: no daily reset.
    /// </summary>
    public void ArmDaily()
    {
        var at = _mode == DaemonMode.Direct || _state == SupervisorState.Finished ? null : ResetPolicy?.Invoke().Reset.At;
        if (at == _dailyArmedFor && (_dailyTimer is not null || at is null))
            return;
        _dailyGeneration++;
        _dailyTimer?.Dispose();
        _dailyTimer = null;
        _dailyAt = null;
        _dailyArmedFor = at;
        if (at is not { } time)
            return;
        var now = _time.GetUtcNow();
        var due = DailySchedule.Next(now, time, _time.LocalTimeZone);
        long generation = _dailyGeneration;
        _dailyAt = due;
        _dailyTimer = _time.CreateTimer(_ => _post(() => OnDaily(generation)), null, due - now, Timeout.InfiniteTimeSpan);
        SupervisorLog.DailyArmed(_log, TimeZoneInfo.ConvertTime(due, _time.LocalTimeZone));
    }

    /// <summary>The daily reset is due: the link that is up is ended (its end decides the rest); a pending redial becomes a reset.</summary>
    private void OnDaily(long generation)
    {
        if (generation != _dailyGeneration)
            return;
        _dailyTimer?.Dispose();
        _dailyTimer = null;
        _dailyArmedFor = null;
        var state = _state;
        ArmDaily();
        var reset = ResetPolicy?.Invoke().Reset;
        switch (state)
        {
            case SupervisorState.Connected when ScheduledDisconnect is not null:
                _dailyResets++;
                SupervisorLog.Daily(_log, "disconnecting");
                ScheduledDisconnect();
                break;
            case SupervisorState.Waiting when reset?.Script is not null && ResetModem is not null:
                _dailyResets++;
                SupervisorLog.Daily(_log, "the link is down: resetting the modem now");
                Carry(ResetLadder.Scheduled(_counters, _settings().Reconnect, reset, _random));
                break;
            default:
                SupervisorLog.Daily(_log, $"nothing to do while {state.ToString().ToLowerInvariant()}");
                break;
        }
    }

    private static string Verb(DialReason reason) => reason switch
    {
        DialReason.NextNumber => "next number",
        DialReason.Reconnect => "reconnect",
        DialReason.AfterReset => "redial after reset",
        DialReason.Scheduled => "reconnect after the daily reset",
        _ => "redial",
    };

    /// <summary>A close or quit given while the bundle was busy turns its report into that.</summary>
    private PolicyEvent Classify(PolicyEvent ev)
    {
        if (_quitting || ev.Cause == LinkEndCause.Quit)
            return PolicyEvent.Quit();
        if (_closed || ev.Cause is LinkEndCause.Closed or LinkEndCause.IdleTimeout)
            return PolicyEvent.ClosedByUs(ev.Cause is LinkEndCause.IdleTimeout ? ev.Cause : LinkEndCause.Closed);
        return ev;
    }

    private void RecordEnd(LinkEndCause cause, string reason)
    {
        if ((uint)cause < (uint)_endsByCause.Length)
            _endsByCause[(int)cause]++;
        _lastEndCause = cause;
        _lastEndReason = reason;
    }

    private void Decide(PolicyEvent ev)
    {
        var (redial, reconnect) = _settings();
        var decision = LinkPolicy.Decide(_mode, ev, _counters, redial, reconnect, _random);
        if (ResetPolicy?.Invoke() is var (reset, always))
            decision = ResetLadder.Apply(ev, decision, reset, always);
        Carry(decision);
    }

    /// <summary>Carries out a decision: stay, wait (after a reset when it says so) or finish.</summary>
    private void Carry(PolicyDecision decision)
    {
        _counters = decision.Counters;
        _lastDecision = decision.Reason;
        SupervisorLog.Decided(_log, decision.Reason);
        switch (decision.Action)
        {
            case PolicyAction.Stay:
                _state = SupervisorState.Idle;
                break;
            case PolicyAction.Redial or PolicyAction.Reconnect when decision.ResetFirst:
                StartReset(decision.Delay, decision.NextDial ?? DialReason.AfterReset);
                break;
            case PolicyAction.Redial:
            case PolicyAction.Reconnect:
                Wait(decision.Delay, decision.NextDial ?? DialReason.Redial);
                break;
            case PolicyAction.Finish:
                _state = SupervisorState.Finished;
                RequireCallbacks();
                Finish!(decision.ExitStatus);
                break;
            default:
                throw new InvalidOperationException($"unknown policy action {decision.Action}");
        }
    }

    /// <summary>The reset runs in the bundle's hands; its end (on the loop) starts <c>set resetwait</c>.</summary>
    private void StartReset(TimeSpan wait, DialReason next)
    {
        CancelWait();
        if (ResetModem is null)
            throw new InvalidOperationException("the bundle sets ResetModem before ResetPolicy names a reset script");
        long generation = _generation;
        _state = SupervisorState.Resetting;
        _resets++;
        ResetModem(error =>
        {
            if (generation != _generation || _state != SupervisorState.Resetting)
                return;
            if (error is not null)
            {
                _resetFailures++;
                _lastResetError = error;
                SupervisorLog.ResetFailed(_log, error);
            }
            else
            {
                SupervisorLog.ResetDone(_log, LinkPolicy.Seconds(wait));
            }
            Wait(wait, next);
        });
    }

    private void Wait(TimeSpan delay, DialReason next)
    {
        CancelWait();
        long generation = _generation;
        _state = SupervisorState.Waiting;
        _nextAt = _time.GetUtcNow() + delay;
        _nextReason = next;
        _timer = _time.CreateTimer(_ => _post(() => OnTimer(generation)), null, delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer(long generation)
    {
        if (generation != _generation || _state != SupervisorState.Waiting)
            return;
        DialNow(_nextReason ?? DialReason.Redial);
    }

    /// <summary>Forgets the pending timer; its expiry, if already posted, finds a newer generation.</summary>
    private void CancelWait()
    {
        _generation++;
        _timer?.Dispose();
        _timer = null;
        _nextAt = null;
        _nextReason = null;
        if (_state is SupervisorState.Waiting or SupervisorState.Resetting)
            _state = SupervisorState.Idle;
    }

    private void RequireCallbacks()
    {
        if (Dial is null || Finish is null)
            throw new InvalidOperationException("the bundle sets Dial and Finish before using the supervisor");
    }

    private void DialNow(DialReason reason)
    {
        RequireCallbacks();
        CancelWait();
        _state = SupervisorState.Dialling;
        if (reason is DialReason.Redial or DialReason.NextNumber or DialReason.AfterReset)
            _redials++;
        else if (reason is DialReason.Reconnect or DialReason.Scheduled)
            _reconnects++;
        SupervisorLog.Dialling(_log, reason);
        Dial!(reason);
    }
}

internal static partial class SupervisorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Decision}")]
    public static partial void Decided(ILogger logger, string decision);

    [LoggerMessage(Level = LogLevel.Debug, Message = "deflink: dial attempt ({Reason})")]
    private static partial void Dialling(ILogger logger, string reason);

    /// <summary>The reason in words ("next number"), not as the enum spells it.</summary>
    public static void Dialling(ILogger logger, DialReason reason)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            Dialling(logger, Words(reason.ToString()));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: modem reset done; looking for the device again in {Wait}")]
    public static partial void ResetDone(ILogger logger, string wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: modem reset failed: {Reason}; redialling after resetwait anyway")]
    public static partial void ResetFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: daily reset (set resetat) due at {At:yyyy-MM-dd HH:mm:ss zzz}")]
    public static partial void DailyArmed(ILogger logger, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: daily reset (set resetat): {What}")]
    public static partial void Daily(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Debug, Message = "deflink: {Report} ignored in state {State}")]
    private static partial void Ignored(ILogger logger, string report, string state);

    public static void Ignored(ILogger logger, string report, SupervisorState state)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            Ignored(logger, report, Words(state.ToString()));
    }

    /// <summary>"NextNumber" as "next number".</summary>
    private static string Words(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? " " : "") + char.ToLowerInvariant(c) : c.ToString()));
}
