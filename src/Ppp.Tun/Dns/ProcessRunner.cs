using System.ComponentModel;
using System.Diagnostics;

namespace Ppp.Tun.Dns;

/// <summary>The real <see cref="IProcessRunner"/>: <see cref="Process"/> without a shell.</summary>
internal sealed class ProcessRunner : IProcessRunner
{
    public const int CannotStart = 127;
    public const int TimedOut = 124;

    public ProcessRunner(TimeSpan? timeout = null) => Timeout = timeout ?? TimeSpan.FromSeconds(10);

    public static ProcessRunner Default { get; } = new();

    /// <summary>How long a program may run before it is killed.</summary>
    public TimeSpan Timeout { get; }

    public (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        }
        catch (Win32Exception e)
        {
            return (CannotStart, $"{file}: {e.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return (TimedOut, $"{file}: killed after {Timeout.TotalSeconds:0.#} s");
            }
            // Both pipes are at end of file once the process (and anything holding them) exited.
            return (process.ExitCode, output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
        }
    }

    public bool IsAvailable(string file)
    {
        if (file.Contains('/', StringComparison.Ordinal))
            return IsExecutable(file);
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
            return false;
        foreach (string directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (IsExecutable(Path.Combine(directory, file)))
                return true;
        }
        return false;
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && !OperatingSystem.IsWindows()
        && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
