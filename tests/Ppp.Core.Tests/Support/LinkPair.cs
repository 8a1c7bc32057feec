using System.Net;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Time;

namespace Ppp.Core.Tests.Support;

/// <summary>How the simulated line between two links misbehaves, per frame.</summary>
public sealed record LineFaults(double Loss = 0, double Duplicate = 0, double Reorder = 0, double Corrupt = 0, int Seed = 1)
{
    public static LineFaults None { get; } = new();
}

/// <summary>
/// Two <see cref="PppLink"/>s joined back to back on one manual clock, single-threaded and
/// deterministic. Every frame one side writes passes a shim that may drop, duplicate, hold back
/// (reorder) or corrupt it before the other side reads it.
/// </summary>
internal sealed class LinkPair
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ManualLoop? _loop;

    /// <param name="loop">When given, the links' loop work (control frames, timer expiries) waits there and <see cref="Pump"/> runs it between deliveries; else it runs inline.</param>
    public LinkPair(Func<string, PppLinkOptions> options, LineFaults? faults = null, ISecretStore? secretsA = null, ISecretStore? secretsB = null,
        ManualLoop? loop = null)
    {
        faults ??= LineFaults.None;
        _loop = loop;
        var scheduler = loop is null ? LinkScheduler.Inline(_clock) : new LinkScheduler(_clock, loop.Post);
        A = new Side("A", options("A"), scheduler, secretsA ?? InMemorySecretStore.Empty, faults with { Seed = faults.Seed * 2 + 1 }, 11);
        B = new Side("B", options("B"), scheduler, secretsB ?? InMemorySecretStore.Empty, faults with { Seed = faults.Seed * 2 + 2 }, 22);
        A.Peer = B;
        B.Peer = A;
    }

    public Side A { get; }
    public Side B { get; }
    public ManualTimeProvider Clock => _clock;

    /// <summary>Both sides opened and connected, as two daemons whose line just came up.</summary>
    public void Start()
    {
        A.Link.Open();
        B.Link.Open();
        A.Link.LowerUp();
        B.Link.LowerUp();
        Pump();
    }

    /// <summary>Delivers queued bytes until the line is quiet.</summary>
    public void Pump()
    {
        _loop?.RunAll();
        for (int guard = 0; guard < 100_000 && (A.HasInbound || B.HasInbound); guard++)
        {
            A.DeliverOne();
            B.DeliverOne();
            _loop?.RunAll();
        }
    }

    /// <summary>Runs the line and the clock until <paramref name="done"/> holds or time runs out.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan limit)
    {
        var end = _clock.GetUtcNow() + limit;
        Pump();
        while (!done())
        {
            if (_clock.GetUtcNow() >= end)
                return false;
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            A.ReleaseHeld();
            B.ReleaseHeld();
            Pump();
        }
        return true;
    }

    public static PppLinkOptions DefaultOptions(string side, AuthOptions? auth = null, LcpConfig? lcp = null)
    {
        var factory = new CapturingLoggerFactory();
        bool a = side == "A";
        var ipcp = new IpcpHandler(
            new IpcpConfig
            {
                IfAddr = IfAddr.Parse(a ? ["10.0.0.1", "10.0.0.2"] : ["10.0.0.2", "10.0.0.1"]).Value!,
                EnableDns = !a,
                AcceptDns = a,
                PrimaryDns = a ? IPAddress.Parse("192.0.2.53") : null,
                SecondaryDns = a ? IPAddress.Parse("192.0.2.54") : null,
            },
            factory.CreateLogger("IPCP"));
        var ipv6cp = new Ipv6cpHandler(new Ipv6cpConfig(), new SeededRandomSource(a ? 6 : 7), factory.CreateLogger("IPV6CP"));
        return new PppLinkOptions
        {
            Name = "deflink",
            Lcp = lcp ?? new LcpConfig(),
            Auth = auth ?? new AuthOptions { LocalName = side },
            NetworkProtocols =
            [
                new NetworkProtocolSpec(ipcp, (ushort)Wire.PppProtocol.Ip),
                new NetworkProtocolSpec(ipv6cp, (ushort)Wire.PppProtocol.Ipv6),
            ],
        };
    }

    public sealed class Side : INetworkPacketSink
    {
        private readonly Queue<byte[]> _inbound = new();
        private readonly Random _random;
        private readonly LineFaults _faults;
        private byte[]? _held;

        internal Side(string name, PppLinkOptions options, LinkScheduler scheduler, ISecretStore secrets, LineFaults faults, int randomSeed)
        {
            Name = name;
            _faults = faults;
            _random = new Random(faults.Seed);
            Logs = new CapturingLoggerFactory();
            Output = new InlineFrameOutput(OnWritten);
            Link = new PppLink(options, scheduler, Output, this, Logs, new SeededRandomSource(randomSeed), secrets);
        }

        public string Name { get; }
        public PppLink Link { get; }
        public InlineFrameOutput Output { get; }
        public CapturingLoggerFactory Logs { get; }
        /// <summary>Where this side's frames go; pointing it at the side itself loops the line back.</summary>
        public Side Peer { get; set; } = null!;
        public List<(ushort Protocol, byte[] Packet)> Delivered { get; } = [];
        public long FramesDropped { get; private set; }
        public long FramesCorrupted { get; private set; }
        public long FramesDuplicated { get; private set; }
        public long FramesReordered { get; private set; }

        /// <summary>When false, frames this side writes vanish (the peer went silent).</summary>
        public bool Transmitting { get; set; } = true;

        /// <summary>When false, delivered packets are only counted (allocation measurements).</summary>
        public bool KeepDeliveries { get; set; } = true;

        public long DeliveredCount { get; private set; }

        internal bool HasInbound => _inbound.Count > 0;

        public bool Opened(ushort ncpProtocol) =>
            Link.NetworkControlProtocols.Any(f => f.Handler.Protocol == ncpProtocol && f.State == FsmState.Opened);

        public void Deliver(ushort protocol, ReadOnlySpan<byte> packet)
        {
            DeliveredCount++;
            if (KeepDeliveries)
                Delivered.Add((protocol, packet.ToArray()));
        }

        internal void DeliverOne()
        {
            if (_inbound.TryDequeue(out var bytes))
                Link.ReceiveBytes(bytes);
        }

        internal void ReleaseHeld()
        {
            if (_held is null)
                return;
            Peer._inbound.Enqueue(_held);
            _held = null;
        }

        private void OnWritten(ReadOnlySpan<byte> written)
        {
            var frame = written.ToArray();
            if (!Transmitting)
                return;
            if (_random.NextDouble() < _faults.Loss)
            {
                FramesDropped++;
                return;
            }
            if (_random.NextDouble() < _faults.Corrupt && frame.Length > 2)
            {
                // Flip one bit inside the frame, never the flags: the FCS must catch it.
                int at = 1 + _random.Next(frame.Length - 2);
                frame[at] ^= (byte)(1 << _random.Next(8));
                if (frame[at] == 0x7e)
                    frame[at] ^= 0x01;
                FramesCorrupted++;
            }
            if (_random.NextDouble() < _faults.Reorder && _held is null)
            {
                _held = frame;
                FramesReordered++;
                return;
            }
            Peer._inbound.Enqueue(frame);
            if (_held is not null)
                ReleaseHeld();
            if (_random.NextDouble() < _faults.Duplicate)
            {
                Peer._inbound.Enqueue(frame);
                FramesDuplicated++;
            }
        }
    }
}
