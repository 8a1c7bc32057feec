namespace Ppp.ModemSim.Tests.Chat;

/// <summary>How a chat script ended, in terms every engine can report.</summary>
internal enum ChatEnd
{
    /// <summary>Every expect matched and every send went out: for a dial script, connected.</summary>
    Connected,

    /// <summary>An ABORT string arrived (<see cref="ChatOutcome.Abort"/> says which).</summary>
    Aborted,

    /// <summary>An expect (and its sub-expects) ran out of TIMEOUT.</summary>
    Timeout,

    /// <summary>Anything else: a bad script, the line hung up, the engine failed.</summary>
    Error,
}

/// <summary>The outcome the table compares: the end and, for an abort, the ABORT string that matched.</summary>
internal sealed record ChatOutcome(ChatEnd End, string? Abort = null)
{
    public static ChatOutcome Connected { get; } = new(ChatEnd.Connected);

    public static ChatOutcome Timeout { get; } = new(ChatEnd.Timeout);

    public static ChatOutcome Aborted(string abort) => new(ChatEnd.Aborted, abort);

    public override string ToString() => Abort is null ? End.ToString() : $"{End} ({Abort})";
}

/// <summary>What a runner reports: the outcome, plus what it logged (attached to failures).</summary>
internal sealed record ChatRun(ChatOutcome Outcome, string Transcript);
