using System.Diagnostics;

namespace Ppp.ModemSim.Peers;

/// <summary>
/// A child started with <c>sh -c COMMAND</c> whose stdin and stdout are the line (its stderr
/// is ours, so its log lands beside the simulator's). Disposing kills it and what it started.
/// </summary>
internal sealed class ExecPeer : IPeer
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;

    private ExecPeer(Process process)
    {
        _process = process;
        _input = process.StandardOutput.BaseStream;
        _output = process.StandardInput.BaseStream;
        Name = $"'{process.StartInfo.ArgumentList[^1]}' (pid {process.Id})";
    }

    public string Name { get; }

    /// <exception cref="IOException">The command could not be started.</exception>
    public static ExecPeer Start(string command)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        try
        {
            return new ExecPeer(Process.Start(info) ?? throw new IOException($"could not start '{command}'"));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new IOException($"could not start '{command}': {ex.Message}", ex);
        }
    }

    public int Read(Span<byte> buffer) => _input.Read(buffer);

    public void Write(ReadOnlySpan<byte> data)
    {
        _output.Write(data);
        _output.Flush();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(2000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _input.Dispose();
        try
        {
            _output.Dispose();
        }
        catch (IOException)
        {
            // Flushing into a pipe whose reader is gone.
        }

        _process.Dispose();
    }
}
