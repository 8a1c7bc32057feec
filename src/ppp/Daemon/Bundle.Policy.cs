using Ppp.Core.Commands;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Daemon.Supervision;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The bundle's side of the mode's policy: the <see cref="LinkSupervisor"/> decides when to dial
/// again and when ppp ends (a pure policy on the bundle's clock); this part asks the datalink
/// for each attempt, names the cause of each end, and reports it back.
/// </summary>
internal sealed partial class Bundle
{
    private LinkSupervisor CreateSupervisor() =>
        new(_options.Mode, () => (_settings.Redial, _settings.Reconnect), _time, Loop.Post, SystemRandomSource.Instance, _phase)
        {
            Dial = Attempt,
            Finish = PolicyFinished,
            ResetPolicy = () => (_settings.Reset, _settings.ResetAlways),
            ResetModem = done =>
            {
                if (_settings.Reset.Script is { } script)
                    _datalink.ResetModem(script, done);
                else
                    done("set reset is empty");
            },
            ScheduledDisconnect = () =>
            {
                if (Session is not { } session)
                    return;
                _scheduledClose = true;
                session.Link.Close(LinkPolicy.Describe(LinkEndCause.Scheduled));
            },
        };

    /// <summary>The link is being ended by <c>set resetat</c>: its end is <see cref="LinkEndCause.Scheduled"/>, not a close.</summary>
    private bool _scheduledClose;

    /// <summary>Dials at once for every mode but interactive (call on the loop).</summary>
    public void Start() => _supervisor.Start();

    /// <summary>One attempt, as the supervisor asks; a device list that cannot even start is a failed attempt.</summary>
    private void Attempt(DialReason reason)
    {
        string? error = _datalink.BeginDial(reason == DialReason.AfterReset ? ResetLadder.Wait(_settings.Reset) : TimeSpan.Zero);
        if (error is not null)
        {
            BundleLog.RedialFailed(_phase, error);
            _supervisor.DialFailed(LinkEndCause.OpenFailed, error, morePhoneNumbers: false);
        }
    }

    private CommandOutcome PolicyDialCommand()
    {
        if (_datalink.DeviceList(out string? error) is null)
            return CommandOutcome.Fail(error!);
        return _supervisor.DialCommand() ? CommandOutcome.Ok : CommandOutcome.Fail("already dialling");
    }

    private void PolicyClose() => _supervisor.Close();

    private void PolicyQuit() => _supervisor.Quit();

    private void PolicyNetworkUp()
    {
        _datalink.ProvisionSucceeded();
        _supervisor.NetworkUp();
    }

    private void OnAttemptFailed(DialFailure failure)
    {
        BundleLog.LinkEnded(_phase, failure.Reason);
        _lastEnded = failure.Reason;
        var cause = failure.Cancelled ? (_quitting ? LinkEndCause.Quit : LinkEndCause.Closed) : failure.Cause;
        _supervisor.DialFailed(cause, failure.Reason, failure.MorePhoneNumbers);
    }

    /// <summary>A connection is over: name its cause for the policy, which says what follows.</summary>
    private void LinkEnded(LinkSession session, string? lineError)
    {
        var link = session.Link;
        string reason = link.LastFailure ?? lineError ?? "the line hung up";
        BundleLog.LinkEnded(_phase, reason);
        _lastEnded = reason;
        var cause = EndCause(session, lineError);
        _scheduledClose = false;
        _supervisor.LinkEnded(cause, reason);
    }

    /// <summary>What ended the link: ours or the peer's doing first, then what the line said.</summary>
    private LinkEndCause EndCause(LinkSession session, string? lineError)
    {
        var link = session.Link;
        if (_quitting)
            return LinkEndCause.Quit;
        if (link.LastFailure == IdleReason)
            return LinkEndCause.IdleTimeout;
        if (_scheduledClose && !_closedByUs)
            return LinkEndCause.Scheduled;
        if (_closedByUs)
            return LinkEndCause.Closed;
        if (link.LcpHandler.EchoTimedOut)
            return LinkEndCause.EchoTimeout;
        if (link.PeerTerminated)
            return LinkEndCause.PeerTerminated;
        if (link.Counters.AuthenticationFailures > 0 || link.LastFailure?.StartsWith("authentication ", StringComparison.Ordinal) == true)
            return LinkEndCause.AuthFailed;
        if (lineError?.Contains("carrier", StringComparison.OrdinalIgnoreCase) == true)
            return LinkEndCause.CarrierLost;
        if (session.NetworkUpSince is null && link.LastFailure is not null)
            return LinkEndCause.NegotiationFailed;
        return LinkEndCause.LineError;
    }

    /// <summary>The policy says ppp ends: -background's parent hears it if the link never came up.</summary>
    private void PolicyFinished(int status)
    {
        if (!_announcedUp)
        {
            _announcedUp = true;
            FirstOutcome?.Invoke(false, _lastEnded ?? "the link did not come up");
        }
        Finish(status);
    }
}
