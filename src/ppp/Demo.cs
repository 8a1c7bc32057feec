using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Wire;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Logging;
using Ppp.Daemon.Runtime;

namespace Ppp.Daemon;

/// <summary>
/// `ppp -demo`: two links in one process, joined by pipes, on the real clock. The "server"
/// demands CHAP from the "client", assigns it an address and DNS servers; both bring up IPCP
/// and IPV6CP, exchange an IPv4 packet, and the client hangs up. Every step is logged as
/// ppp(8) logs it. Needs no root, no device and no network. Each side is run as the daemon
/// runs a line (<see cref="LinkDriver"/>: reader thread, writer thread, link loop); only the
/// line is a pair of in-memory pipes.
/// </summary>
internal static class Demo
{
    private const string DemoUser = "demo";
    private const string DemoKey = "demo-key";

    public static async Task<int> RunAsync(TextWriter output, AuthProtocol auth)
    {
        using var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(LogRouter.Everything(output)));
        var serverLogs = new PrefixedLoggerFactory(loggers, "server");
        var clientLogs = new PrefixedLoggerFactory(loggers, "client");

        var toServer = new Pipe();
        var toClient = new Pipe();
        var serverSink = new RecordingSink();
        var clientSink = new RecordingSink();
        var secrets = new InMemorySecretStore([new(DemoUser, DemoKey)]);

        await using var serverLoop = new LinkLoop(serverLogs.CreateLogger("Phase"));
        await using var clientLoop = new LinkLoop(clientLogs.CreateLogger("Phase"));
        var server = new LinkDriver(PipeLine("server", toServer, toClient), null, Options("server", auth, serverLogs),
            serverLoop, TimeProvider.System, serverSink, serverLogs, SystemRandomSource.Instance, secrets);
        var client = new LinkDriver(PipeLine("client", toClient, toServer), null, Options("client", AuthProtocol.None, clientLogs),
            clientLoop, TimeProvider.System, clientSink, clientLogs, SystemRandomSource.Instance, secrets);
        try
        {
            serverLoop.Post(() => server.Start(_ => server.Link.LowerDown()));
            clientLoop.Post(() => client.Start(_ => client.Link.LowerDown()));

            if (!await WaitAsync(() => server.Link.IsNetworkUp && client.Link.IsNetworkUp, TimeSpan.FromSeconds(20)).ConfigureAwait(false))
            {
                await output.WriteLineAsync("demo: negotiation did not complete within 20 s").ConfigureAwait(false);
                return 1;
            }

            var ip = await clientLoop.InvokeAsync(() => client.Link.NetworkProtocolHandler<IpcpHandler>().Result!).ConfigureAwait(false);
            var ip6 = await clientLoop.InvokeAsync(() => client.Link.NetworkProtocolHandler<Ipv6cpHandler>().Result!).ConfigureAwait(false);
            byte[] packet = Ipv4Packet(ip.LocalAddress!, ip.RemoteAddress!);
            bool sent = client.Link.SendNetworkPacket((ushort)PppProtocol.Ip, packet);
            bool delivered = await WaitAsync(() => serverSink.Count > 0, TimeSpan.FromSeconds(5)).ConfigureAwait(false);

            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"demo: client authenticated to the server with {LcpHandler.DescribeAuthProtocol(auth)} as \"{server.Link.PeerName ?? "-"}\"").ConfigureAwait(false);
            await output.WriteLineAsync($"demo: client IPv4 {ip.LocalAddress} -> peer {ip.RemoteAddress}, DNS {ip.PrimaryDns} {ip.SecondaryDns}").ConfigureAwait(false);
            await output.WriteLineAsync($"demo: client IPv6 {ip6.LocalLinkLocal} -> peer {ip6.RemoteLinkLocal}").ConfigureAwait(false);
            await output.WriteLineAsync($"demo: one IPv4 packet client -> server: {(sent && delivered ? "delivered" : "LOST")}").ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);

            clientLoop.Post(() => client.Link.Close("demo finished"));
            bool closed = await WaitAsync(() => client.Link.Phase == LinkPhase.Dead && server.Link.Phase != LinkPhase.Network, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await output.WriteLineAsync(closed ? "demo: link closed cleanly" : "demo: link did not close within 15 s").ConfigureAwait(false);
            return sent && delivered && closed ? 0 : 1;
        }
        finally
        {
            await client.DisposeAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One side's line: it reads what the other side writes. Hanging up completes our writing
    /// end, so the other side reads the end of the line as after a real hang-up, and wakes our
    /// own reader (its read is cancelled).
    /// </summary>
    private static StreamDevice PipeLine(string side, Pipe input, Pipe output) =>
        new($"{side} pipe", input.Reader.AsStream(), output.Writer.AsStream(), async () =>
        {
            await output.Writer.CompleteAsync().ConfigureAwait(false);
            input.Reader.CancelPendingRead();
        });

    private static PppLinkOptions Options(string side, AuthProtocol requirePeer, ILoggerFactory loggers)
    {
        bool server = side == "server";
        var ipcp = new IpcpHandler(
            new IpcpConfig
            {
                IfAddr = IfAddr.Parse(server ? ["10.0.0.1", "10.0.0.2"] : ["0.0.0.0/0", "10.0.0.1/32"]).Value!,
                AcceptDns = server,
                EnableDns = !server,
                PrimaryDns = server ? IPAddress.Parse("192.0.2.53") : null,
                SecondaryDns = server ? IPAddress.Parse("192.0.2.54") : null,
            },
            loggers.CreateLogger("IPCP"));
        var ipv6cp = new Ipv6cpHandler(new Ipv6cpConfig(), SystemRandomSource.Instance, loggers.CreateLogger("IPV6CP"));
        return new PppLinkOptions
        {
            Lcp = new LcpConfig
            {
                RequirePeerAuthentication = requirePeer == AuthProtocol.None ? [] : [requirePeer],
                EchoPeriod = TimeSpan.FromSeconds(10),
            },
            Auth = new AuthOptions
            {
                LocalName = side,
                Credentials = server ? null : new AuthCredentials(DemoUser, DemoKey),
            },
            NetworkProtocols =
            [
                new NetworkProtocolSpec(ipcp, (ushort)PppProtocol.Ip),
                new NetworkProtocolSpec(ipv6cp, (ushort)PppProtocol.Ipv6),
            ],
        };
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan limit)
    {
        var end = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > end)
                return false;
            await Task.Delay(20).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>A minimal IPv4 header (RFC 791), protocol ICMP, no payload; checksum left zero.</summary>
    private static byte[] Ipv4Packet(IPAddress source, IPAddress destination)
    {
        var p = new byte[20];
        p[0] = 0x45;
        p[3] = 20;
        p[8] = 64;
        p[9] = 1;
        source.TryWriteBytes(p.AsSpan(12), out _);
        destination.TryWriteBytes(p.AsSpan(16), out _);
        return p;
    }

    private sealed class RecordingSink : INetworkPacketSink
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public void Deliver(ushort protocol, ReadOnlySpan<byte> packet) => Interlocked.Increment(ref _count);
    }

    /// <summary>Puts "[side] " in front of every line so the two links' logs can be told apart.</summary>
    private sealed class PrefixedLoggerFactory(ILoggerFactory inner, string side) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger($"[{side}] {categoryName}");

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
        }
    }
}
