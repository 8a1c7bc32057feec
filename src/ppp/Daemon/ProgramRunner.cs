using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// <c>!</c>/<c>shell</c> and <c>bg</c>: runs a program with ppp(8)'s words in its environment.
/// A foreground program is waited for (bounded: a script that hangs must not stall the link
/// loop for ever), its output copied to the caller; <c>bg</c> does not wait.
/// </summary>
internal static partial class ProgramRunner
{
    private static readonly TimeSpan ForegroundLimit = TimeSpan.FromSeconds(30);

    public static CommandOutcome Run(IReadOnlyList<string> argv, bool background, TextWriter output, IReadOnlyDictionary<string, string> words, ILogger logger)
    {
        if (argv.Count == 0)
        {
            // A bare "!" starts a shell in ppp(8); with no terminal of ours to give it, refuse.
            return CommandOutcome.Fail("shell: a command is needed (an interactive shell is not supported)");
        }
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = !background,
            RedirectStandardError = !background,
            RedirectStandardInput = true,
        };
        for (int i = 1; i < argv.Count; i++)
            info.ArgumentList.Add(argv[i]);
        foreach (var (name, value) in words)
            info.Environment[name] = value;
        Process? child;
        try
        {
            child = Process.Start(info);
        }
        catch (Win32Exception ex)
        {
            return CommandOutcome.Fail($"{argv[0]}: {ex.Message}");
        }
        if (child is null)
            return CommandOutcome.Fail($"{argv[0]}: could not start");
        child.StandardInput.Close();
        ProgramLog.Started(logger, argv[0], child.Id, background ? "background" : "foreground");
        if (background)
        {
            child.EnableRaisingEvents = true;
            child.Exited += (_, _) =>
            {
                ProgramLog.Ended(logger, argv[0], child.ExitCode);
                child.Dispose();
            };
            return CommandOutcome.Ok;
        }
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(ForegroundLimit))
        {
            ProgramLog.LeftRunning(logger, argv[0], ForegroundLimit.TotalSeconds);
            return CommandOutcome.Fail($"{argv[0]}: still running after {ForegroundLimit.TotalSeconds:0} s; left in the background");
        }
        output.Write(stdout.GetAwaiter().GetResult());
        output.Write(stderr.GetAwaiter().GetResult());
        int status = child.ExitCode;
        child.Dispose();
        ProgramLog.Ended(logger, argv[0], status);
        return status == 0 ? CommandOutcome.Ok : CommandOutcome.Fail($"{argv[0]}: exit status {status}");
    }
}

internal static partial class ProgramLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Program}: started (pid {Pid}, {How})")]
    public static partial void Started(ILogger logger, string program, int pid, string how);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Program}: exit status {Status}")]
    public static partial void Ended(ILogger logger, string program, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Program}: still running after {Seconds} s; no longer waiting")]
    public static partial void LeftRunning(ILogger logger, string program, double seconds);
}
