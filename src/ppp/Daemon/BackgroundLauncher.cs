using System.Diagnostics;
using Ppp.Tun.Interop;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// <c>-background</c>: .NET cannot fork, so the parent starts itself again as the daemon (same
/// program, same arguments, PPP_BACKGROUND_CHILD=1) and waits for one line on the child's
/// stdout: <c>UP</c> once the link's network layer is up (exit 0: "ppp becomes a daemon and
/// returns 0"), or <c>FAIL reason</c> (exit 1). The child then leaves the session and keeps
/// running until the link closes or it gets TERM.
/// </summary>
internal static class BackgroundLauncher
{
    public const string ChildVariable = "PPP_BACKGROUND_CHILD";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static bool IsChild => Environment.GetEnvironmentVariable(ChildVariable) == "1";

    public static async Task<int> RunParentAsync(IReadOnlyList<string> args)
    {
        string program = Environment.ProcessPath ?? "ppp";
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = false,
        };
        // Under "dotnet ppp.dll" the program is dotnet and the assembly comes first.
        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
            info.ArgumentList.Add(typeof(BackgroundLauncher).Assembly.Location);
        foreach (string arg in args)
            info.ArgumentList.Add(arg);
        info.Environment[ChildVariable] = "1";
        using var child = Process.Start(info);
        if (child is null)
        {
            await Console.Error.WriteLineAsync("ppp: could not start the background daemon").ConfigureAwait(false);
            return Host.ExitFailed;
        }
        child.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Limit);
        string? line;
        try
        {
            line = await child.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            line = null;
            await Console.Error.WriteLineAsync($"ppp: the link did not come up within {Limit.TotalMinutes:0} minutes; stopping it").ConfigureAwait(false);
            child.Kill();
        }
        if (line == "UP")
        {
            await Console.Error.WriteLineAsync($"ppp: link up; daemon running as pid {child.Id}").ConfigureAwait(false);
            return Host.ExitNormal;
        }
        if (line is not null && line.StartsWith("FAIL ", StringComparison.Ordinal))
            await Console.Error.WriteLineAsync($"ppp: link failed: {line[5..]}").ConfigureAwait(false);
        try
        {
            await child.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill();
        }
        // No report at all: the daemon stopped before any link outcome (its own stderr said why).
        if (line is null && !timeout.IsCancellationRequested && child.HasExited)
            await Console.Error.WriteLineAsync($"ppp: the background daemon exited with status {child.ExitCode} before any link came up").ConfigureAwait(false);
        return child.HasExited && child.ExitCode != 0 ? child.ExitCode : Host.ExitFailed;
    }

    /// <summary>In the child: leave the parent's session at once.</summary>
    public static void DetachChild() => Libc.SetSid();

    /// <summary>In the child, on the link's first outcome: tell the parent, then let go of stdout.</summary>
    public static void ReportToParent(bool up, string? reason)
    {
        try
        {
            var stdout = Console.Out;
            stdout.WriteLine(up ? "UP" : $"FAIL {reason?.ReplaceLineEndings(" ")}");
            stdout.Flush();
            Console.SetOut(TextWriter.Null);
        }
        catch (IOException)
        {
            // The parent is gone already; nobody is waiting.
        }
    }
}
