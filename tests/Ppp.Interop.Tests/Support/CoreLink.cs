using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Wire;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Runtime;
using Ppp.Tun.Tty;

namespace Ppp.Interop.Tests.Support;

/// <summary>
/// One of our <see cref="PppLink"/>s on a real peer's line, run exactly as the daemon runs a
/// line: the peer's pty opened as the daemon opens a tty (<see cref="TtyDevice"/>: UUCP lock,
/// raw termios), and the daemon's <see cref="LinkDriver"/> over it: the device reader thread,
/// the device writer with its priority lane, and one <see cref="LinkLoop"/> that owns the
/// protocol state. The real clock: the peer's is real.
/// </summary>
/// <remarks>
/// This class adds only what tests need around the driver: captured logs and packets, and
/// waiting for a condition on the loop.
/// </remarks>
internal sealed class CoreLink : IAsyncDisposable
{
    private readonly string _lockDirectory = Directory.CreateTempSubdirectory("corelink-lock-").FullName;
    private readonly LinkLoop _loop;
    private readonly LinkDriver _driver;

    /// <param name="linePath">The peer's line (the host side of the VM's serial port, a pty).</param>
    /// <param name="options">Makes the link options with the link's logger factory (see <see cref="Options"/>).</param>
    /// <param name="secrets">Names and keys of peers we authenticate.</param>
    public CoreLink(string linePath, Func<ILoggerFactory, PppLinkOptions> options, ISecretStore? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(linePath);
        var device = TtyDevice.Open(linePath, new TtyOpenOptions(new TtySettings(), RequireCarrier: false, _lockDirectory),
            Logs.CreateLogger("Physical"));
        _loop = new LinkLoop(Logs.CreateLogger("Phase"));
        _driver = new LinkDriver(device, null, options(Logs), _loop, TimeProvider.System, Packets, Logs,
            SystemRandomSource.Instance, secrets ?? InMemorySecretStore.Empty);
    }

    public PppLink Link => _driver.Link;

    /// <summary>The line's writer (frames written, write failures).</summary>
    public DeviceWriter Writer => _driver.Writer;

    /// <summary>Every log line of the link (ppp(8) categories: Phase, LCP, CHAP, IPCP, ...).</summary>
    public LogLines Logs { get; } = new();

    /// <summary>IPv4/IPv6 packets the link delivered (what the daemon would write to the tun).</summary>
    public PacketSink Packets { get; } = new();

    /// <summary>
    /// Link options for a test: our name and credentials, the protocols we require from the
    /// peer, IPCP with <paramref name="ifaddr"/> (ppp(8) `set ifaddr` words) and IPV6CP.
    /// </summary>
    public static PppLinkOptions Options(
        string localName,
        AuthCredentials? credentials,
        IReadOnlyList<AuthProtocol> requirePeer,
        string[] ifaddr,
        ILoggerFactory logs)
    {
        (IfAddr? parsed, string? error) = IfAddr.Parse(ifaddr);
        var ipcp = new IpcpHandler(
            new IpcpConfig { IfAddr = parsed ?? throw new ArgumentException(error, nameof(ifaddr)) },
            logs.CreateLogger("IPCP"));
        var ipv6cp = new Ipv6cpHandler(new Ipv6cpConfig(), SystemRandomSource.Instance, logs.CreateLogger("IPV6CP"));
        return new PppLinkOptions
        {
            Name = localName,
            Lcp = new LcpConfig { RequirePeerAuthentication = requirePeer },
            Auth = new AuthOptions { LocalName = localName, Credentials = credentials },
            NetworkProtocols =
            [
                new NetworkProtocolSpec(ipcp, (ushort)PppProtocol.Ip),
                new NetworkProtocolSpec(ipv6cp, (ushort)PppProtocol.Ipv6),
            ],
        };
    }

    /// <summary>Writer, administrative open, lower layer up and the reader, as the daemon does once the device is connected.</summary>
    public void Start() => Post(() => _driver.Start(_ => Link.LowerDown()));

    public void Post(Action action) => _loop.Post(action);

    /// <summary>Runs <paramref name="func"/> on the link loop, where reading protocol state is safe.</summary>
    public Task<T> InvokeAsync<T>(Func<PppLink, T> func) => _loop.InvokeAsync(() => func(Link));

    /// <summary>Polls <paramref name="condition"/> on the loop; throws with our log when it stays false.</summary>
    public async Task WaitUntilAsync(Func<PppLink, bool> condition, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await InvokeAsync(condition))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds} s (phase {Link.Phase}, " +
                                           $"LCP {Link.Lcp.State}, last failure '{Link.LastFailure}'). Our log:\n{Logs}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _driver.DisposeAsync();
        await _loop.DisposeAsync();
        Directory.Delete(_lockDirectory, recursive: true);
    }

    internal sealed class PacketSink : INetworkPacketSink
    {
        public ConcurrentQueue<(ushort Protocol, byte[] Packet)> Received { get; } = new();

        public void Deliver(ushort protocol, ReadOnlySpan<byte> packet) => Received.Enqueue((protocol, packet.ToArray()));
    }
}

/// <summary>A logger factory that keeps every line, "Category: message", for assertions and failure messages.</summary>
internal sealed class LogLines : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public void Add(string line) => _lines.Enqueue(line);

    public override string ToString() => string.Join('\n', _lines);

    private sealed class Logger(LogLines owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
    }
}
