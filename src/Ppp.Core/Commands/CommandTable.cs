namespace Ppp.Core.Commands;

/// <summary>
/// One entry of a command table: a handler, a nested table (<c>set</c>, <c>show</c>, ...), or a
/// ppp(8) command we do not have, answered with <see cref="NotImplemented"/> instead of
/// "unknown command".
/// </summary>
internal sealed class CommandSpec
{
    public required string Name { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The arguments as ppp(8) writes them, for help and usage errors.</summary>
    public string Syntax { get; init; } = "";

    public required string Description { get; init; }

    /// <summary>Runs the command; returns an error message or null.</summary>
    public Func<CommandContext, string?>? Handler { get; init; }

    public CommandTable? Table { get; init; }

    public string? NotImplemented { get; init; }

    /// <summary><c>add!</c>, <c>delete!</c>, <c>iface add!</c>: the trailing '!' is a flag.</summary>
    public bool AllowsBang { get; init; }

    /// <summary>Arguments from this index on are secrets: masked in logs.</summary>
    public int SensitiveFrom { get; init; } = -1;

    /// <summary>Success changes settings a running link reads: tell the runtime.</summary>
    public bool ChangesSettings { get; init; }

    public IEnumerable<string> Names => [Name, .. Aliases];

    public string Usage(string path) => Syntax.Length == 0 ? path : $"{path} {Syntax}";
}

/// <summary>
/// A table of commands with ppp(8)'s matching: names and aliases compare case-insensitively,
/// an exact match wins, otherwise a prefix must name exactly one command. Commands we do not
/// implement match only when no implemented one does, so they never make a prefix ambiguous.
/// </summary>
internal sealed class CommandTable(string path, IReadOnlyList<CommandSpec> commands)
{
    /// <summary>"" for the top level, else the words leading here ("set", "iface").</summary>
    public string Path { get; } = path;

    public IReadOnlyList<CommandSpec> Commands { get; } = commands;

    public (CommandSpec? Spec, string? Error) Lookup(string word)
    {
        foreach (var spec in Commands)
        {
            if (spec.Names.Any(n => n.Equals(word, StringComparison.OrdinalIgnoreCase)))
                return (spec, null);
        }
        foreach (bool implemented in (bool[])[true, false])
        {
            var matches = Commands
                .Where(s => (s.NotImplemented is null) == implemented)
                .Select(s => (Spec: s, Name: s.Names.FirstOrDefault(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))))
                .Where(m => m.Name is not null)
                .ToList();
            if (matches.Count == 1)
                return (matches[0].Spec, null);
            if (matches.Count > 1)
            {
                string names = string.Join(", ", matches.Select(m => m.Name).Order(StringComparer.Ordinal));
                return (null, $"ambiguous command: {Prefixed(word)} ({names})");
            }
        }
        return (null, $"unknown command: {Prefixed(word)}");
    }

    private string Prefixed(string word) => Path.Length == 0 ? word : $"{Path} {word}";

    /// <summary>Writes every command's syntax and description, as <c>help</c> and <c>set ?</c> do.</summary>
    public void WriteHelp(TextWriter output)
    {
        var rows = Commands
            .Select(s => (Left: string.Join('|', s.Names) + (s.Syntax.Length > 0 ? " " + s.Syntax : s.Table is not null ? " ..." : ""),
                          Right: s.NotImplemented is null ? s.Description : $"{s.Description} (not implemented)"))
            .ToList();
        int width = Math.Min(40, rows.Max(r => r.Left.Length));
        foreach (var (left, right) in rows)
        {
            if (left.Length > width)
                output.WriteLine($"  {left}\n  {new string(' ', width)}  {right}");
            else
                output.WriteLine($"  {left.PadRight(width)}  {right}");
        }
    }
}

/// <summary>What a handler sees: the command's arguments and where to act and write.</summary>
internal sealed class CommandContext
{
    public required CommandInterpreter Interpreter { get; init; }

    public required CommandSpec Spec { get; init; }

    /// <summary>The command words, e.g. "set mru".</summary>
    public required string Path { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    public required TextWriter Output { get; init; }

    public required CommandOrigin Origin { get; init; }

    public bool Bang { get; init; }

    public Config.BundleSettings Settings => Interpreter.Settings;

    public IBundleRuntime? Runtime => Interpreter.Runtime;

    public string Usage => $"usage: {Spec.Usage(Path)}";
}
