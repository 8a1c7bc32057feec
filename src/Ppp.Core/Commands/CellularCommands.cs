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
        Var("provision", "[chat-script]", "modem provisioning (AT+CGDCONT, ...) sent before the dial script only when it changed since the last successful connect",
            c => SetCommands.Script(c, (s, v) => s.ProvisionScript = v)),
        Var("reset", "[chat-script|!command]", "reset the modem: a chat script sent on the device, or !command (a USB power toggle); none: no reset",
            c => SetCommands.Script(c, (s, v) => s.Reset = s.Reset with { Script = v })),
        Var("resetafter", "n", $"reset after n consecutive failed dials (0: never; default {ResetSettings.DefaultAfter})", ResetAfter),
        Var("resetat", "[HH:MM[:SS]]", "a daily forced disconnect and reset at this local time; none: no daily reset", ResetAt),
        Var("resetwait", "seconds", $"wait after a reset, then up to as long again for the device to appear (default {ResetSettings.DefaultWaitSeconds})", ResetWait),
    ];

    /// <summary><c>show provision</c>: the script's hash, the state file, and when it was last written to the modem.</summary>
    public static CommandSpec ShowProvision { get; } = new()
    {
        Name = "provision",
        Description = "set provision: its hash, the state file and when it was last written",
        Handler = c =>
        {
            if (c.Args.Count > 0)
                return $"{c.Path}: takes no arguments";
            var o = c.Output;
            o.WriteLine($"Provision: {(c.Settings.ProvisionScript is null ? "none" : "script set")}");
            if (c.Runtime is null)
            {
                o.WriteLine("(no link: settings only)");
                return null;
            }
            var p = c.Runtime.CaptureStatus().Provision;
            if (p is null)
                return null;
            o.WriteLine($" State file:   {p.StateFile}");
            o.WriteLine($" Script hash:  {p.Hash ?? "none"}");
            o.WriteLine($" Written hash: {p.WrittenHash ?? "none"}");
            o.WriteLine($" Last written: {(p.WrittenAt is { } at ? at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "never")}");
            o.WriteLine($" Next dial:    {(p.Hash is null ? "nothing to send" : p.Hash == p.WrittenHash ? "unchanged: not sent" : "changed: sent before the dial script")}");
            o.WriteLine($" Sent:         {p.Runs} time{(p.Runs == 1 ? "" : "s")} since ppp started");
            return null;
        },
    };

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
        if (!TimeOnly.TryParseExact(c.Args[0], ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return $"{c.Path}: \"{c.Args[0]}\" is not a time of day (HH:MM[:SS], 24-hour, e.g. 03:00)";
        c.Settings.Reset = c.Settings.Reset with { At = at };
        return null;
    }
}
