using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Tests.Support;
using Ppp.Core.Time;

namespace Ppp.Core.Tests.Protocols.Auth;

/// <summary>
/// Two authentication phases back to back on one manual clock. Sent packets go into a queue and
/// <see cref="Pump"/> delivers them one at a time, single-threaded; a filter can drop or alter them.
/// </summary>
internal sealed class AuthPair
{
    private readonly Queue<(Side To, ushort Protocol, byte[] Packet)> _queue = new();

    public AuthPair(AuthOptions optionsA, ISecretStore secretsA, AuthOptions optionsB, ISecretStore secretsB)
    {
        Scheduler = LinkScheduler.Inline(Clock);
        A = new Side(this, "A", optionsA, secretsA, 1);
        B = new Side(this, "B", optionsB, secretsB, 2);
        A.Other = B;
        B.Other = A;
    }

    public ManualTimeProvider Clock { get; } = new();
    public LinkScheduler Scheduler { get; }
    public CapturingLoggerFactory Logs { get; } = new();
    public Side A { get; }
    public Side B { get; }

    /// <summary>Decides the fate of each packet: return null to drop it, or the bytes to deliver.</summary>
    public Func<Side, ushort, byte[], int, byte[]?> Filter { get; set; } = (_, _, packet, _) => packet;

    public int Sent { get; private set; }

    public List<(string From, ushort Protocol, byte[] Packet)> Wire { get; } = [];

    public void Start(AuthProtocol aAuthenticatesBWith, AuthProtocol bAuthenticatesAWith)
    {
        A.Phase.Start(aAuthenticatesBWith, bAuthenticatesAWith);
        B.Phase.Start(bAuthenticatesAWith, aAuthenticatesBWith);
    }

    /// <summary>Delivers queued packets until none is left.</summary>
    public void Pump()
    {
        while (_queue.TryDequeue(out var item))
            item.To.Phase.Receive(item.Protocol, item.Packet);
    }

    /// <summary>Pumps, then lets time pass a second at a time until both sides completed or the limit is hit.</summary>
    public void Run(TimeSpan limit)
    {
        Pump();
        var end = Clock.GetUtcNow() + limit;
        while ((A.Result is null || B.Result is null) && Clock.GetUtcNow() < end)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Pump();
        }
    }

    private void Enqueue(Side from, ushort protocol, ReadOnlySpan<byte> payload)
    {
        byte[] copy = payload.ToArray();
        Wire.Add((from.Name, protocol, copy));
        byte[]? delivered = Filter(from, protocol, copy, Sent++);
        if (delivered is not null)
            _queue.Enqueue((from.Other!, protocol, delivered));
    }

    internal sealed class Side : IPacketOutput
    {
        private readonly AuthPair _pair;

        public Side(AuthPair pair, string name, AuthOptions options, ISecretStore secrets, int seed)
        {
            _pair = pair;
            Name = name;
            Phase = new AuthenticationPhase(this, pair.Scheduler, pair.Logs, secrets, options, new SeededRandomSource(seed));
            Phase.Completed += r =>
            {
                Completions++;
                Result = r;
            };
        }

        public string Name { get; }
        public Side? Other { get; set; }
        public AuthenticationPhase Phase { get; }
        public AuthResult? Result { get; private set; }
        public int Completions { get; private set; }

        public void Send(ushort protocol, ReadOnlySpan<byte> payload) => _pair.Enqueue(this, protocol, payload);
    }
}
