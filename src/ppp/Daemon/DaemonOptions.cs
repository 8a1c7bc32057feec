namespace Ppp.Daemon.Daemon;

/// <summary>The parsed command line: <c>ppp [-mode] [-nat] [-quiet] [-unitN] [system ...]</c>.</summary>
internal sealed record DaemonOptions
{
    public DaemonMode Mode { get; init; } = DaemonMode.Interactive;

    /// <summary><c>-check</c>: load and validate the configuration, touch nothing.</summary>
    public bool Check { get; init; }

    public bool Quiet { get; init; }

    /// <summary><c>-unitN</c>: use tun <c>pppN</c> rather than the first free one.</summary>
    public int? Unit { get; init; }

    /// <summary>The labels to load after <c>default</c>.</summary>
    public IReadOnlyList<string> Systems { get; init; } = [];

    /// <summary>Set in the detached child of <c>-background</c>.</summary>
    public bool BackgroundChild { get; init; }

    public const string Usage =
        "usage: ppp [-auto | -foreground | -background | -direct | -dedicated | -ddial | -interactive]\n" +
        "           [-nat] [-quiet] [-unitN] [system ...]\n" +
        "       ppp -check [system ...]\n" +
        "       ppp -demo [pap|chap|mschapv2|none]";

    /// <summary>Parses the arguments; the error is a one-line message for stderr.</summary>
    public static (DaemonOptions? Value, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new DaemonOptions();
        DaemonMode? mode = null;
        var systems = new List<string>();
        foreach (string arg in args)
        {
            if (!arg.StartsWith('-') || arg.Length == 1)
            {
                systems.Add(arg);
                continue;
            }
            DaemonMode? flagMode = arg switch
            {
                "-auto" => DaemonMode.Auto,
                "-background" => DaemonMode.Background,
                "-foreground" => DaemonMode.Foreground,
                "-direct" => DaemonMode.Direct,
                "-dedicated" => DaemonMode.Dedicated,
                "-ddial" => DaemonMode.DDial,
                "-interactive" => DaemonMode.Interactive,
                _ => null,
            };
            if (flagMode is not null)
            {
                if (mode is not null && mode != flagMode)
                    return (null, $"ppp: only one mode may be given ({ModeFlag(mode.Value)} and {arg})");
                mode = flagMode;
                continue;
            }
            switch (arg)
            {
                case "-check":
                    options = options with { Check = true };
                    break;
                case "-quiet":
                    options = options with { Quiet = true };
                    break;
                case "-nat" or "-alias":
                    return (null, $"ppp: {arg}: NAT is not part of this build (see ppp(8), OPTIONS)");
                default:
                    if (arg.StartsWith("-unit", StringComparison.Ordinal))
                    {
                        if (!int.TryParse(arg.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int unit)
                            || unit > 4095)
                        {
                            return (null, $"ppp: {arg}: want -unitN with N a number from 0 to 4095");
                        }
                        options = options with { Unit = unit };
                        break;
                    }
                    return (null, $"ppp: unknown option {arg}\n{Usage}");
            }
        }
        return (options with { Mode = mode ?? DaemonMode.Interactive, Systems = systems }, null);
    }

    public static string ModeFlag(DaemonMode mode) => "-" + mode.ToString().ToLowerInvariant();
}
