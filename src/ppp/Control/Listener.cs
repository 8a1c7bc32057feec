using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ppp.Core.Control;

namespace Ppp.Daemon.Control;

/// <summary>
/// One listening socket of the daemon's servers (the diagnostic socket, the metrics endpoint):
/// TCP, on loopback unless the endpoint names an address, or Unix-domain, which also owns its
/// file. Disposing stops <see cref="AcceptAsync"/> and removes the file.
/// </summary>
internal sealed class Listener : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    private Listener(Socket socket, string description, string? path)
    {
        Socket = socket;
        Description = description;
        Path = path;
    }

    public Socket Socket { get; }

    /// <summary>"tcp 127.0.0.1:3000" or "local /run/ppp0.sock".</summary>
    public string Description { get; }

    public string? Path { get; }

    public bool IsLocal => Path is not null;

    public CancellationToken Stopping => _stopping.Token;

    public static Listener Open(ServerEndpoint endpoint, int unit)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.IsLocal)
        {
            string path = endpoint.ResolvePath(unit);
            return new Listener(LocalSocket.Listen(path, endpoint.Mask), $"local {path}", path);
        }
        int port = endpoint.ResolvePort(unit) ?? throw new ArgumentException($"{endpoint}: port {endpoint.Port}+{unit} is beyond 65535");
        var address = endpoint.Address ?? IPAddress.Loopback;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = address.Equals(IPAddress.IPv6Any);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(16);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        string shown = bound.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bound.Address}]:{bound.Port}" : bound.ToString();
        return new Listener(socket, $"tcp {shown}", null);
    }

    /// <summary>
    /// Accepts clients until disposed and hands each to <paramref name="admit"/>, which owns it
    /// from then on. An accept that fails (out of descriptors, a connection reset before we took
    /// it) is reported to <paramref name="failed"/> and retried after a pause.
    /// </summary>
    public async Task AcceptAsync(Action<Socket> admit, Action<string> failed)
    {
        ArgumentNullException.ThrowIfNull(admit);
        ArgumentNullException.ThrowIfNull(failed);
        // The token, not the source: it stays readable after Dispose.
        var stopping = Stopping;
        while (true)
        {
            Socket client;
            try
            {
                client = await Socket.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (stopping.IsCancellationRequested)
                    return;
                failed(ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                continue;
            }
            admit(client);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        Socket.Dispose();
        _stopping.Dispose();
        if (Path is not null)
            LocalSocket.Remove(Path);
    }
}

/// <summary>What both servers log about their listening socket; <c>server</c> names which ("diagnostic socket", "metrics").</summary>
internal static partial class ListenerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Server}: listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string server, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Server}: {Endpoint} closed")]
    public static partial void Closed(ILogger logger, string server, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Server}: cannot listen: {Reason}")]
    public static partial void OpenFailed(ILogger logger, string server, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Server}: {Endpoint}: accept: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string server, string endpoint, string reason);
}
