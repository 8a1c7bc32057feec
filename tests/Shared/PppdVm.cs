using System.Text.RegularExpressions;

namespace Ppp.Tests.Shared;

/// <summary>
/// A Linux pppd 2.4.9 running in a QEMU VM (../shared/peers/pppd-vm), its PPP line exposed
/// on the host as a pty (<see cref="Line"/>). Disposing stops the VM and closes the line; the
/// VM also dies with the test process (--parent-pid) and after ten minutes at most
/// (--lifetime), so a crashed run leaks nothing.
/// </summary>
internal sealed class PppdVm : IDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(60);

    // The first start on a machine builds the VM cache (and may install packages): minutes, not seconds.
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(5);
    private static int s_instances;
    private bool _stopped;
    private SerialLine? _line;

    private PppdVm(string name, string linePath, IReadOnlyList<string> startArguments)
    {
        Name = name;
        LinePath = linePath;
        StartArguments = startArguments;
    }

    /// <summary>The pppd-vm instance name, unique to this test process.</summary>
    public string Name { get; }

    /// <summary>The host side of the VM's PPP serial line (/dev/pts/N).</summary>
    public string LinePath { get; }

    /// <summary>The arguments given to <c>pppd-vm</c>, for messages and capture notes.</summary>
    public IReadOnlyList<string> StartArguments { get; }

    /// <summary>
    /// Boots a VM running <c>pppd /dev/ttyS1 115200 local nodetach PPPDARGS...</c>.
    /// </summary>
    /// <param name="pppdArguments">pppd options, e.g. <c>debug noauth</c>.</param>
    /// <param name="secrets">Lines for both pap-secrets and chap-secrets: <c>client server secret addresses</c>.</param>
    /// <param name="respawn">Restart pppd whenever it exits (a test that connects late or hangs up).</param>
    /// <param name="files">Host files copied into the guest before pppd starts (e.g. an options file for pppd's <c>file</c> option).</param>
    public static PppdVm Start(IEnumerable<string> pppdArguments, IEnumerable<string>? secrets = null, bool respawn = false,
        IEnumerable<(string HostPath, string GuestPath)>? files = null)
    {
        InteropEnvironment.RequireVmHost();

        // Short names: pppd-vm's run folder holds unix sockets, whose paths are limited to 107 bytes.
        string name = $"ut{Environment.ProcessId}-{Interlocked.Increment(ref s_instances)}";
        var arguments = new List<string>
        {
            "start", "--name", name,
            "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lifetime", "600",
        };
        foreach (string secret in secrets ?? [])
        {
            arguments.Add("--secret");
            arguments.Add(secret);
        }

        foreach ((string hostPath, string guestPath) in files ?? [])
        {
            arguments.Add("--put");
            arguments.Add($"{hostPath}:{guestPath}");
        }

        if (respawn)
        {
            arguments.Add("--respawn");
        }

        arguments.Add("--");
        arguments.AddRange(pppdArguments);

        ProcessResult result = ProcessRunner.Run(InteropEnvironment.PppdVmScript, arguments, s_startTimeout);

        // Only stdout is the answer (one line, the pty); stderr carries progress messages.
        string linePath = result.StdOut.Trim();
        if (result.ExitCode != 0 || !linePath.StartsWith("/dev/", StringComparison.Ordinal))
        {
            // Stop whatever half-started, then report everything pppd-vm said.
            ProcessRunner.Run(InteropEnvironment.PppdVmScript, "stop", "--name", name);
            throw new InvalidOperationException($"pppd-vm {string.Join(' ', arguments)} failed: {result.Describe()}");
        }

        return new PppdVm(name, linePath, arguments);
    }

    /// <summary>The VM's line in raw mode, opened on first use and closed with the VM.</summary>
    public SerialLine Line => _line ??= SerialLine.Open(LinePath);

    /// <summary>The guest's pppd output so far (every frame with <c>debug</c>) and its PPPVM: markers.</summary>
    public string Log() => Run("log", "--name", Name).StdOut;

    /// <summary>
    /// Waits until a log line matches <paramref name="pattern"/> (.NET regex, multiline: ^ and $
    /// are line ends) and returns that line; throws <see cref="TimeoutException"/> with the log.
    /// </summary>
    /// <param name="pattern">The regex.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="from">Search only from this offset of <see cref="Log"/> on: take
    /// <c>Log().Length</c> before a step so that lines of earlier steps cannot match.</param>
    public string WaitLog(string pattern, TimeSpan timeout, int from = 0)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant);
        DateTime deadline = DateTime.UtcNow + timeout;
        string log;
        while (true)
        {
            log = Log();
            Match match = regex.Match(log, Math.Min(from, log.Length));
            if (match.Success)
            {
                int start = log.LastIndexOf('\n', match.Index) + 1;
                int end = log.IndexOf('\n', match.Index);
                return log[start..(end < 0 ? log.Length : end)];
            }

            if (DateTime.UtcNow >= deadline)
            {
                break;
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException($"pppd-vm {Name}: no log line matching /{pattern}/ within {timeout.TotalSeconds} s. Log:\n{log}");
    }

    /// <summary>Runs a shell command in the guest (sequentially: bound it with timeout/ping -c inside).</summary>
    public ProcessResult Exec(string command, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(30);
        string seconds = ((int)Math.Ceiling(limit.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProcessRunner.Run(InteropEnvironment.PppdVmScript,
            ["exec", "--name", Name, "--timeout", seconds, "--", command], limit + TimeSpan.FromSeconds(15));
    }

    /// <summary>Stops the VM; the log stays readable until the name is reused.</summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Run("stop", "--name", Name);
    }

    /// <summary>
    /// Stops the VM, then closes the line (so its reader sees the hang-up at once). Called from
    /// a fixture's [OneTimeTearDown] after a failure, it first writes pppd's log to the test output.
    /// </summary>
    public void Dispose()
    {
        if (!_stopped && NUnit.Framework.TestContext.CurrentContext.Result.FailCount > 0)
        {
            NUnit.Framework.TestContext.Out.WriteLine($"pppd-vm {Name} log:\n{Log()}");
        }

        Stop();
        _line?.Dispose();
    }

    private static ProcessResult Run(params string[] arguments)
    {
        ProcessResult result = ProcessRunner.Run(InteropEnvironment.PppdVmScript, arguments, s_commandTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pppd-vm {string.Join(' ', arguments)}: {result.Describe()}");
        }

        return result;
    }
}
