using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.ModemSim.Tests.Support;

/// <summary>
/// The shipped ppp-modemsim running as its own process, in a temporary directory of its own:
/// the line is published at <see cref="LinkPath"/>, the control socket and status file beside
/// it. Disposing stops it and removes the directory. <see cref="Describe"/> gives its log
/// (every line received and sent) for failure messages.
/// </summary>
internal sealed class ModemSimProcess : IDisposable
{
    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(30);
    private readonly ChildProcess _child;

    private ModemSimProcess(string directory, ChildProcess child, string slavePath)
    {
        Directory = directory;
        _child = child;
        SlavePath = slavePath;
    }

    public string Directory { get; }

    public string LinkPath => Path.Combine(Directory, "modem");

    public string ControlPath => Path.Combine(Directory, "ctl");

    public string StatusPath => Path.Combine(Directory, "status");

    /// <summary>The pty slave it printed when it became ready.</summary>
    public string SlavePath { get; }

    public ChildProcess Child => _child;

    /// <summary>ppp-modemsim.dll beside the test assembly (the project reference copies it there).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ppp-modemsim.dll");

    /// <summary>Starts the simulator with <paramref name="scenario"/> (extra command-line options) and waits until it is ready.</summary>
    public static ModemSimProcess Start(IEnumerable<string> scenario)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"modemsim-{Guid.NewGuid():N}"[..21]);
        System.IO.Directory.CreateDirectory(directory);
        string[] arguments =
        [
            Dll, "--link", Path.Combine(directory, "modem"), "--control", Path.Combine(directory, "ctl"),
            "--status-file", Path.Combine(directory, "status"), .. scenario,
        ];
        ChildProcess child = ChildProcess.Start("ppp-modemsim", DaemonEnvironment.Dotnet, arguments);
        try
        {
            if (!Poll.Until(() => child.StdOut.Contains('\n', StringComparison.Ordinal) || child.HasExited, s_startLimit, TimeSpan.FromMilliseconds(20))
                || child.HasExited)
            {
                Assert.Fail($"ppp-modemsim did not become ready\n{child.Describe()}");
            }

            return new ModemSimProcess(directory, child, child.StdOut.Trim());
        }
        catch
        {
            child.Dispose();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Sends one control command and returns the answer line.</summary>
    public string Control(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(ControlPath));
        using var stream = new NetworkStream(socket, ownsSocket: false);
        stream.Write(Encoding.UTF8.GetBytes(command + "\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        stream.ReadTimeout = 30_000;
        return reader.ReadLine() ?? "";
    }

    /// <summary>One counter or state word of "status" (dials, connects, state, slave, ...).</summary>
    public string Status(string key)
    {
        string answer = Control("status");
        foreach (string word in answer.Split(' '))
        {
            if (word.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return word[(key.Length + 1)..];
            }
        }

        Assert.Fail($"no '{key}' in status answer '{answer}'\n{Describe()}");
        return "";
    }

    public string Describe() => _child.Describe();

    public void Dispose()
    {
        _child.Signal("TERM");
        if (!_child.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            TestContext.Out.WriteLine("ppp-modemsim did not stop on SIGTERM; killed");
        }

        _child.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
