using System.Diagnostics;
using System.Text;

namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// A long-running helper (socat, iperf3, the daemon) started with an argument list, never
/// through a shell; its stdout and stderr are kept for failure messages and its stdin stays
/// open for commands. Disposing kills it and everything it started.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private int _openStreams = 2;
    private bool _disposed;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>What this process is, for messages: "daemon A", "socat B".</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string StdOut
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>, extra environment variables added.</summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Append(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Writes one line to the process's stdin (a command at the daemon's prompt).</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.Write(line + "\n");
        _process.StandardInput.Flush();
    }

    /// <summary>Writes <paramref name="text"/> to the process's stdin as it is (keys on a pty, no newline added).</summary>
    public void Write(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Flush();
    }

    /// <summary>Closes stdin: end of input for the process.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the process to end; true if it did within <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        // Let the output readers catch up, but only briefly: a daemon that detached
        // (-background) may have left its copy of the pipes open in the child it forked.
        Poll.Until(() => Volatile.Read(ref _openStreams) == 0, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
        return true;
    }

    /// <summary>Sends a signal by name (TERM, INT, KILL) to the process itself.</summary>
    public void Signal(string signal)
    {
        if (!_process.HasExited)
        {
            ProcessRunner.Run("kill", "-s", signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Everything the process said, for assertion messages.</summary>
    public string Describe()
    {
        string state = _process.HasExited ? $"exited {_process.ExitCode}" : "running";
        return $"--- {Name} (pid {Id}, {state}) stdout ---\n{StdOut}--- {Name} stderr ---\n{StdErr}";
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill: nothing left to stop.
        }

        _process.Dispose();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            // End of the stream.
            Interlocked.Decrement(ref _openStreams);
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
