namespace Ppp.Core.Fsm;

/// <summary>
/// Counters and timer of one automaton (RFC 1661 §4.6). Defaults follow ppp(8)'s
/// `set lcpretry`/`set ipcpretry`: a 3 second restart timer, 5 Configure-Requests, 3
/// Terminate-Requests. <see cref="MaxFailure"/> is how many Naks we send before rejecting
/// instead; <see cref="MaxNakReceived"/> bounds a peer that Naks or Rejects forever.
/// </summary>
public sealed record FsmOptions
{
    public TimeSpan RestartTimeout { get; init; } = TimeSpan.FromSeconds(3);
    public int MaxConfigure { get; init; } = 5;
    public int MaxTerminate { get; init; } = 3;
    public int MaxFailure { get; init; } = 5;
    public int MaxNakReceived { get; init; } = 10;

    /// <summary>
    /// Passive open (ppp(8) `set openmode passive`, pppd `silent`): after Up, wait in Stopped
    /// for the peer's Configure-Request instead of sending ours.
    /// </summary>
    public bool Passive { get; init; }

    public static FsmOptions Default { get; } = new();
}
