namespace Ppp.Chat;

internal enum ChatOutcome
{
    /// <summary>The script ran to its end.</summary>
    Success,

    /// <summary>An ABORT string arrived (<see cref="ChatResult.Detail"/> is that string).</summary>
    Aborted,

    /// <summary>An expect string (<see cref="ChatResult.Detail"/>), and every sub-expect after it, timed out.</summary>
    Timeout,

    /// <summary>Reading or writing the device failed, or its input ended.</summary>
    IoError,

    /// <summary>A <c>!command</c> string could not run or failed.</summary>
    Failed,

    /// <summary>The caller's token was cancelled.</summary>
    Cancelled,
}

/// <summary>
/// How a script ended, and the REPORT lines it collected. <see cref="ExitCode"/> is the status
/// chat(8) exits with for the same ending: 0 success, 2 an error (I/O, a signal: here also
/// cancellation and a failed command), 3 a timeout, 4 + n when the ABORT string that was n-th
/// in the list at that moment (counting from 0, after CLR_ABORTs) arrived. chat(8)'s 1 (bad
/// parameters) is a parse error here: <see cref="ChatScript.TryParse"/> fails instead.
/// Nothing in it holds the authkey: strings are given in their logged form.
/// </summary>
internal sealed record ChatResult(ChatOutcome Outcome, string? Detail, int ExitCode, IReadOnlyList<string> Reports)
{
    public bool Succeeded => Outcome == ChatOutcome.Success;

    public static ChatResult Success(IReadOnlyList<string> reports) => new(ChatOutcome.Success, null, 0, reports);

    public static ChatResult Aborted(string abort, int index, IReadOnlyList<string> reports) =>
        new(ChatOutcome.Aborted, abort, 4 + index, reports);

    public static ChatResult TimedOut(string expect, IReadOnlyList<string> reports) => new(ChatOutcome.Timeout, expect, 3, reports);

    public static ChatResult IoError(string reason, IReadOnlyList<string> reports) => new(ChatOutcome.IoError, reason, 2, reports);

    public static ChatResult Failed(string reason, IReadOnlyList<string> reports) => new(ChatOutcome.Failed, reason, 2, reports);

    public static ChatResult Cancelled(IReadOnlyList<string> reports) => new(ChatOutcome.Cancelled, null, 2, reports);

    /// <summary>A phrase for a log line: "ok", "aborted on BUSY", "timeout waiting for CONNECT", ...</summary>
    public string Describe() => Outcome switch
    {
        ChatOutcome.Success => "ok",
        ChatOutcome.Aborted => $"aborted on {Detail}",
        ChatOutcome.Timeout => $"timeout waiting for {Detail}",
        ChatOutcome.IoError => $"device error: {Detail}",
        ChatOutcome.Failed => $"failed: {Detail}",
        _ => "cancelled",
    };
}
