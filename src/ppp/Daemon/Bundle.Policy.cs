using Ppp.Core.Commands;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The mode's policy: what follows a failed dial or the end of a link (redial, reconnect,
/// finish, stay). Every wait runs on the bundle's TimeProvider.
/// </summary>
internal sealed partial class Bundle
{
    private int _failedRounds;
    private int _reconnectsLeft;
    private ITimer? _redialTimer;

    /// <summary>Dials at once for every mode but interactive (call on the loop).</summary>
    public void Start()
    {
        _reconnectsLeft = _settings.Reconnect.Tries;
        if (_options.Mode == DaemonMode.Interactive)
            return;
        var outcome = Dial();
        if (!outcome.Succeeded)
        {
            BundleLog.RedialFailed(_phase, outcome.Error!);
            LinkEnded(failed: true, wasUp: false, outcome.Error!);
        }
    }

    private CommandOutcome PolicyDialCommand()
    {
        CancelRedial();
        _failedRounds = 0;
        string? error = _datalink.BeginDial();
        return error is null ? CommandOutcome.Ok : CommandOutcome.Fail(error);
    }

    private void PolicyClose() => CancelRedial();

    private void PolicyQuit() => CancelRedial();

    private void PolicyNetworkUp()
    {
        _failedRounds = 0;
        _reconnectsLeft = _settings.Reconnect.Tries;
    }

    private void OnAttemptFailed(DialFailure failure)
    {
        if (failure.Cancelled)
        {
            if (_quitting)
                Finish(0);
            return;
        }
        // ppp(8) "set redial secs[+inc[-max]] attempts": rounds over the device list, the pause
        // growing by inc each round up to max increments; attempts 0 means until it works.
        // -background tries once, as ppp(8) says, and -direct has nothing to redial.
        var redial = _settings.Redial;
        int rounds = _options.Mode is DaemonMode.Background or DaemonMode.Direct ? 1 : redial.Attempts;
        _failedRounds++;
        if (rounds == 0 || _failedRounds < rounds)
        {
            // Between numbers of a "set phone" list the shorter "next" wait applies; the full
            // redial period once the list is used up.
            int seconds = failure.MorePhoneNumbers
                ? redial.NextSeconds
                : redial.Seconds + (redial.Increment * Math.Min(_failedRounds - 1, redial.MaxIncrements));
            ScheduleAttempt(TimeSpan.FromSeconds(seconds), resetRounds: false);
            return;
        }
        LinkEnded(failed: true, wasUp: false, failure.Reason);
    }

    /// <summary>The connection is over: what the mode does next.</summary>
    private void LinkEnded(bool failed, bool wasUp, string reason)
    {
        _ = wasUp;
        BundleLog.LinkEnded(_phase, reason);
        _lastEnded = reason;
        if (!_announcedUp)
        {
            _announcedUp = true;
            FirstOutcome?.Invoke(false, reason);
        }
        if (_quitting)
        {
            Finish(0);
            return;
        }
        switch (_options.Mode)
        {
            case DaemonMode.Interactive:
                return;
            case DaemonMode.Dedicated:
                // A leased line comes back by itself, unless someone closed it on purpose.
                if (_closedByUs)
                    return;
                ScheduleAttempt(TimeSpan.FromSeconds(failed ? _settings.Redial.Seconds : _settings.Reconnect.Seconds), resetRounds: true);
                return;
            case DaemonMode.Direct:
                Finish(failed ? 1 : 0);
                return;
            default:
                if (!_closedByUs && _reconnectsLeft > 0 && !failed)
                {
                    _reconnectsLeft--;
                    ScheduleAttempt(TimeSpan.FromSeconds(_settings.Reconnect.Seconds), resetRounds: true);
                    return;
                }
                Finish(failed ? 1 : 0);
                return;
        }
    }

    private void ScheduleAttempt(TimeSpan delay, bool resetRounds)
    {
        CancelRedial();
        BundleLog.Redialling(_phase, delay.TotalSeconds);
        _redialTimer = After(delay, () =>
        {
            _redialTimer = null;
            if (_quitting || Session is not null || _datalink.Dialling)
                return;
            if (resetRounds)
                _failedRounds = 0;
            string? error = _datalink.BeginDial();
            if (error is not null)
                BundleLog.RedialFailed(_phase, error);
        });
    }

    private void CancelRedial()
    {
        if (_redialTimer is null)
            return;
        _oneShots.Remove(_redialTimer);
        _redialTimer.Dispose();
        _redialTimer = null;
    }
}
