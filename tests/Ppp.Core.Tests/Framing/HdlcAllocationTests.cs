using System.Buffers;
using NUnit.Framework;
using Ppp.Core.Framing;

namespace Ppp.Core.Tests.Framing;

[TestFixture]
[NonParallelizable]
public sealed class HdlcAllocationTests
{
    [TestCase(0u, FcsKind.Fcs16)]
    [TestCase(0xffffffffu, FcsKind.Fcs16)]
    [TestCase(0u, FcsKind.Fcs32)]
    public void EncodeDecode_SteadyState_AllocatesNothingPerFrame(uint accm, FcsKind fcs)
    {
        var encoder = new HdlcEncoder { TransmitAccm = accm, Fcs = fcs, AddressControlCompression = true, ProtocolCompression = true };
        var decoder = new HdlcDecoder(2000, fcs) { ReceiveAccm = accm };
        var counter = new FrameCounter();
        byte[] information = FcsTests.RandomBytes(new Random(1), 1500);
        byte[] wire = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        var writer = new ArrayBufferWriter<byte>(HdlcEncoder.MaxEncodedLength(information.Length) * 2);

        void RoundTrip()
        {
            int length = encoder.Encode(0x0021, information, wire);
            decoder.Decode(wire.AsSpan(0, length), counter);
            length = encoder.Encode(0xc021, information.AsSpan(0, 64), wire, controlFrame: true);
            decoder.Decode(wire.AsSpan(0, length), counter);
            writer.ResetWrittenCount();
            encoder.Encode(0x0057, information, writer);
            decoder.Decode(writer.WrittenSpan, counter);
            decoder.DecodeSynchronous(information.AsSpan(0, 100), counter);
        }

        for (int i = 0; i < 100; i++)
        {
            RoundTrip(); // JIT, tiering, static tables
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            RoundTrip();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(counter.Count, Is.EqualTo(1100 * 3));
    }
}
