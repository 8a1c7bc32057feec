using System.Reflection;
using Microsoft.Extensions.Logging;
using Ppp.Core.Config;
using Ppp.Core.Fsm;
using Ppp.Core.Link;

namespace Ppp.Core.Commands;

/// <summary>What the daemon hands the interpreter beyond settings and runtime.</summary>
public sealed record CommandInterpreterOptions
{
    /// <summary>ppp.conf, read again by every <c>load</c> as ppp(8) does.</summary>
    public string ConfigPath { get; init; } = "/etc/ppp/ppp.conf";

    /// <summary>Returns a file's text or null if it cannot be read; null disables <c>load</c> and <c>!include</c>.</summary>
    public Func<string, string?>? ReadFile { get; init; }

    /// <summary><c>resolv reload|restore|rewrite</c>; null makes them errors when a runtime exists.</summary>
    public Func<ResolvAction, CommandOutcome>? Resolv { get; init; }

    public string Version { get; init; } = DefaultVersion;

    /// <summary><c>$VAR</c>, <c>${VAR}</c>, <c>~</c> and <c>~user</c> in command lines and <c>!include</c>; null expands nothing.</summary>
    public WordExpansion? Expansion { get; init; }

    /// <summary>
    /// Checks a chat script as <c>set dial|login|logout|hangup</c> store it: null when it
    /// parses, else the problem, reported at the command's file and line. Null accepts any
    /// text (the chat engine lives outside the core).
    /// </summary>
    public Func<string, string?>? CheckChatScript { get; init; }

    internal static string DefaultVersion { get; } =
        typeof(CommandInterpreter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? "0.0";
}

/// <summary>
/// The one command interpreter of ppp(8): ppp.conf, ppp.linkup/ppp.linkdown, the prompt and the
/// diagnostic socket all run their lines through <see cref="Execute(string, CommandOrigin, TextWriter)"/>.
/// Settings commands change <see cref="Settings"/>; commands that act on the world go to the
/// <see cref="IBundleRuntime"/>, and only validate their arguments when there is none
/// (<c>ppp -check</c>). Every command is logged under "Command" with secrets masked.
/// Not thread-safe: the daemon calls it on the link loop.
/// </summary>
public sealed partial class CommandInterpreter
{
    private const int MaxLoadDepth = 8;

    private readonly ILogger _logger;
    private int _loadDepth;
    private List<string>? _loadErrors;

    public CommandInterpreter(BundleSettings settings, IBundleRuntime? runtime, ILoggerFactory loggerFactory, CommandInterpreterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Settings = settings;
        Runtime = runtime;
        Options = options ?? new CommandInterpreterOptions();
        _logger = loggerFactory.CreateLogger(Config.LogLevels.Command);
    }

    public BundleSettings Settings { get; }

    public IBundleRuntime? Runtime { get; }

    public CommandInterpreterOptions Options { get; }

    /// <summary>Levels written to the log (<c>set log</c>).</summary>
    public IReadOnlySet<string> LogLevels => Settings.LogLevels;

    /// <summary>Levels shown on the prompt (<c>set log local</c>).</summary>
    public IReadOnlySet<string> LocalLogLevels => Settings.LocalLogLevels;

    /// <summary>Raised after <c>set log</c> changed either set.</summary>
    public event EventHandler? LogLevelsChanged;

    internal void OnLogLevelsChanged() => LogLevelsChanged?.Invoke(this, EventArgs.Empty);

    internal void LogText(string text) => CommandLog.LogCommand(_logger, text);

    internal static CommandTable Root { get; } = CommandTables.BuildRoot();

    /// <summary>Runs one line. Never throws on its content; errors from files read <c>file:line: message</c>.</summary>
    public CommandResult Execute(string line, CommandOrigin origin, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(output);
        var (words, error) = CommandLine.Split(line, Options.Expansion);
        if (error is not null)
            return Fail(origin, error);
        return Execute(words, origin, output);
    }

    /// <summary>Runs one command already split into words (ppp.linkup lines after substitution).</summary>
    public CommandResult Execute(IReadOnlyList<string> words, CommandOrigin origin, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(output);
        if (words.Count == 0)
            return CommandResult.Ok;

        var table = Root;
        var path = new List<string>();
        int index = 0;
        while (true)
        {
            string word = words[index];
            if (table != Root && (word == "?" || word.Equals("help", StringComparison.OrdinalIgnoreCase)))
            {
                Log(origin, words, index + 1, -1);
                return Help(table, words.Skip(index + 1).ToList(), output, origin);
            }
            var (spec, lookupError) = table.Lookup(word);
            bool bang = false;
            if (spec is null && word.Length > 1 && word[^1] == '!')
            {
                var (bangSpec, _) = table.Lookup(word[..^1]);
                if (bangSpec is not null)
                {
                    spec = bangSpec;
                    bang = true;
                }
            }
            if (spec is null)
            {
                Log(origin, words, index + 1, -1);
                return Fail(origin, lookupError!);
            }
            if (table == Root && origin.Session is { Authorised: false } && !Control.ControlCommands.AllowedBeforePasswd(spec))
            {
                // Arguments of a client that has not given the password stay out of the log.
                Log(origin, words, words.Count, 1);
                return Fail(origin, $"{spec.Name}: give the password first (\"passwd pass\"); until then only passwd, quit and help run");
            }
            path.Add(spec.Name);
            index++;
            string pathText = string.Join(' ', path);
            if (spec.NotImplemented is not null)
            {
                Log(origin, words, index, -1);
                return Fail(origin, $"{pathText}: {spec.NotImplemented}");
            }
            if (bang && !spec.AllowsBang)
            {
                Log(origin, words, index, -1);
                return Fail(origin, $"{word}: '!' is not allowed after {pathText}");
            }
            if (spec.Table is not null)
            {
                if (index == words.Count)
                {
                    Log(origin, words, index, -1);
                    return Fail(origin, $"{pathText}: missing argument; \"{pathText} help\" lists them");
                }
                table = spec.Table;
                continue;
            }
            if (spec.AllowsBang && !bang && index < words.Count && words[index] == "!")
            {
                bang = true;
                index++;
            }
            Log(origin, words, words.Count, spec.SensitiveFrom < 0 ? -1 : index + spec.SensitiveFrom);
            var context = new CommandContext
            {
                Interpreter = this,
                Spec = spec,
                Path = pathText,
                Args = [.. words.Skip(index)],
                Output = output,
                Origin = origin,
                Bang = bang,
            };
            string? handlerError = spec.Handler!(context);
            if (handlerError is not null)
                return Fail(origin, handlerError);
            if (spec.ChangesSettings)
                Runtime?.SettingsChanged();
            return CommandResult.Ok;
        }
    }

    private static CommandResult Help(CommandTable table, IReadOnlyList<string> args, TextWriter output, CommandOrigin origin)
    {
        if (args.Count == 0)
        {
            table.WriteHelp(output);
            return CommandResult.Ok;
        }
        var (spec, error) = table.Lookup(args[0]);
        if (spec is null)
            return Fail(origin, error!);
        string path = table.Path.Length == 0 ? spec.Name : $"{table.Path} {spec.Name}";
        if (spec.Table is not null && args.Count > 1)
            return Help(spec.Table, args.Skip(1).ToList(), output, origin);
        output.WriteLine($"usage: {spec.Usage(path)}");
        output.WriteLine($"  {spec.Description}{(spec.NotImplemented is null ? "" : $" (not implemented: {spec.NotImplemented})")}");
        if (spec.Table is not null)
            spec.Table.WriteHelp(output);
        return CommandResult.Ok;
    }

    internal static CommandResult Help(IReadOnlyList<string> args, TextWriter output, CommandOrigin origin) =>
        Help(Root, args, output, origin);

    private static CommandResult Fail(CommandOrigin origin, string message) => new(At(origin, message));

    /// <summary>The message at <c>file:line</c> when the origin is a file line (once: a message already there keeps its place).</summary>
    private static string At(CommandOrigin origin, string message)
    {
        if (origin.Source != CommandSource.File)
            return message;
        string location = $"{origin.Path}:{origin.Line}: ";
        return message.StartsWith(location, StringComparison.Ordinal) ? message : location + message;
    }

    /// <summary>A missing <c>default</c> is fine, unless a <c>Default</c> that nobody asked for shows it was meant.</summary>
    private static bool MistypedDefault(ConfigFile file, IReadOnlyList<string> labels) =>
        file.Sections.Any(s => s.Label != "default" && s.Label.Equals("default", StringComparison.OrdinalIgnoreCase) && !labels.Contains(s.Label));

    /// <summary>ppp(8)'s labels are case-sensitive too; one that differs only by case is named.</summary>
    internal static string CaseHint(ConfigFile file, string label)
    {
        var near = file.Sections.FirstOrDefault(s => s.Label.Equals(label, StringComparison.OrdinalIgnoreCase));
        return near is null ? "" : $" (labels are case-sensitive: did you mean {near.Label}?)";
    }

    /// <summary>Logs the first <paramref name="count"/> words, masking those from <paramref name="sensitiveFrom"/> on.</summary>
    private void Log(CommandOrigin origin, IReadOnlyList<string> words, int count, int sensitiveFrom)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
            return;
        var shown = words.Take(count).Select((w, i) => sensitiveFrom >= 0 && i >= sensitiveFrom ? "********" : CommandLine.Quote(w));
        string text = string.Join(' ', shown) + (count < words.Count ? " ..." : "");
        CommandLog.Executing(_logger, origin.ToString(), text);
    }

    /// <summary>
    /// Loads <c>default</c> and then each label from ppp.conf, as ppp(8) does at start-up, and
    /// returns every problem (parse errors, unknown labels, failing commands) in order; empty
    /// means it all loaded. <c>ppp -check</c> prints them; a normal start refuses to run.
    /// </summary>
    public IReadOnlyList<string> LoadSystem(IReadOnlyList<string> labels, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return LoadLabels(["default", .. labels.Where(l => l != "default")], output, defaultOptional: true, CommandOrigin.Prompt);
    }

    /// <summary>
    /// Runs labels' sections. A <c>load</c> inside a section adds its problems to the outermost
    /// load's list, so each keeps its own <c>file:line</c> instead of being nested in another's.
    /// </summary>
    internal IReadOnlyList<string> LoadLabels(IReadOnlyList<string> labels, TextWriter output, bool defaultOptional, CommandOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(output);
        bool outermost = _loadErrors is null;
        var errors = _loadErrors ??= [];
        try
        {
            LoadInto(errors, labels, output, defaultOptional, origin);
        }
        finally
        {
            if (outermost)
                _loadErrors = null;
        }
        return outermost ? errors : [];
    }

    /// <summary>
    /// A problem of the load itself (not of a line it ran) is reported at the <c>load</c> line
    /// when one in a file asked for it. A missing ppp.conf is an error even when only
    /// <c>default</c> was asked for: only an existing file may lack that label.
    /// </summary>
    private void LoadInto(List<string> errors, IReadOnlyList<string> labels, TextWriter output, bool defaultOptional, CommandOrigin origin)
    {
        if (Options.ReadFile is null)
        {
            errors.Add(At(origin, "load: no configuration files can be read here"));
            return;
        }
        if (_loadDepth >= MaxLoadDepth)
        {
            errors.Add(At(origin, $"load {string.Join(' ', labels)}: labels load each other more than {MaxLoadDepth} deep"));
            return;
        }
        var file = ConfigFile.Load(Options.ConfigPath, Options.ReadFile, Options.Expansion);
        bool missing = file.Errors.Count == 1 && file.Errors[0].Line == 0 && file.Sections.Count == 0;
        errors.AddRange(file.Errors.Select(e => missing ? At(origin, e.ToString()) : e.ToString()));
        _loadDepth++;
        try
        {
            foreach (string label in labels)
            {
                var section = file.Find(label);
                if (section is null)
                {
                    bool optional = label == "default" && defaultOptional && !MistypedDefault(file, labels);
                    if (!optional && !missing)
                        errors.Add(At(origin, $"{(origin.Source == CommandSource.File ? "load" : "ppp")}: label \"{label}\" not found in {file.Path}{CaseHint(file, label)}"));
                    continue;
                }
                foreach (var line in section.Lines)
                {
                    var result = Execute(line.Text, CommandOrigin.File(line.File, line.Line), output);
                    if (!result.Success)
                        errors.Add(result.Error!);
                }
                Settings.Label = label;
                Settings.LoadedLabels.Add(label);
            }
        }
        finally
        {
            _loadDepth--;
        }
    }

    /// <summary>
    /// ppp(8)'s prompt: <c>ppp ON host&gt; </c>, the case of "ppp" showing progress: <c>Ppp</c> once
    /// authentication starts, <c>PPp</c> in the network phase, <c>PPP</c> once an NCP is open.
    /// </summary>
    public string Prompt(string host) => Prompt(host, authorised: true);

    /// <summary>The prompt of a diagnostic-socket session: "on" stays lower case until <c>passwd</c> succeeds.</summary>
    public string Prompt(string host, bool authorised)
    {
        ArgumentNullException.ThrowIfNull(host);
        string ppp = "ppp";
        if (Runtime is not null)
        {
            ppp = Runtime.Phase switch
            {
                LinkPhase.Authenticate => "Ppp",
                LinkPhase.Network => NetworkUp(Runtime) ? "PPP" : "PPp",
                _ => "ppp",
            };
        }
        return $"{ppp} {(authorised ? "ON" : "on")} {host}> ";
    }

    private static bool NetworkUp(IBundleRuntime runtime)
    {
        var status = runtime.CaptureStatus();
        return status.IpcpState == FsmState.Opened || status.Ipv6cpState == FsmState.Opened;
    }
}

internal static partial class CommandLog
{
    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "LOG: {Text}")]
    public static partial void LogCommand(ILogger logger, string text);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Origin}: {Command}")]
    public static partial void Executing(ILogger logger, string origin, string command);
}
