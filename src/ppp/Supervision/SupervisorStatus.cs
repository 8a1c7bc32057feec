namespace Ppp.Daemon.Supervision;

/// <summary>Where the supervisor stands.</summary>
internal enum SupervisorState
{
    /// <summary>Nothing in progress: the prompt, after <c>close</c>, or -auto waiting.</summary>
    Idle,

    /// <summary>An attempt is in the bundle's hands (device, chat, LCP, authentication).</summary>
    Dialling,

    /// <summary>The network phase was reached.</summary>
    Connected,

    /// <summary>A redial or reconnect timer is running.</summary>
    Waiting,

    /// <summary>The modem is being reset (<c>set reset</c>); <c>set resetwait</c> follows.</summary>
    Resetting,

    /// <summary>The policy decided that ppp ends; nothing more happens.</summary>
    Finished,
}

/// <summary>
/// A snapshot of <see cref="LinkSupervisor"/> for <c>show</c>, the JSON status and pppctl. Times
/// come from the loop's <see cref="TimeProvider"/>.
/// </summary>
internal sealed record SupervisorStatus
{
    public SupervisorState State { get; init; }

    /// <summary>When the pending redial or reconnect is due (only while <see cref="SupervisorState.Waiting"/>).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>What the pending attempt is for.</summary>
    public DialReason? NextAttemptReason { get; init; }

    /// <summary>"redial in 12 s", "next number in 3 s", "reconnect in 3 s"; null when nothing is pending.</summary>
    public string? NextAttemptText { get; init; }

    /// <summary>Times the network phase was reached in this run.</summary>
    public int Connects { get; init; }

    /// <summary>Attempts that failed before the network phase, in this run.</summary>
    public int FailedDials { get; init; }

    /// <summary>Failed attempts in a row since the network was last up.</summary>
    public int ConsecutiveFailedDials { get; init; }

    /// <summary>Links that had reached the network phase and ended, for whatever reason.</summary>
    public int Drops { get; init; }

    /// <summary>Reconnects used in this session, for <c>set reconnect</c>'s tries.</summary>
    public int ReconnectsUsed { get; init; }

    /// <summary>Every ending, failed dials and drops alike, counted by cause (causes never seen are absent).</summary>
    public IReadOnlyDictionary<LinkEndCause, int> EndsByCause { get; init; } = new Dictionary<LinkEndCause, int>();

    public DateTimeOffset? LastUp { get; init; }

    /// <summary>When a link that was up last ended.</summary>
    public DateTimeOffset? LastDown { get; init; }

    public LinkEndCause? LastEndCause { get; init; }

    /// <summary>The bundle's words for the last ending ("carrier lost on /dev/ttyUSB0").</summary>
    public string? LastEndReason { get; init; }

    /// <summary>The policy's last decision, as logged ("the chat script failed: redial in 30 s (attempt 2 of 3)").</summary>
    public string? LastDecision { get; init; }

    /// <summary>Attempts made after a failed one (the redial steps of the ladder, after a reset included).</summary>
    public int Redials { get; init; }

    /// <summary>Attempts made after a link that was up dropped.</summary>
    public int Reconnects { get; init; }

    /// <summary>Modem resets started (<c>set reset</c>), failed ones included.</summary>
    public int Resets { get; init; }

    /// <summary>Resets whose script or command failed.</summary>
    public int ResetFailures { get; init; }

    /// <summary>Failed attempts in a row since the network was up or the modem was reset, against <c>set resetafter</c>.</summary>
    public int FailsSinceReset { get; init; }

    public string? LastResetError { get; init; }

    /// <summary>Daily resets (<c>set resetat</c>) carried out.</summary>
    public int DailyResets { get; init; }

    /// <summary>When the next daily reset is due; null without <c>set resetat</c>.</summary>
    public DateTimeOffset? DailyResetAt { get; init; }
}
