using Ppp.Core.Framing;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Support;

/// <summary>
/// One <see cref="PppLink"/> facing a peer the test writes packet by packet (a buggy or
/// hostile one), on a manual clock with inline dispatch. Everything the link sends is decoded
/// into <see cref="Sent"/>; the test answers with <see cref="Send"/>.
/// </summary>
internal sealed class ScriptedPeer : IHdlcFrameHandler
{
    private readonly HdlcDecoder _decoder = new(65535);
    private readonly HdlcEncoder _encoder = new();
    private int _seen;

    public ScriptedPeer(PppLinkOptions options)
    {
        Logs = new CapturingLoggerFactory();
        Link = new PppLink(options, LinkScheduler.Inline(Clock), new InlineFrameOutput(b => _decoder.Decode(b, this)), new NullSink(),
            Logs, new SeededRandomSource(3), InMemorySecretStore.Empty);
    }

    public ManualTimeProvider Clock { get; } = new();

    public PppLink Link { get; }

    public CapturingLoggerFactory Logs { get; }

    /// <summary>Control packets the link sent: protocol, then code, id, length, data.</summary>
    public List<(ushort Protocol, byte[] Packet)> Sent { get; } = [];

    /// <summary>The link's packets not yet looked at by <see cref="TakeNew"/>.</summary>
    public IEnumerable<(ushort Protocol, byte[] Packet)> TakeNew()
    {
        var fresh = Sent.Skip(_seen).ToList();
        _seen = Sent.Count;
        return fresh;
    }

    /// <summary>How many packets of <paramref name="protocol"/> with <paramref name="code"/> the link sent.</summary>
    public int Count(ushort protocol, ControlCode code) => Sent.Count(s => s.Protocol == protocol && s.Packet[0] == (byte)code);

    /// <summary>Sends the link one control packet: code, identifier, then <paramref name="data"/> (length filled in).</summary>
    public void Send(ushort protocol, ControlCode code, byte identifier, ReadOnlySpan<byte> data)
    {
        byte[] packet = new byte[4 + data.Length];
        packet[0] = (byte)code;
        packet[1] = identifier;
        packet[2] = (byte)(packet.Length >> 8);
        packet[3] = (byte)packet.Length;
        data.CopyTo(packet.AsSpan(4));
        byte[] frame = new byte[HdlcEncoder.MaxEncodedLength(packet.Length)];
        Link.ReceiveBytes(frame.AsSpan(0, _encoder.Encode(protocol, packet, frame)));
    }

    /// <summary>Acks every Configure-Request of <paramref name="protocol"/> the link sent since the last look.</summary>
    public void AckRequests(IEnumerable<(ushort Protocol, byte[] Packet)> fresh, params ushort[] protocols)
    {
        foreach (var (protocol, packet) in fresh)
        {
            if (protocols.Contains(protocol) && packet[0] == (byte)ControlCode.ConfigureRequest)
                Send(protocol, ControlCode.ConfigureAck, packet[1], packet.AsSpan(4));
        }
    }

    void IHdlcFrameHandler.OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Sent.Add((protocol, information.ToArray()));

    private sealed class NullSink : INetworkPacketSink
    {
        public void Deliver(ushort protocol, ReadOnlySpan<byte> packet)
        {
        }
    }
}
