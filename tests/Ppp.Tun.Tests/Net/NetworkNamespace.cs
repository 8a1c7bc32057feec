using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Ppp.Tun.Interop;

namespace Ppp.Tun.Tests.Net;

/// <summary>
/// A fresh network namespace (<c>ip netns add</c>) and one dedicated thread that has joined it
/// with setns(2). setns moves only the calling thread, so every kernel object a test makes there
/// (tun, netlink socket, UDP socket) is created through <see cref="Run{T}"/>; once made, those fds
/// stay bound to the namespace whichever thread uses them. NUnit's own threads never move.
/// Dispose deletes the namespace, which takes every interface and route in it along.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;

    public NetworkNamespace()
    {
        Name = $"ppptest-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        Ip("netns", "add", Name);
        var joined = new TaskCompletionSource();
        _thread = new Thread(() => Loop(joined)) { IsBackground = true, Name = Name };
        _thread.Start();
        try
        {
            joined.Task.GetAwaiter().GetResult();
        }
        catch
        {
            _work.CompleteAdding();
            Ip("netns", "del", Name);
            throw;
        }
    }

    public string Name { get; }

    /// <summary>Runs <paramref name="action"/> on the thread inside the namespace and returns its result (or rethrows).</summary>
    public T Run<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(action());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        try
        {
            return done.Task.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            ExceptionDispatchInfo.Capture(e).Throw();
            throw;
        }
    }

    public void Run(Action action) => Run(() =>
    {
        action();
        return 0;
    });

    /// <summary><c>ip -n NAME args...</c>; returns stdout, throws with stderr on failure.</summary>
    public string IpIn(params string[] arguments) => Ip(["-n", Name, .. arguments]);

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
        Ip("netns", "del", Name);
    }

    public static string Ip(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {error.Trim()}");
        return output;
    }

    private void Loop(TaskCompletionSource joined)
    {
        try
        {
            using var ns = File.OpenHandle($"/var/run/netns/{Name}");
            if (Namespace.SetNs((int)ns.DangerousGetHandle(), Namespace.CLONE_NEWNET) != 0)
                throw new IOException($"setns {Name}: errno {Marshal.GetLastPInvokeError()}");
            joined.SetResult();
        }
        catch (Exception e)
        {
            joined.SetException(e);
            return;
        }

        foreach (Action action in _work.GetConsumingEnumerable())
            action();
    }
}
