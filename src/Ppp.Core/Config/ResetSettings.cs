using System.Globalization;

namespace Ppp.Core.Config;

/// <summary>
/// How a wedged modem is brought back (issue 15): <c>set reset</c>, <c>set resetafter</c>,
/// <c>set resetwait</c>, <c>set resetat</c>; <c>enable resetalways</c> is an option
/// (<see cref="NegotiationOptions.ResetAlways"/>). The daemon's policy gives them meaning.
/// </summary>
/// <param name="Script">A chat script sent on the device (<c>"" AT+CFUN=1,1 OK</c>), or <c>!command</c> run by /bin/sh off the line (a USB power toggle); null: no reset.</param>
/// <param name="After">Consecutive failed dials before a reset (0: never on failures).</param>
/// <param name="WaitSeconds">The wait after a reset before the device is looked for again, and then the longest wait for it to appear.</param>
/// <param name="At">A daily forced disconnect at this local time; null: none.</param>
public sealed record ResetSettings(string? Script = null, int After = ResetSettings.DefaultAfter, int WaitSeconds = ResetSettings.DefaultWaitSeconds, TimeOnly? At = null)
{
    public const int DefaultAfter = 3;
    public const int DefaultWaitSeconds = 30;
    public const int MaxAfter = 10000;
    public const int MaxWaitSeconds = 3600;

    /// <summary>A reset runs a program, not a chat script on the line.</summary>
    public bool IsCommand => Script is { Length: > 1 } s && s[0] == '!';

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"reset {(Script is null ? "none" : IsCommand ? "command" : "chat script")}, after {After} failed dials, wait {WaitSeconds} s{(At is { } at ? $", daily at {at:HH\\:mm\\:ss}" : "")}");
}
