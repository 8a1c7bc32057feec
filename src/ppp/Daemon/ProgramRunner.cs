using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;

namespace Ppp.Daemon.Daemon;

/// <summary>What a foreground program printed and how it ended.</summary>
internal sealed record ProgramResult(string Output, CommandOutcome Outcome);

/// <summary>
/// <c>!</c>/<c>shell</c> and <c>bg</c>: runs a program with ppp(8)'s words in its environment.
/// The program is started on the loop, but the loop never waits for it: a foreground program's
/// end arrives as a task (bounded: one that hangs is left running after 30 s and reported),
/// which whoever ran the command awaits off the loop before going on (the prompt, a
/// diagnostic-socket session, the next line of ppp.linkup). <c>bg</c> does not wait at all.
/// </summary>
internal static partial class ProgramRunner
{
    private static readonly TimeSpan ForegroundLimit = TimeSpan.FromSeconds(30);

    /// <summary>Starts the program. Background: the outcome is known now (started or not); foreground: when the task ends.</summary>
    public static Task<ProgramResult> Start(IReadOnlyList<string> argv, bool background, IReadOnlyDictionary<string, string> words, ILogger logger)
    {
        if (argv.Count == 0)
        {
            // A bare "!" starts a shell in ppp(8); with no terminal of ours to give it, refuse.
            return Done(CommandOutcome.Fail("shell: a command is needed (an interactive shell is not supported)"));
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
            return Done(CommandOutcome.Fail($"{argv[0]}: {ex.Message}"));
        }
        if (child is null)
            return Done(CommandOutcome.Fail($"{argv[0]}: could not start"));
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
            return Done(CommandOutcome.Ok);
        }
        return WaitAsync(child, argv[0], logger);
    }

    private static Task<ProgramResult> Done(CommandOutcome outcome) => Task.FromResult(new ProgramResult("", outcome));

    private static async Task<ProgramResult> WaitAsync(Process child, string program, ILogger logger)
    {
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ForegroundLimit);
        try
        {
            await child.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProgramLog.LeftRunning(logger, program, ForegroundLimit.TotalSeconds);
            return new ProgramResult("", CommandOutcome.Fail($"{program}: still running after {ForegroundLimit.TotalSeconds:0} s; left in the background"));
        }
        string output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        int status = child.ExitCode;
        child.Dispose();
        ProgramLog.Ended(logger, program, status);
        return new ProgramResult(output, status == 0 ? CommandOutcome.Ok : CommandOutcome.Fail($"{program}: exit status {status}"));
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
