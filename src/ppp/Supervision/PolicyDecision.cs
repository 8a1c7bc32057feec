namespace Ppp.Daemon.Supervision;

/// <summary>What the bundle's next attempt is for; it owns the device list and the phone list.</summary>
internal enum DialReason
{
    /// <summary>The daemon started in a mode that dials at once.</summary>
    Start,

    /// <summary><c>dial</c> or <c>open</c> from the prompt, a file or the diagnostic socket.</summary>
    Command,

    /// <summary>The last attempt failed and the phone list has numbers left: dial the next one.</summary>
    NextNumber,

    /// <summary>After the full redial pause: a new round, from the first number.</summary>
    Redial,

    /// <summary>After a link that was up dropped: from the first number.</summary>
    Reconnect,

    /// <summary>After a modem reset and <c>set resetwait</c>: the device is looked for again, waiting up to resetwait for it to appear.</summary>
    AfterReset,

    /// <summary>After <c>set resetat</c>'s daily disconnect (and reset, when <c>set reset</c> is set).</summary>
    Scheduled,
}

/// <summary>The four things the policy can decide.</summary>
internal enum PolicyAction
{
    /// <summary>Nothing more happens until a command: the prompt (or -auto's wait for traffic).</summary>
    Stay,

    /// <summary>Dial again after <see cref="PolicyDecision.Delay"/>.</summary>
    Redial,

    /// <summary>Reconnect after <see cref="PolicyDecision.Delay"/>.</summary>
    Reconnect,

    /// <summary>ppp ends with <see cref="PolicyDecision.ExitStatus"/>.</summary>
    Finish,
}

/// <summary>
/// The outcome of <see cref="LinkPolicy.Decide"/>: the action, its delay or exit status, the
/// kind of the next attempt, the counters after the event, and a reason for logs and status
/// ("redial in 12 s (attempt 3 of 5)").
/// </summary>
internal sealed record PolicyDecision(
    PolicyAction Action,
    TimeSpan Delay,
    int ExitStatus,
    DialReason? NextDial,
    PolicyCounters Counters,
    string Reason)
{
    /// <summary>
    /// Reset the modem (<c>set reset</c>) before the next attempt; <see cref="Delay"/> is then
    /// the wait after the reset (<c>set resetwait</c>) and the next attempt is <see cref="DialReason.AfterReset"/>.
    /// </summary>
    public bool ResetFirst { get; init; }

    public static PolicyDecision Stay(PolicyCounters counters, string reason) =>
        new(PolicyAction.Stay, TimeSpan.Zero, 0, null, counters, reason);

    public static PolicyDecision Finish(int exitStatus, PolicyCounters counters, string reason) =>
        new(PolicyAction.Finish, TimeSpan.Zero, exitStatus, null, counters, reason);

    public static PolicyDecision Redial(TimeSpan delay, DialReason next, PolicyCounters counters, string reason) =>
        new(PolicyAction.Redial, delay, 0, next, counters, reason);

    public static PolicyDecision Reconnect(TimeSpan delay, PolicyCounters counters, string reason) =>
        new(PolicyAction.Reconnect, delay, 0, DialReason.Reconnect, counters, reason);
}
