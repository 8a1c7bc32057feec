using Ppp.Core.Config;

namespace Ppp.Core.Commands;

/// <summary>Commands that drive the link and the daemon: open, close, down, dial, quit, load, resolv, shell, bg, log.</summary>
internal static class LinkCommands
{
    private static readonly string[] Layers = ["lcp", "ipcp", "ipv6cp"];

    public static CommandSpec Open { get; } = LayerCommand("open", "bring the link up, or open one layer (again)", (r, l) => r.Open(l));

    public static CommandSpec Close { get; } = LayerCommand("close", "close the link gracefully, or one layer", (r, l) => r.Close(l));

    public static CommandSpec Down { get; } = LayerCommand("down", "drop the link, or one layer, at once (no Terminate-Request)", (r, l) => r.Down(l));

    private static CommandSpec LayerCommand(string name, string description, Func<IBundleRuntime, string?, CommandOutcome> act) => new()
    {
        Name = name,
        Syntax = "[lcp|ipcp|ipv6cp]",
        Description = description,
        Handler = c =>
        {
            if (c.Args.Count > 1)
                return $"{name}: too many arguments; {c.Usage}";
            string? layer = null;
            if (c.Args.Count == 1)
            {
                if (c.Args[0].Equals("ccp", StringComparison.OrdinalIgnoreCase))
                    return $"{name}: ccp: CCP compression is not implemented";
                layer = Layers.FirstOrDefault(l => l.Equals(c.Args[0], StringComparison.OrdinalIgnoreCase));
                if (layer is null)
                    return $"{name}: \"{c.Args[0]}\" is not lcp, ipcp or ipv6cp";
            }
            return c.Runtime is null ? null : act(c.Runtime, layer).Error;
        },
    };

    public static CommandSpec Dial { get; } = new()
    {
        Name = "dial",
        Aliases = ["call"],
        Syntax = "[label]...",
        Description = "load the labels (if any), then open the link",
        Handler = c =>
        {
            if (c.Args.Count > 0 && LoadFromCommand(c) is { } error)
                return error;
            return c.Runtime?.Dial().Error;
        },
    };

    public static CommandSpec Quit { get; } = new()
    {
        Name = "quit",
        Aliases = ["bye"],
        Syntax = "[all]",
        Description = "leave the prompt; from a file, or with all, close the link and stop ppp",
        Handler = c =>
        {
            if (c.Args.Count > 1 || (c.Args.Count == 1 && !c.Args[0].Equals("all", StringComparison.OrdinalIgnoreCase)))
                return $"quit: \"{string.Join(' ', c.Args)}\" is not all; {c.Usage}";
            bool all = c.Args.Count == 1 || c.Origin.Source == CommandSource.File;
            // ppp(8): from a diagnostic-socket session "quit" ends that session only.
            c.Origin.Session?.EndSession();
            if (c.Origin.Session is not null && !all)
                return null;
            return c.Runtime?.Quit(all).Error;
        },
    };

    public static CommandSpec Load { get; } = new()
    {
        Name = "load",
        Syntax = "[label]...",
        Description = "run the labels' commands from ppp.conf (default when none)",
        Handler = LoadFromCommand,
        ChangesSettings = true,
    };

    private static string? LoadFromCommand(CommandContext c)
    {
        IReadOnlyList<string> labels = c.Args.Count == 0 ? ["default"] : c.Args;
        var errors = c.Interpreter.LoadLabels(labels, c.Output, defaultOptional: false, c.Origin);
        return errors.Count == 0 ? null : string.Join(Environment.NewLine, errors);
    }

    public static CommandTable Resolv { get; } = new("resolv",
    [
        new CommandSpec
        {
            Name = "readonly", Description = "never write negotiated DNS servers to /etc/resolv.conf", ChangesSettings = true,
            Handler = c => NoArgs(c) ?? SetResolv(c, ResolvMode.ReadOnly),
        },
        new CommandSpec { Name = "reload", Description = "read /etc/resolv.conf again as the original", Handler = c => NoArgs(c) ?? ResolvAct(c, ResolvAction.Reload) },
        new CommandSpec { Name = "restore", Description = "put the original /etc/resolv.conf back", Handler = c => NoArgs(c) ?? ResolvAct(c, ResolvAction.Restore) },
        new CommandSpec { Name = "rewrite", Description = "write the negotiated DNS servers now, even when readonly", Handler = c => NoArgs(c) ?? ResolvAct(c, ResolvAction.Rewrite) },
        new CommandSpec
        {
            Name = "writable", Description = "write negotiated DNS servers to /etc/resolv.conf (default)", ChangesSettings = true,
            Handler = c => NoArgs(c) ?? SetResolv(c, ResolvMode.Writable),
        },
    ]);

    private static string? NoArgs(CommandContext c) => c.Args.Count > 0 ? $"{c.Path}: takes no arguments" : null;

    private static string? SetResolv(CommandContext c, ResolvMode mode)
    {
        c.Settings.ResolvMode = mode;
        return null;
    }

    private static string? ResolvAct(CommandContext c, ResolvAction action)
    {
        if (c.Runtime is null)
            return null;
        if (c.Interpreter.Options.Resolv is not { } resolv)
            return $"{c.Path}: not available in this mode";
        return resolv(action).Error;
    }

    public static CommandSpec Shell { get; } = new()
    {
        Name = "shell",
        Aliases = ["!"],
        Syntax = "command [args...]",
        Description = "run a program in the foreground, after word substitution (HISADDR, MYADDR, ...)",
        Handler = c => Run(c, background: false),
    };

    public static CommandSpec Background { get; } = new()
    {
        Name = "bg",
        Aliases = ["!bg"],
        Syntax = "command [args...]",
        Description = "run a program in the background, after word substitution",
        Handler = c => Run(c, background: true),
    };

    private static string? Run(CommandContext c, bool background)
    {
        // ppp(8) starts $SHELL when shell has no command; that needs a terminal we do not own.
        if (c.Args.Count == 0)
            return $"{c.Path}: missing command; {c.Usage}";
        if (c.Runtime is null)
            return null;
        var argv = Substitution.Substitute(c.Args, c.Runtime.SubstitutionWords);
        return c.Runtime.RunProgram(argv, background, c.Output).Error;
    }

    public static CommandSpec LogWords { get; } = new()
    {
        Name = "log",
        Syntax = "word...",
        Description = "write the words to the log (\"LOG: ...\") after substitution",
        Handler = c =>
        {
            var words = c.Runtime is null ? c.Args : Substitution.Substitute(c.Args, c.Runtime.SubstitutionWords);
            c.Interpreter.LogText(string.Join(' ', words));
            return null;
        },
    };

    public static CommandSpec Help { get; } = new()
    {
        Name = "help",
        Aliases = ["?"],
        Syntax = "[command [sub-command]]",
        Description = "list the commands, or show one command's usage",
        Handler = c => CommandInterpreter.Help(c.Args, c.Output, c.Origin).Error,
    };
}
