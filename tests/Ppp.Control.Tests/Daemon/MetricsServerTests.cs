using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Control;
using Ppp.Core.Link;
using Ppp.Daemon.Control;
using Ppp.Daemon.Runtime;

namespace Ppp.Control.Tests.Daemon;

/// <summary>
/// The metrics endpoint in-process over real loopback TCP, on a real link loop whose
/// snapshot function records where it ran.
/// </summary>
[TestFixture]
public sealed class MetricsServerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private LinkLoop _loop = null!;
    private MetricsServer _server = null!;
    private int _captures;
    private bool _capturedOffLoop;

    private BundleStatus Capture()
    {
        Interlocked.Increment(ref _captures);
        if (!_loop.IsOnLoop)
            _capturedOffLoop = true;
        return Snapshot();
    }

    private static BundleStatus Snapshot() =>
        new() { Label = "test", Mode = "foreground", Phase = LinkPhase.Network, InterfaceName = "ppp7", OctetsSent = 4242 };

    private int Start(MetricsServerOptions? options = null)
    {
        _loop = new LinkLoop(NullLogger.Instance);
        _server = new MetricsServer(_loop, Capture, NullLoggerFactory.Instance, options);
        int port = FreePort();
        var (command, error) = MetricsCommand.Parse([port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.That(error, Is.Null);
        var outcome = _loop.InvokeAsync(() => _server.Apply(command!)).Result;
        Assert.That(outcome.Error, Is.Null);
        return port;
    }

    /// <summary>A port nobody listens on now (the kernel's pick for port 0).</summary>
    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [SetUp]
    public void Reset()
    {
        _captures = 0;
        _capturedOffLoop = false;
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        if (_loop is not null)
            await _loop.DisposeAsync();
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    /// <summary>Sends <paramref name="request"/> in pieces of <paramref name="chunk"/> octets and reads the whole answer.</summary>
    private static async Task<string> ExchangeAsync(int port, string request, int chunk = int.MaxValue)
    {
        using var socket = await ConnectAsync(port);
        byte[] bytes = Encoding.ASCII.GetBytes(request);
        for (int at = 0; at < bytes.Length; at += chunk)
        {
            await socket.SendAsync(bytes.AsMemory(at, Math.Min(chunk, bytes.Length - at)), SocketFlags.None);
            if (chunk < bytes.Length)
                await Task.Delay(5);
        }
        return await ReadToEndAsync(socket);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        var received = new MemoryStream();
        byte[] buffer = new byte[4096];
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
                return Encoding.UTF8.GetString(received.ToArray());
            received.Write(buffer, 0, read);
        }
    }

    [Test]
    public async Task Get_Metrics_AnswersTheSnapshotTakenOnTheLoop()
    {
        int port = Start();
        string response = await ExchangeAsync(port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n");
        string expected = MetricsFormatter.Format(Snapshot());
        Assert.That(response, Does.StartWith("HTTP/1.1 200 OK\r\n"));
        Assert.That(response, Does.Contain("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
        Assert.That(response, Does.Contain($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(expected)}\r\n"));
        Assert.That(response, Does.Contain("\r\nConnection: close\r\n"));
        Assert.That(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], Is.EqualTo(expected));
        Assert.That(response, Does.Contain("ppp_transmit_bytes_total{interface=\"ppp7\"} 4242\n"));
        Assert.That(_capturedOffLoop, Is.False, "the snapshot is taken on the loop");
    }

    [Test]
    public async Task Get_RequestInOneOctetPieces_IsReadWhole()
    {
        int port = Start();
        string response = await ExchangeAsync(port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n", chunk: 1);
        Assert.That(response, Does.StartWith("HTTP/1.1 200 OK\r\n"));
    }

    [Test]
    public async Task Head_Metrics_HasTheHeadOnly()
    {
        int port = Start();
        string response = await ExchangeAsync(port, "HEAD /metrics HTTP/1.1\n\n");
        Assert.That(response, Does.StartWith("HTTP/1.1 200 OK\r\n").And.EndWith("\r\n\r\n"));
        Assert.That(response, Does.Contain("Content-Length: ").And.Not.Contain("ppp_"));
    }

    [TestCase("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found")]
    [TestCase("GET /metricsx HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found")]
    [TestCase("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 405 Method Not Allowed")]
    [TestCase("hello\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [TestCase("GET /metrics HTTP/2.0\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [TestCase("GET /met\u0001rics HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    public async Task Get_NotAMetricsRequest_IsAnsweredWithTheError(string request, string statusLine)
    {
        int port = Start();
        string response = await ExchangeAsync(port, request);
        Assert.That(response, Does.StartWith(statusLine + "\r\n"));
        Assert.That(_captures, Is.Zero, "no snapshot for an error");
        if (statusLine.Contains("405", StringComparison.Ordinal))
            Assert.That(response, Does.Contain("\r\nAllow: GET, HEAD\r\n"));
    }

    [Test]
    public async Task Request_LongerThanTheLimit_Gets431()
    {
        int port = Start(new MetricsServerOptions { MaxRequestBytes = 256 });
        string response = await ExchangeAsync(port, "GET /metrics HTTP/1.1\r\nX-Padding: " + new string('a', 300) + "\r\n\r\n");
        Assert.That(response, Does.StartWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
    }

    [Test]
    public async Task Request_NotSentInTime_Gets408()
    {
        int port = Start(new MetricsServerOptions { RequestTimeout = TimeSpan.FromMilliseconds(200) });
        using var socket = await ConnectAsync(port);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\n"), SocketFlags.None);
        Assert.That(await ReadToEndAsync(socket), Does.StartWith("HTTP/1.1 408 Request Timeout\r\n"));
    }

    [Test]
    public async Task Clients_OneMoreThanTheLimit_Gets503AndIsCountedWhileTheOthersAreServed()
    {
        int port = Start(new MetricsServerOptions { MaxConnections = 2 });
        using var first = await ConnectAsync(port);
        using var second = await ConnectAsync(port);
        // Both hold their places (silent); the accept queue is first come, first served, so
        // the third connection is the one over the limit.
        string refused = await ExchangeAsync(port, "GET /metrics HTTP/1.1\r\n\r\n");
        Assert.That(refused, Does.StartWith("HTTP/1.1 503 Service Unavailable\r\n"));
        Assert.That(_server.Status!.Refused, Is.EqualTo(1));

        await first.SendAsync(Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\n\r\n"), SocketFlags.None);
        Assert.That(await ReadToEndAsync(first), Does.StartWith("HTTP/1.1 200 OK"));
        first.Dispose();
        second.Dispose();
        // Places are given back: a new client is served.
        Assert.That(await PollAsync(async () => (await ExchangeAsync(port, "GET /metrics HTTP/1.1\r\n\r\n")).StartsWith("HTTP/1.1 200", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Status_CountsResponsesByCode()
    {
        int port = Start();
        await ExchangeAsync(port, "GET /metrics HTTP/1.1\r\n\r\n");
        await ExchangeAsync(port, "GET /metrics HTTP/1.1\r\n\r\n");
        await ExchangeAsync(port, "GET /nope HTTP/1.1\r\n\r\n");
        Assert.That(await PollAsync(() => _server.Status!.Responses.Sum(r => r.Count) == 3), Is.True);
        var status = _server.Status!;
        Assert.That(status.Responses, Is.EqualTo(new[] { (200, 2L), (404, 1L) }));
        Assert.That(status.Listening, Is.True);
        Assert.That(status.Endpoint, Is.EqualTo($"tcp 127.0.0.1:{port}"));
    }

    [Test]
    public async Task Apply_None_StopsListeningAndForgets()
    {
        int port = Start();
        var outcome = await _loop.InvokeAsync(() => _server.Apply(new MetricsCommand((ServerEndpoint?)null)));
        Assert.That(outcome.Error, Is.Null);
        Assert.That(_server.Status, Is.Null);
        Assert.That(_server.LocalEndPoint, Is.Null);
        Assert.That(async () => await ConnectAsync(port), Throws.InstanceOf<SocketException>());
    }

    [Test]
    public async Task Apply_PortTaken_FailsAndSaysWhy()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        Start();
        var (command, _) = MetricsCommand.Parse([$"127.0.0.1:{port}"]);
        var outcome = await _loop.InvokeAsync(() => _server.Apply(command!));
        Assert.That(outcome.Error, Does.StartWith($"set metrics: cannot listen: tcp 127.0.0.1:{port}: "));
        Assert.That(_server.Status, Is.Not.Null.And.Property(nameof(MetricsServerStatus.Listening)).False);
    }

    private static async Task<bool> PollAsync(Func<bool> condition) => await PollAsync(() => Task.FromResult(condition()));

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return true;
            await Task.Delay(20);
        }
        return false;
    }
}
