using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;
using Ppp.Daemon.Runtime;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Interop.Tests.Support;

/// <summary>
/// One of our <see cref="PppLink"/>s on a real peer's line, run the way the daemon runs it:
/// a single loop (a Channel with one reader) owns the protocol state and runs timers and
/// control frames; a reader task pushes the line's bytes into the decoder; frames are written
/// to the line's PipeWriter and flushed as they are made. The real clock: the peer's is real.
/// </summary>
/// <remarks>
/// The composition is the daemon's own <see cref="LinkRunner"/>; this class adds what tests
/// need around it (captured logs and packets, waiting for a condition).
/// </remarks>
internal sealed class CoreLink : IAsyncDisposable
{
    private readonly LinkRunner _runner;

    /// <param name="line">The peer's line; this link reads its input until disposed.</param>
    /// <param name="options">Makes the link options with the link's logger factory (see <see cref="Options"/>).</param>
    /// <param name="secrets">Names and keys of peers we authenticate.</param>
    public CoreLink(SerialLine line, Func<ILoggerFactory, PppLinkOptions> options, ISecretStore? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(line);
        _runner = new LinkRunner(options(Logs), line.Input, line.Output, Packets, Logs,
            secrets ?? InMemorySecretStore.Empty);
    }

    public PppLink Link => _runner.Link;

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

    /// <summary>Administrative open and lower layer up, as the daemon does once the device is connected.</summary>
    public void Start()
    {
        Post(Link.Open);
        Post(Link.LowerUp);
    }

    public void Post(Action action) => _runner.Post(action);

    /// <summary>Runs <paramref name="func"/> on the link loop, where reading protocol state is safe.</summary>
    public Task<T> InvokeAsync<T>(Func<PppLink, T> func) => _runner.InvokeAsync(func);

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

    public ValueTask DisposeAsync() => _runner.DisposeAsync();

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
