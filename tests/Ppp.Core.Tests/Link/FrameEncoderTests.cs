using System.Buffers;
using NUnit.Framework;
using Ppp.Core.Framing;
using Ppp.Core.Link;
using Ppp.Core.Tests.Framing;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Link;

[TestFixture]
public sealed class FrameEncoderTests
{
    private static readonly LinkParameters Negotiated = LinkParameters.Default with
    {
        TransmitAccm = Accm.None,
        AddressControlCompression = true,
        ProtocolCompression = true,
    };

    [Test]
    public void Encode_DataFrameWithNegotiatedParameters_CompressedAndControlCharactersRaw()
    {
        var output = new ArrayBufferWriter<byte>();

        new FrameEncoder().Encode(Negotiated, (ushort)PppProtocol.Ip, [0x45, 0x01], output);

        // Flag, PFC protocol 21, 45 01 raw (ACCM 0), FCS, flag: no ff 03.
        Assert.That(output.WrittenSpan[1], Is.EqualTo(0x21));
        Assert.That(output.WrittenSpan.IndexOf((byte)0x7d), Is.EqualTo(-1).Or.GreaterThan(4));
        Assert.That(Decode(output.WrittenSpan), Is.EqualTo(new[] { "0021:4501" }));
    }

    [Test]
    public void Encode_LcpWithNegotiatedParameters_StillFullyEscapedAndUncompressed()
    {
        var output = new ArrayBufferWriter<byte>();

        new FrameEncoder().Encode(Negotiated, (ushort)PppProtocol.Lcp, [9, 1, 0, 8, 0, 0, 0, 1], output);

        // RFC 1661 §6.5-6.6, RFC 1662 §7.1: 7e ff 7d 23 c0 21 7d 29 7d 21 ...
        Assert.That(output.WrittenSpan[..8].ToArray(), Is.EqualTo(new byte[] { 0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, 0x7d, 0x29 }));
        Assert.That(Decode(output.WrittenSpan), Is.EqualTo(new[] { "c021:0901000800000001" }));
    }

    [Test]
    public void Encode_NewSnapshot_TakesEffectFromTheNextFrame()
    {
        var encoder = new FrameEncoder();
        var first = new ArrayBufferWriter<byte>();
        var second = new ArrayBufferWriter<byte>();

        encoder.Encode(LinkParameters.Default, (ushort)PppProtocol.Ip, [0x45, 0x01], first);
        encoder.Encode(Negotiated with { ExtraEscapes = new byte[] { 0x45 } }, (ushort)PppProtocol.Ip, [0x45, 0x01], second);

        Assert.Multiple(() =>
        {
            Assert.That(first.WrittenSpan[1..7].ToArray(), Is.EqualTo(new byte[] { 0xff, 0x7d, 0x23, 0x7d, 0x20, 0x21 }), "defaults: ff 03, a two-octet protocol, control characters escaped");
            Assert.That(second.WrittenSpan[1..4].ToArray(), Is.EqualTo(new byte[] { 0x21, 0x7d, 0x65 }), "PFC, and 0x45 escaped as set escape asks");
        });
    }

    private static List<string> Decode(ReadOnlySpan<byte> wire)
    {
        var frames = new FrameRecorder();
        new HdlcDecoder().Decode(wire, frames);
        return [.. frames.Describe()];
    }
}
