using System.Globalization;
using Ppp.Core.Config;

namespace Ppp.Core.Commands;

/// <summary>
/// The cellular recovery variables (issue 15, beyond ppp(8)): how a wedged modem is reset,
/// after how many failed dials, how long it takes to come back, and a daily forced reset.
/// </summary>
internal static class CellularCommands
{
    public static IReadOnlyList<CommandSpec> SetVariables { get; } =
    [
        Var("reset", "[chat-script|!command]", "reset the modem: a chat script sent on the device, or !command (a USB power toggle); none: no reset",
            c => SetCommands.Script(c, (s, v) => s.Reset = s.Reset with { Script = v })),
        Var("resetafter", "n", $"reset after n consecutive failed dials (0: never; default {ResetSettings.DefaultAfter})", ResetAfter),
        Var("resetat", "[HH:MM]", "a daily forced disconnect and reset at this local time; none: no daily reset", ResetAt),
        Var("resetwait", "seconds", $"wait after a reset, then up to as long again for the device to appear (default {ResetSettings.DefaultWaitSeconds})", ResetWait),
    ];

    private static CommandSpec Var(string name, string syntax, string description, Func<CommandContext, string?> handler) => new()
    {
        Name = name,
        Syntax = syntax,
        Description = description,
        Handler = handler,
        ChangesSettings = true,
    };

    private static string? ResetAfter(CommandContext c)
    {
        if (c.Args.Count != 1)
            return $"{c.Path}: want 1 argument, got {c.Args.Count}; {c.Usage}";
        var (n, error) = ArgParse.Int($"{c.Path}: n", c.Args[0], 0, ResetSettings.MaxAfter);
        if (error is not null)
            return error;
        c.Settings.Reset = c.Settings.Reset with { After = n };
        return null;
    }

    private static string? ResetWait(CommandContext c)
    {
        if (c.Args.Count != 1)
            return $"{c.Path}: want 1 argument, got {c.Args.Count}; {c.Usage}";
        var (seconds, error) = ArgParse.Int($"{c.Path}: seconds", c.Args[0], 0, ResetSettings.MaxWaitSeconds);
        if (error is not null)
            return error;
        c.Settings.Reset = c.Settings.Reset with { WaitSeconds = seconds };
        return null;
    }

    private static string? ResetAt(CommandContext c)
    {
        if (c.Args.Count > 1)
            return $"{c.Path}: too many arguments ({c.Args.Count}); {c.Usage}";
        if (c.Args.Count == 0 || c.Args[0].Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            c.Settings.Reset = c.Settings.Reset with { At = null };
            return null;
        }
        if (!TimeOnly.TryParseExact(c.Args[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return $"{c.Path}: \"{c.Args[0]}\" is not a time of day (HH:MM, 24-hour, e.g. 03:00)";
        c.Settings.Reset = c.Settings.Reset with { At = at };
        return null;
    }
}
