using System.Buffers;
using NUnit.Framework;
using Ppp.Core.Framing;
using Ppp.Core.Link;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Link;

[TestFixture]
public sealed class FrameTransmitterTests
{
    [Test]
    public void Send_Default_FlushesEachFrame()
    {
        var output = new ArrayBufferWriter<byte>();
        int flushes = 0;
        var transmitter = new FrameTransmitter(output, () => flushes++);

        transmitter.Send((ushort)PppProtocol.Ip, [0x45, 1, 2]);
        transmitter.Send((ushort)PppProtocol.Ip, [0x45, 3, 4]);

        Assert.That(flushes, Is.EqualTo(2));
    }

    [Test]
    public void Send_Unflushed_FramesWaitForOneFlushAndDecodeInOrder()
    {
        var output = new ArrayBufferWriter<byte>();
        int flushes = 0;
        var transmitter = new FrameTransmitter(output, () => flushes++);

        transmitter.Send((ushort)PppProtocol.Ip, [0x45, 1, 2], flush: false);
        transmitter.Send((ushort)PppProtocol.Ipv6, [0x60, 0x7e, 0x7d], flush: false);
        int beforeFlush = flushes;
        transmitter.Flush();

        var frames = new CollectingHandler();
        new HdlcDecoder().Decode(output.WrittenSpan, frames);
        Assert.Multiple(() =>
        {
            Assert.That(beforeFlush, Is.Zero);
            Assert.That(flushes, Is.EqualTo(1));
            Assert.That(transmitter.Frames, Is.EqualTo(2));
            Assert.That(frames.Protocols, Is.EqualTo(new ushort[] { (ushort)PppProtocol.Ip, (ushort)PppProtocol.Ipv6 }));
            Assert.That(frames.Payloads[1], Is.EqualTo(new byte[] { 0x60, 0x7e, 0x7d }));
        });
    }

    [Test]
    public void Send_ControlAfterUnflushed_FlushesBoth()
    {
        var output = new ArrayBufferWriter<byte>();
        int flushes = 0;
        var transmitter = new FrameTransmitter(output, () => flushes++);

        transmitter.Send((ushort)PppProtocol.Ip, [0x45, 1, 2], flush: false);
        transmitter.Send((ushort)PppProtocol.Lcp, [9, 1, 0, 8, 0, 0, 0, 0]);

        var frames = new CollectingHandler();
        new HdlcDecoder().Decode(output.WrittenSpan, frames);
        Assert.That(flushes, Is.EqualTo(1));
        Assert.That(frames.Protocols, Has.Count.EqualTo(2));
    }

    private sealed class CollectingHandler : IHdlcFrameHandler
    {
        public List<ushort> Protocols { get; } = [];

        public List<byte[]> Payloads { get; } = [];

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
        {
            Protocols.Add(protocol);
            Payloads.Add(information.ToArray());
        }
    }
}
