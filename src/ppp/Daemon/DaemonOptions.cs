using Ppp.Core.Protocols.Auth;

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

    /// <summary><c>-h</c>, <c>-help</c>, <c>--help</c>: print <see cref="Usage"/> and exit 0.</summary>
    public bool Help { get; init; }

    /// <summary><c>-v</c>, <c>-version</c>, <c>--version</c>: print the version and exit 0.</summary>
    public bool Version { get; init; }

    /// <summary><c>-demo [auth]</c>: the authentication the demo's server asks for; null when not a demo.</summary>
    public AuthProtocol? Demo { get; init; }

    public const string Usage =
        "usage: ppp [-auto | -foreground | -background | -direct | -dedicated | -ddial | -interactive]\n" +
        "           [-nat] [-quiet] [-unitN] [system ...]\n" +
        "       ppp -check [system ...]\n" +
        "       ppp -demo [pap|chap|mschapv2|none]\n" +
        "       ppp -h | -help | --help\n" +
        "       ppp -v | -version | --version";

    /// <summary>Parses the arguments; the error is a one-line message for stderr.</summary>
    public static (DaemonOptions? Value, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a is "-h" or "-help" or "--help"))
            return (new DaemonOptions { Help = true }, null);
        if (args.Any(a => a is "-v" or "-version" or "--version"))
            return (new DaemonOptions { Version = true }, null);
        if (args.Count > 0 && args[0] == "-demo")
            return ParseDemo(args);
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
                case "-demo":
                    return (null, "ppp: -demo comes alone: it runs two links in this process with no configuration, " +
                        "so there is nothing for other options (or -check) to act on\n" + Usage);
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

    /// <summary><c>ppp -demo [pap|chap|mschapv2|none]</c>: at most one word after it.</summary>
    private static (DaemonOptions? Value, string? Error) ParseDemo(IReadOnlyList<string> args)
    {
        if (args.Count > 2)
            return (null, $"ppp: -demo takes one word at most; \"{string.Join(' ', args.Skip(2))}\" is extra\n{DemoUsage}");
        AuthProtocol? auth = args.Count == 1 ? AuthProtocol.ChapMd5 : args[1] switch
        {
            "pap" => AuthProtocol.Pap,
            "chap" or "chap05" => AuthProtocol.ChapMd5,
            "mschapv2" or "chap81" => AuthProtocol.MsChapV2,
            "none" => AuthProtocol.None,
            _ => null,
        };
        return auth is null
            ? (null, $"ppp: -demo: \"{args[1]}\" is not pap, chap, mschapv2 or none\n{DemoUsage}")
            : (new DaemonOptions { Demo = auth }, null);
    }

    private const string DemoUsage = "usage: ppp -demo [pap|chap|mschapv2|none]";

    public static string ModeFlag(DaemonMode mode) => "-" + mode.ToString().ToLowerInvariant();
}
