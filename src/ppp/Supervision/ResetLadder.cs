using System.Globalization;
using Ppp.Core.Config;
using Ppp.Core.Link;

namespace Ppp.Daemon.Supervision;

/// <summary>
/// The modem reset escalation (issue 15), on top of <see cref="LinkPolicy"/>'s decision and as
/// pure as it: LCP restarts are the FSM's (within one attempt), then redials per <c>set
/// redial</c>, and after <c>set resetafter</c> failed attempts in a row (or after every drop
/// with <c>enable resetalways</c>) a reset with <c>set reset</c>'s script, the wait of <c>set
/// resetwait</c>, the device found again (globs and by-id paths re-resolved) and a redial.
/// Without a reset script nothing changes. Only waits become resets: a decision to stay or to
/// finish is left alone (a reset does not keep ppp alive).
/// </summary>
internal static class ResetLadder
{
    public static PolicyDecision Apply(PolicyEvent ev, PolicyDecision decision, ResetSettings reset, bool resetAlways)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(reset);
        var counters = decision.Counters;
        if (ev.Kind == PolicyEventKind.DialFailed)
            counters = counters with { FailsSinceReset = counters.FailsSinceReset + 1 };
        decision = decision with { Counters = counters };
        if (reset.Script is null || decision.Action is not (PolicyAction.Redial or PolicyAction.Reconnect))
            return decision;
        string? why = ev.Kind switch
        {
            PolicyEventKind.DialFailed when reset.After > 0 && counters.FailsSinceReset >= reset.After =>
                string.Create(CultureInfo.InvariantCulture, $"{counters.FailsSinceReset} failed dial{(counters.FailsSinceReset == 1 ? "" : "s")} in a row"),
            PolicyEventKind.LinkDropped when resetAlways => "resetalways",
            _ => null,
        };
        return why is null ? decision : ResetThenDial(decision, reset, why);
    }

    /// <summary>
    /// After <c>set resetat</c>'s daily disconnect, in every mode: a reset when <c>set reset</c>
    /// is set, then a normal reconnect (after <c>set reconnect</c>'s wait without a reset). The
    /// reconnect uses none of <c>set reconnect</c>'s tries: we ended the link, it did not drop.
    /// </summary>
    public static PolicyDecision Scheduled(PolicyCounters counters, ReconnectSettings reconnect, ResetSettings reset, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(reconnect);
        ArgumentNullException.ThrowIfNull(reset);
        ArgumentNullException.ThrowIfNull(random);
        string what = LinkPolicy.Describe(LinkEndCause.Scheduled);
        if (reset.Script is not null)
            return ResetThenDial(PolicyDecision.Reconnect(TimeSpan.Zero, counters, what), reset, "resetat") with { NextDial = DialReason.AfterReset };
        var delay = LinkPolicy.Wait(reconnect.Random, reconnect.Seconds, random);
        return PolicyDecision.Reconnect(delay, counters, $"{what}: reconnect in {LinkPolicy.Seconds(delay)}") with { NextDial = DialReason.Scheduled };
    }

    /// <summary>A reset now, then <c>set resetwait</c>, then an attempt that looks for the device again.</summary>
    public static PolicyDecision ResetThenDial(PolicyDecision decision, ResetSettings reset, string why)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(reset);
        var wait = Wait(reset);
        string head = decision.Reason;
        int colon = head.IndexOf(": ", StringComparison.Ordinal);
        string what = colon > 0 ? head[..colon] : head;
        return decision with
        {
            Action = PolicyAction.Redial,
            Delay = wait,
            NextDial = DialReason.AfterReset,
            Counters = decision.Counters with { FailsSinceReset = 0 },
            Reason = $"{what}: reset the modem ({why}), then redial in {LinkPolicy.Seconds(wait)}",
            ResetFirst = true,
        };
    }

    /// <summary><c>set resetwait</c>, at least <see cref="LinkPolicy.Floor"/>.</summary>
    public static TimeSpan Wait(ResetSettings reset)
    {
        ArgumentNullException.ThrowIfNull(reset);
        return TimeSpan.FromSeconds(Math.Max(reset.WaitSeconds, LinkPolicy.Floor.TotalSeconds));
    }
}
