using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Ppp.Chat;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Protocols.Auth;
using Ppp.Daemon.Control;
using Ppp.Daemon.Logging;
using Ppp.Tun.Systemd;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// Runs <c>ppp</c> in one of its modes: loads the configuration (refusing to start on any
/// error), opens the tun, dials as the mode says, serves the prompt, handles signals, and
/// undoes everything on the way out.
/// </summary>
internal static partial class Host
{
    /// <summary>Exit statuses, after ppp(8)'s: 0 normal, 1 the link failed, 2 usage, 3 configuration.</summary>
    public const int ExitNormal = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;
    public const int ExitConfig = 3;

    public static string ConfDir =>
        Environment.GetEnvironmentVariable("PPP_CONFDIR") is { Length: > 0 } dir ? dir : "/etc/ppp";

    /// <summary>
    /// <c>ppp -check</c>: load everything with no runtime and print every problem, including what
    /// the mode given with it would refuse (<c>ppp -check -auto x</c> says what <c>ppp -auto x</c> says).
    /// </summary>
    public static int Check(DaemonOptions options, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (ModeProblem(options) is { } refused)
        {
            errors.WriteLine(refused);
            return ExitUsage;
        }
        var problems = Validate(options, checkScripts: true);
        foreach (string problem in problems)
            errors.WriteLine(problem);
        if (problems.Count > 0)
        {
            errors.WriteLine($"ppp: {problems.Count} problem(s) in {ConfDir}");
            return ExitConfig;
        }
        output.WriteLine($"ppp: {ConfDir}: configuration for {Describe(options.Systems)} is valid");
        return ExitNormal;
    }

    /// <summary>What a mode refuses before any configuration is read; null when it runs.</summary>
    private static string? ModeProblem(DaemonOptions options) => options.Mode is DaemonMode.Auto
        ? "ppp: -auto: dial on demand comes with its own issue and is not in this build; " +
          "use -ddial (dial at once and whenever the link is down), -background, -foreground or -dedicated (see ppp(8), OPTIONS)"
        : null;

    private static string Describe(IReadOnlyList<string> systems) =>
        systems.Count == 0 ? "\"default\"" : string.Join(", ", systems.Select(s => $"\"{s}\""));

    /// <summary>
    /// Loads everything into throw-away settings with no runtime, so nothing is touched: what
    /// <c>-check</c> prints and what a normal start refuses to run with. With
    /// <paramref name="checkScripts"/> every command of ppp.linkup and ppp.linkdown is checked
    /// too, each section on settings of its own (they run one at a time, after ppp.conf), and a
    /// mode that dials at once needs a device.
    /// </summary>
    private static List<string> Validate(DaemonOptions options, bool checkScripts)
    {
        var settings = new BundleSettings();
        var interpreter = new CommandInterpreter(settings, null,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, InterpreterOptions(null));
        var problems = Load(interpreter, options.Systems, out var files);
        if (checkScripts)
        {
            // The mode dials at once: with no device every attempt would fail.
            if (options.Mode is not (DaemonMode.Interactive or DaemonMode.Direct) && settings.Devices.Count == 0)
                problems.Add($"ppp: {DaemonOptions.ModeFlag(options.Mode)}: no device to dial: use \"set device\" in the label");
            foreach (var script in new[] { files.LinkUp, files.LinkDown })
                problems.AddRange(CheckScript(script));
        }
        return problems;
    }

    /// <summary>
    /// Runs every line of every section of ppp.linkup or ppp.linkdown through an interpreter
    /// with no runtime, as the daemon runs them after substitution; returns "file:line: message".
    /// </summary>
    private static IEnumerable<string> CheckScript(ConfigFile? script)
    {
        if (script is null)
            yield break;
        foreach (var section in script.Sections)
        {
            var interpreter = new CommandInterpreter(new BundleSettings(), null,
                Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, InterpreterOptions(null));
            foreach (var line in section.Lines)
            {
                var result = interpreter.Execute(line.Text, CommandOrigin.File(line.File, line.Line), TextWriter.Null);
                if (!result.Success)
                    yield return result.Error!;
            }
        }
    }

    /// <summary>The files read beside ppp.conf.</summary>
    private sealed record ConfigFiles(SecretsFile Secrets, ConfigFile? LinkUp, ConfigFile? LinkDown);

    /// <summary>
    /// Runs ppp.conf (default, then each system) through <paramref name="interpreter"/> and reads
    /// ppp.secret, ppp.linkup and ppp.linkdown. Returns every problem as "file:line: message".
    /// </summary>
    private static List<string> Load(CommandInterpreter interpreter, IReadOnlyList<string> systems, out ConfigFiles files)
    {
        var problems = new List<string>(interpreter.LoadSystem(systems, TextWriter.Null));
        files = new ConfigFiles(LoadSecrets(problems), LoadScript("ppp.linkup", problems), LoadScript("ppp.linkdown", problems));
        return problems;
    }

    public static CommandInterpreterOptions InterpreterOptions(Func<ResolvAction, CommandOutcome>? resolv) => new()
    {
        ConfigPath = Path.Combine(ConfDir, "ppp.conf"),
        ReadFile = ReadFile,
        Resolv = resolv,
        CheckChatScript = text => ChatScript.TryParse(text, out _, out string? error) ? null : error,
        Expansion = Expansion,
    };

    /// <summary>ppp(8)'s <c>$VAR</c>, <c>${VAR}</c>, <c>~</c> and <c>~user</c>: this process's environment and /etc/passwd.</summary>
    private static WordExpansion Expansion { get; } = new(Environment.GetEnvironmentVariable, HomeOf);

    /// <summary><c>~</c>: $HOME, else the password entry of our user; <c>~user</c>: that user's entry.</summary>
    private static string? HomeOf(string? user)
    {
        if (user is null && Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home)
            return home;
        string name = user ?? Environment.UserName;
        string? passwd = ReadFile("/etc/passwd");
        foreach (string line in (passwd ?? "").Split('\n'))
        {
            // name:password:uid:gid:gecos:home:shell
            string[] fields = line.Split(':');
            if (fields.Length >= 6 && fields[0] == name)
                return fields[5];
        }
        return null;
    }

    /// <summary>ppp.secret, when there is one; its problems join the list.</summary>
    private static SecretsFile LoadSecrets(List<string> problems)
    {
        string path = Path.Combine(ConfDir, "ppp.secret");
        string? text = ReadFile(path);
        if (text is null)
            return SecretsFile.Empty;
        var file = SecretsFile.Parse(path, text);
        problems.AddRange(file.Errors.Select(e => e.ToString()));
        return file;
    }

    /// <summary>ppp.linkup or ppp.linkdown, when there is one; its problems join the list.</summary>
    private static ConfigFile? LoadScript(string name, List<string> problems)
    {
        string path = Path.Combine(ConfDir, name);
        string? text = ReadFile(path);
        if (text is null)
            return null;
        var file = ConfigFile.Parse(path, text, ReadFile, Expansion);
        problems.AddRange(file.Errors.Select(e => e.ToString()));
        return file;
    }

    private static string? ReadFile(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    /// <summary>
    /// Before a start (and in the <c>-background</c> parent, before it starts the daemon): prints
    /// what the mode or the configuration refuses and returns the exit status, or 0 to go on.
    /// </summary>
    public static async Task<int> RefuseAsync(DaemonOptions options, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        if (ModeProblem(options) is { } refused)
        {
            await errors.WriteLineAsync(refused).ConfigureAwait(false);
            return ExitUsage;
        }
        var problems = Validate(options, checkScripts: false);
        if (problems.Count == 0)
            return ExitNormal;
        foreach (string problem in problems)
            await errors.WriteLineAsync(problem).ConfigureAwait(false);
        await errors.WriteLineAsync($"ppp: not started: {problems.Count} problem(s) in {ConfDir}").ConfigureAwait(false);
        return ExitConfig;
    }

    /// <summary>Every mode but -check and the -background parent.</summary>
    public static async Task<int> RunAsync(DaemonOptions options)
    {
        // Validate before touching anything: a bad config never creates a tun or opens a device.
        int refused = await RefuseAsync(options, Console.Error).ConfigureAwait(false);
        if (refused != ExitNormal)
            return refused;

        bool interactive = options.Mode == DaemonMode.Interactive;
        bool toStderr = options.Mode is not (DaemonMode.Direct) && !options.BackgroundChild && !interactive;
        // ppp(8): a line meant to stay up notices a silent peer (LCP echo unless "disable echo").
        var settings = new BundleSettings { EchoByDefault = options.Mode is DaemonMode.DDial or DaemonMode.Dedicated };
        using var router = new LogRouter(toStderr, Environment.GetEnvironmentVariable("PPP_LOGFILE"), toSyslog: true, settings.LogLevels);
        using var loggers = new LoggerFactory([router], new LoggerFilterOptions { MinLevel = LogLevel.Trace });

        // The one loop and the one clock: everything below runs its policy on these.
        var time = TimeProvider.System;
        await using var loop = new Runtime.LinkLoop(loggers.CreateLogger(LogLevels.Phase));
        var bundle = new Bundle(options, settings, loggers, loop, time);
        var interpreter = new CommandInterpreter(settings, bundle, loggers, InterpreterOptions(bundle.Resolv));
        bundle.Commands = interpreter;
        var control = new ControlServer(bundle.Loop, interpreter, loggers);
        bundle.Control = control;
        var metrics = new MetricsServer(bundle.Loop, bundle.CaptureStatus, loggers);
        bundle.MetricsServer = metrics;
        control.TakePrograms = bundle.TakePrograms;
        control.AttachLog = router.AttachSession;
        bundle.Label = options.Systems.Count > 0 ? options.Systems[^1] : "default";
        bundle.SettingsApplied += () => router.SetLevels(settings.LogLevels, settings.LocalLogLevels);
        if (interactive)
            router.AttachPrompt(Console.Out);

        int status;
        var registrations = new List<PosixSignalRegistration>();
        Prompt.Running? prompt = null;
        try
        {
            try
            {
                bundle.OpenInterface();
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"ppp: cannot open a tun interface: {ex.Message}").ConfigureAwait(false);
                return ExitFailed;
            }
            control.Unit = UnitOf(bundle.InterfaceName);
            metrics.Unit = control.Unit;
            var (loadProblems, loadPrograms) = await bundle.Loop.InvokeAsync(() =>
            {
                var found = Load(interpreter, options.Systems, out var files);
                bundle.Secrets = files.Secrets;
                bundle.LinkUpScript = files.LinkUp;
                bundle.LinkDownScript = files.LinkDown;
                router.SetLevels(settings.LogLevels, settings.LocalLogLevels);
                bundle.ApplyLogLevels();
                return (found, bundle.TakePrograms());
            }).ConfigureAwait(false);
            // ppp.conf's own "!" lines ran off the loop; start-up waits for them, as ppp(8) does.
            await Bundle.WriteProgramsAsync(loadPrograms, TextWriter.Null).ConfigureAwait(false);
            foreach (string problem in loadProblems)
                HostLog.ConfigProblem(loggers.CreateLogger("Warning"), problem);

            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
            {
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    bundle.Loop.Post(() => bundle.Signal(context.Signal.ToString()));
                }));
            }
            // ppp(8): SIGUSR1 reopens the diagnostic socket, SIGUSR2 closes it (sessions dropped
            // either way). PosixSignal has no names for them; raw numbers work on Linux.
            var phaseLog = loggers.CreateLogger(LogLevels.Phase);
            registrations.Add(PosixSignalRegistration.Create(SigUsr1, context =>
            {
                context.Cancel = true;
                bundle.Loop.Post(() =>
                {
                    BundleLog.SignalReceived(phaseLog, "SIGUSR1");
                    control.Reopen();
                });
            }));
            registrations.Add(PosixSignalRegistration.Create(SigUsr2, context =>
            {
                context.Cancel = true;
                bundle.Loop.Post(() =>
                {
                    BundleLog.SignalReceived(phaseLog, "SIGUSR2");
                    control.CloseSockets();
                });
            }));

            if (options.BackgroundChild)
                bundle.FirstOutcome += BackgroundLauncher.ReportToParent;
            bundle.FirstOutcome += (up, _) =>
            {
                if (up)
                    SdNotify.Ready($"link up on {bundle.InterfaceName}");
            };
            WritePidFile(bundle.InterfaceName);

            if (!options.Quiet && options.Mode != DaemonMode.Direct && !options.BackgroundChild)
                await Console.Error.WriteLineAsync($"Working in {options.Mode.ToString().ToLowerInvariant()} mode; using interface {bundle.InterfaceName}").ConfigureAwait(false);

            bundle.Loop.Post(bundle.Start);
            if (interactive)
                prompt = Prompt.Start(bundle, interpreter);
            status = await bundle.Exited.ConfigureAwait(false);
        }
        finally
        {
            // Before the bundle goes: a terminal still running closes its line and restores the keyboard.
            if (prompt is not null)
                await prompt.StopAsync().ConfigureAwait(false);
            foreach (var registration in registrations)
                registration.Dispose();
            SdNotify.Stopping();
            await control.DisposeAsync().ConfigureAwait(false);
            await metrics.DisposeAsync().ConfigureAwait(false);
            await bundle.DisposeAsync().ConfigureAwait(false);
            RemovePidFile(bundle.InterfaceName);
        }
        return status;
    }

    private const PosixSignal SigUsr1 = (PosixSignal)10;
    private const PosixSignal SigUsr2 = (PosixSignal)12;

    /// <summary>The unit of "ppp3" is 3: <c>%d</c> and <c>+N</c> in <c>set server</c>.</summary>
    private static int UnitOf(string? interfaceName)
    {
        string digits = new([.. (interfaceName ?? "").Reverse().TakeWhile(char.IsAsciiDigit).Reverse()]);
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int unit) ? unit : 0;
    }

    /// <summary>ppp(8) keeps /var/run/tunN.pid; ours is named after the interface.</summary>
    private static void WritePidFile(string? interfaceName)
    {
        if (interfaceName is null)
            return;
        try
        {
            File.WriteAllText($"/var/run/{interfaceName}.pid", $"{Environment.ProcessId}\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not fatal: the pid file is a convenience for scripts.
        }
    }

    private static void RemovePidFile(string? interfaceName)
    {
        if (interfaceName is null)
            return;
        try
        {
            string path = $"/var/run/{interfaceName}.pid";
            if (File.Exists(path) && File.ReadAllText(path).Trim() == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}

internal static partial class HostLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void ConfigProblem(ILogger logger, string problem);
}
