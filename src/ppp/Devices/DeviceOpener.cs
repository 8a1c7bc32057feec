using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ppp.Core.Config;

namespace Ppp.Daemon.Devices;

/// <summary>Opens one <c>set device</c> entry. Every wait is bounded: nothing blocks forever.</summary>
internal static partial class DeviceOpener
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>-direct's line: our own stdin and stdout.</summary>
    public static DeviceSpec Stdio { get; } = new(DeviceKind.Tty, "stdin", Path: "-");

    public static async Task<IDeviceConnection> OpenAsync(DeviceSpec spec, TtyOpenOptions tty, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (ReferenceEquals(spec, Stdio))
            return OpenStdio();
        return spec.Kind switch
        {
            DeviceKind.Tcp => await ConnectTcpAsync(spec, cancellationToken).ConfigureAwait(false),
            DeviceKind.Udp => await ConnectUdpAsync(spec, cancellationToken).ConfigureAwait(false),
            DeviceKind.Program => StartChild(spec, logger),
            DeviceKind.Tty => TtyDevice.Open(spec.Path ?? spec.Text, tty, logger),
            _ => throw new ArgumentOutOfRangeException(nameof(spec)),
        };
    }

    /// <summary>A port number, or a service name looked up in /etc/services.</summary>
    private static int Port(DeviceSpec spec)
    {
        string port = spec.Port ?? "";
        if (int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number))
            return number;
        string protocol = spec.Kind == DeviceKind.Udp ? "udp" : "tcp";
        if (File.Exists("/etc/services"))
        {
            foreach (string line in File.ReadLines("/etc/services"))
            {
                var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && !fields[0].StartsWith('#')
                    && (fields[0] == port || fields.Skip(2).TakeWhile(f => !f.StartsWith('#')).Contains(port))
                    && fields[1].EndsWith("/" + protocol, StringComparison.Ordinal)
                    && int.TryParse(fields[1].AsSpan(0, fields[1].IndexOf('/', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture, out number))
                {
                    return number;
                }
            }
        }
        throw new IOException($"{spec.Text}: unknown service \"{port}\" (not in /etc/services)");
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
            return [literal];
        return await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IDeviceConnection> ConnectTcpAsync(DeviceSpec spec, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        var addresses = await ResolveAsync(spec.Host!, timeout.Token).ConfigureAwait(false);
        int port = Port(spec);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            // A synchronous connect, off the caller's thread: a socket that has ever run an
            // async operation is non-blocking underneath, and then every blocking send that
            // has to wait allocates a waiter; the data path sends and reads synchronously.
            var connect = Task.Run(() => socket.Connect(addresses, port), CancellationToken.None);
            var first = await Task.WhenAny(connect, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);
            if (first != connect)
            {
                socket.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                throw new IOException($"{spec.Text}: no connection within {ConnectTimeout.TotalSeconds:0} s");
            }
            await connect.ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return SocketDevice(spec.Text, socket);
    }

    /// <summary>
    /// -direct's line. Under inetd (or <c>socat ... EXEC:...,nofork</c>) stdin is the TCP
    /// socket itself: it is then driven as one, with Nagle off like our own connections, so
    /// both ends of a PPP-over-TCP link send each frame at once.
    /// </summary>
    private static StreamDevice OpenStdio()
    {
        Socket? socket = null;
        try
        {
            socket = new Socket(new SafeSocketHandle(0, ownsHandle: false));
            if (socket.SocketType == SocketType.Stream && socket.ProtocolType == ProtocolType.Tcp)
            {
                socket.NoDelay = true;
                return SocketDevice($"stdin ({socket.RemoteEndPoint}/tcp)", socket);
            }
        }
        catch (SocketException)
        {
            // Not a socket (ENOTSOCK): a pipe or a tty, read and written as streams below.
        }
        socket?.Dispose();
        return new StreamDevice("stdin", Console.OpenStandardInput(), Console.OpenStandardOutput());
    }

    private static StreamDevice SocketDevice(string name, Socket socket)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        return new StreamDevice(name, stream, stream, () =>
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            return ValueTask.CompletedTask;
        });
    }

    private static async Task<IDeviceConnection> ConnectUdpAsync(DeviceSpec spec, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(spec.Host!, cancellationToken).ConfigureAwait(false);
        var address = addresses[0];
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Synchronous on purpose (see ConnectTcpAsync); a UDP connect does not wait.
            socket.Connect(address, Port(spec));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var stream = new DatagramStream(socket);
        return new StreamDevice(spec.Text, stream, stream, () =>
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary><c>!command</c>: run through /bin/sh; its stdout and stdin are the line.</summary>
    private static StreamDevice StartChild(DeviceSpec spec, ILogger logger)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(spec.Command ?? spec.Text[1..]);
        var child = Process.Start(info) ?? throw new IOException($"{spec.Text}: could not start");
        DeviceLog.ChildStarted(logger, spec.Text, child.Id);
        return new StreamDevice(spec.Text, child.StandardOutput.BaseStream, child.StandardInput.BaseStream, async () =>
        {
            try
            {
                child.StandardInput.Close();
            }
            catch (IOException)
            {
            }
            // Give the child a moment to leave on EOF, then end it.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await child.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    child.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
            }
            DeviceLog.ChildEnded(logger, spec.Text, child.HasExited ? child.ExitCode : -1);
            child.Dispose();
        });
    }
}

internal static partial class DeviceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Device}: started, pid {Pid}")]
    public static partial void ChildStarted(ILogger logger, string device, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Device}: child exited with status {Status}")]
    public static partial void ChildEnded(ILogger logger, string device, int status);
}
