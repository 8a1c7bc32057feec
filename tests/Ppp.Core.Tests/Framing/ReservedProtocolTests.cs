using NUnit.Framework;
using Ppp.Core.Framing;

namespace Ppp.Core.Tests.Framing;

[TestFixture]
public class ReservedProtocolTests
{
    /// <summary>
    /// Protocol 0x00ff compressed to one octet behind an omitted address/control field would
    /// read as the address field (found by the round-trip property with FsCheck replay seed
    /// 2198344149319712397,7412595519522407775). The encoder keeps it two octets long.
    /// </summary>
    [Test]
    public void Encode_Protocol00ffWithAcfcAndPfc_DecodesBack()
    {
        var encoder = new HdlcEncoder { AddressControlCompression = true, ProtocolCompression = true, TransmitAccm = 0 };
        var frame = new byte[HdlcEncoder.MaxEncodedLength(2)];
        int n = encoder.Encode(0x00ff, [0x87], frame);
        var decoder = new HdlcDecoder();
        var sink = new Sink();

        decoder.Decode(frame.AsSpan(0, n), sink);

        Assert.That(sink.Frames, Is.EqualTo(new[] { (0x00ff, "87") }));
        Assert.That(decoder.Counters.Errors, Is.Zero);
    }

    private sealed class Sink : IHdlcFrameHandler
    {
        public List<(int, string)> Frames { get; } = [];

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Frames.Add((protocol, Convert.ToHexString(information)));
    }
}
