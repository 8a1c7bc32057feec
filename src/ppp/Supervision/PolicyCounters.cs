namespace Ppp.Daemon.Supervision;

/// <summary>
/// What the policy remembers between events. <see cref="LinkPolicy.Decide"/> returns the next
/// value in its decision; the supervisor only resets it (a new session, the network coming up).
/// </summary>
/// <param name="FailedDials">Failed attempts in a row since the network was last up (or the session began).</param>
/// <param name="AttemptsInRound">Attempts used of <c>set redial</c>'s attempt count: since the session began, the network was last up, or (-ddial, -dedicated) the count ran out and a new round began.</param>
/// <param name="FullPauses">Full redial pauses taken since the network was last up: each adds <c>inc</c> to the next, up to <c>max</c> times.</param>
/// <param name="ReconnectsUsed">Reconnects since the session began (<c>dial</c> or the daemon's start), as ppp(8) counts <c>set reconnect</c>'s tries.</param>
/// <param name="EverUp">The network phase was reached at least once in this run of ppp.</param>
/// <param name="FailsSinceReset">Failed attempts in a row since the network was last up or the modem was last reset, for <c>set resetafter</c>.</param>
internal readonly record struct PolicyCounters(
    int FailedDials = 0,
    int AttemptsInRound = 0,
    int FullPauses = 0,
    int ReconnectsUsed = 0,
    bool EverUp = false,
    int FailsSinceReset = 0)
{
    /// <summary>A new session (<c>dial</c>, the daemon's start): everything but <see cref="EverUp"/> starts over.</summary>
    public PolicyCounters NewSession() => new(EverUp: EverUp);

    /// <summary>The network phase was reached: the dial counters start over, reconnects are kept.</summary>
    public PolicyCounters NetworkUp() => this with { FailedDials = 0, AttemptsInRound = 0, FullPauses = 0, EverUp = true, FailsSinceReset = 0 };
}
