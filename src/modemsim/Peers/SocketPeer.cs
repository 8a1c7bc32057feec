using System.Globalization;
using System.Net.Sockets;

namespace Ppp.ModemSim.Peers;

/// <summary>A TCP or Unix stream connection as the far end (pppd-vm --serial tcp|unix, socat, slirp behind socat).</summary>
internal sealed class SocketPeer : IPeer
{
    private readonly Socket _socket;

    private SocketPeer(Socket socket, string name)
    {
        _socket = socket;
        Name = name;
    }

    public string Name { get; }

    /// <exception cref="SocketException">Nobody answers.</exception>
    public static SocketPeer ConnectTcp(string hostAndPort)
    {
        int colon = hostAndPort.LastIndexOf(':');
        string host = hostAndPort[..colon].Trim('[', ']');
        int port = int.Parse(hostAndPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(host, port);
            return new SocketPeer(socket, $"tcp {hostAndPort}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <exception cref="SocketException">Nobody listens on the path.</exception>
    public static SocketPeer ConnectUnix(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return new SocketPeer(socket, $"unix {path}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public int Read(Span<byte> buffer)
    {
        try
        {
            return _socket.Receive(buffer);
        }
        catch (SocketException)
        {
            return 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        try
        {
            while (!data.IsEmpty)
                data = data[_socket.Send(data)..];
        }
        catch (SocketException ex)
        {
            throw new IOException($"{Name}: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }

        _socket.Dispose();
    }
}
