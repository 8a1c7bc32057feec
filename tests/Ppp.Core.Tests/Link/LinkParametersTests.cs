using NUnit.Framework;
using Ppp.Core.Framing;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Tests.Framing;
using Ppp.Core.Tests.Support;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Link;

/// <summary>
/// The snapshot the link loop publishes for the data path: the loop never touches the
/// decoder; the reader applies a new snapshot before the next read it decodes.
/// </summary>
[TestFixture]
public sealed class LinkParametersTests
{
    private const ushort Ipcp = (ushort)PppProtocol.Ipcp;
    private const uint XonXoff = 0x000a0000;

    [Test]
    public void LcpUp_NegotiatedAccmAndMru_PublishedOnTheLoopAndAppliedByTheReaderOnItsNextRead()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side, lcp: side == "A" ? new LcpConfig { Accm = XonXoff, Mru = 1000 } : null));
        uint? decoderAccmWhenPublished = null;
        int? decoderMruWhenPublished = null;
        LinkParameters? published = null;
        pair.A.Link.LcpHandler.Up += _ =>
        {
            // Runs on the loop right after the link published: the decoder is still as it was.
            published = pair.A.Link.Parameters;
            decoderAccmWhenPublished = pair.A.Link.Decoder.ReceiveAccm;
            decoderMruWhenPublished = pair.A.Link.Decoder.MaxFrameSize;
        };

        pair.Start();
        Assert.That(pair.RunUntil(() => pair.A.Opened(Ipcp) && pair.B.Opened(Ipcp), TimeSpan.FromSeconds(30)), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(published!.ReceiveAccm, Is.EqualTo(XonXoff));
            Assert.That(published.MaxReceiveFrame, Is.EqualTo(1502), "never below 1500 + the protocol field");
            Assert.That(decoderAccmWhenPublished, Is.Zero, "the loop must not set the reader's decoder");
            Assert.That(decoderMruWhenPublished, Is.EqualTo(1002), "our configured MRU until LCP opened");
            Assert.That(pair.A.Link.Decoder.ReceiveAccm, Is.EqualTo(XonXoff), "picked up by a later read");
            Assert.That(pair.A.Link.Decoder.MaxFrameSize, Is.EqualTo(1502));
            // The other half of the same snapshot: B escapes what A asked for, A's output got it.
            Assert.That(pair.B.Output.Parameters.TransmitAccm, Is.EqualTo(XonXoff));
            Assert.That(pair.B.Output.Parameters, Is.SameAs(pair.B.Link.Parameters));
        });
    }

    [Test]
    public void ReceiveBytes_FrameOverTheIdleMruThenAfterLcpUp_OversizeBeforeDeliveredAfter()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side, lcp: side == "A" ? new LcpConfig { Mru = 1000 } : null));
        var packet = new byte[1400];
        packet[0] = 0x45;
        byte[] frame = Frame((ushort)PppProtocol.Ip, packet);

        pair.A.Link.LowerUp();
        pair.A.Link.ReceiveBytes(frame);
        long oversizeBefore = pair.A.Link.HdlcCounters.Oversize;
        pair.A.Link.LowerDown();

        pair.Start();
        Assert.That(pair.RunUntil(() => pair.A.Opened(Ipcp) && pair.B.Opened(Ipcp), TimeSpan.FromSeconds(30)), Is.True);
        pair.A.Link.ReceiveBytes(frame);

        Assert.Multiple(() =>
        {
            Assert.That(oversizeBefore, Is.EqualTo(1), "1400 octets over the MRU of 1000 we start with");
            Assert.That(pair.A.Link.HdlcCounters.Oversize, Is.EqualTo(1), "the snapshot LCP published allows 1500");
            Assert.That(pair.A.Delivered.Select(d => d.Packet.Length), Has.Member(1400));
        });
    }

    [Test]
    public void LowerUp_HalfAFrameDecodedBefore_NewEpochDiscardsIt()
    {
        var link = SingleLink(out _);
        byte[] frame = Frame((ushort)PppProtocol.Lcp, [9, 1, 0, 8, 0, 0, 0, 0]);
        link.LowerUp();
        link.ReceiveBytes(frame.AsSpan(0, 6));
        long framesBefore = link.HdlcCounters.Frames;

        link.LowerDown();
        link.LowerUp();
        link.ReceiveBytes(frame.AsSpan(6));
        long afterRest = link.HdlcCounters.Frames;
        link.ReceiveBytes(frame);

        Assert.Multiple(() =>
        {
            Assert.That(link.Parameters.Epoch, Is.EqualTo(2));
            Assert.That(afterRest, Is.EqualTo(framesBefore), "the two halves must not join across the new epoch");
            Assert.That(link.HdlcCounters.BadFcs, Is.Zero);
            Assert.That(link.HdlcCounters.Frames, Is.EqualTo(framesBefore + 1), "a whole frame after it decodes");
        });
    }

    [Test]
    public void ReceiveDropped_NetworkPacketOnTheReaderAndNcpPacketOnTheLoop_SumsBoth()
    {
        var link = SingleLink(out _);
        link.Open();
        link.LowerUp();

        // Before IPCP is Opened: judged on the reader thread. Before LCP is Opened: on the loop.
        link.ReceiveBytes(Frame((ushort)PppProtocol.Ip, [0x45, 0, 0, 20]));
        link.ReceiveBytes(Frame(Ipcp, [1, 1, 0, 4]));

        Assert.Multiple(() =>
        {
            Assert.That(link.Counters.DataReceiveDropped, Is.EqualTo(1));
            Assert.That(link.Counters.ControlReceiveDropped, Is.EqualTo(1));
            Assert.That(link.Counters.ReceiveDropped, Is.EqualTo(2));
        });
    }

    [Test]
    public void ControlOutputRefuses_ManyFrames_CountedAsTransmitDropsAndLoggedOncePerInterval()
    {
        var clock = new ManualTimeProvider();
        var logs = new CapturingLoggerFactory();
        var output = new RefusingOutput();
        var link = new PppLink(LinkPair.DefaultOptions("A"), LinkScheduler.Inline(clock), output, new NullSink(), logs,
            new SeededRandomSource(1), InMemorySecretStore.Empty);

        link.Open();
        link.LowerUp(); // Configure-Request, refused
        for (int i = 0; i < 3; i++)
            clock.Advance(TimeSpan.FromSeconds(3)); // restart timer: Configure-Request again, refused

        var dropLines = logs.Text.Where(l => l.Contains("control queue is full", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(output.Refused, Is.GreaterThanOrEqualTo(4));
            Assert.That(link.Counters.ControlFramesDropped, Is.EqualTo(output.Refused));
            Assert.That(link.Counters.TransmitDropped, Is.EqualTo(output.Refused));
            Assert.That(dropLines, Has.Count.EqualTo(1), "9 s of drops: one line per 10 s");
        });
    }

    private static PppLink SingleLink(out InlineFrameOutput output)
    {
        output = new InlineFrameOutput(_ => { });
        return new PppLink(LinkPair.DefaultOptions("A"), LinkScheduler.Inline(new ManualTimeProvider()), output, new NullSink(),
            new CapturingLoggerFactory(), new SeededRandomSource(1), InMemorySecretStore.Empty);
    }

    private static byte[] Frame(ushort protocol, byte[] payload)
    {
        var encoder = new HdlcEncoder();
        var frame = new byte[HdlcEncoder.MaxEncodedLength(payload.Length)];
        return frame.AsSpan(0, encoder.Encode(protocol, payload, frame)).ToArray();
    }

    private sealed class RefusingOutput : IFrameOutput
    {
        public int Refused { get; private set; }

        public void Publish(LinkParameters parameters)
        {
        }

        public bool TrySendControl(ushort protocol, ReadOnlySpan<byte> payload)
        {
            Refused++;
            return false;
        }

        public bool SendData(ushort protocol, ReadOnlySpan<byte> packet) => false;

        public void FlushData()
        {
        }
    }

    private sealed class NullSink : INetworkPacketSink
    {
        public void Deliver(ushort protocol, ReadOnlySpan<byte> packet)
        {
        }
    }
}
