using System.Buffers;
using NUnit.Framework;
using Ppp.Core.Framing;

namespace Ppp.Core.Tests.Framing;

[TestFixture]
public sealed class HdlcEncoderTests
{
    // pppd 2.4.9's first LCP Configure-Request (Data/pppd/lcp-confreq.bin):
    // <asyncmap 0x0> <magic 0x6bd4af6a> <pcomp> <accomp>
    private const string PppdConfReqPayload = "01 01 00 14 02 06 00 00 00 00 05 06 6b d4 af 6a 07 02 08 02";
    private const string PppdConfReqWire =
        "7e ff 7d 23 c0 21 7d 21 7d 21 7d 20 7d 34 7d 22 7d 26 7d 20 7d 20 7d 20 7d 20 7d 25 7d 26 6b d4 " +
        "af 6a 7d 27 7d 22 7d 28 7d 22 b6 ae 7e";

    [TestCase(Accm.All, false, false)]
    [TestCase(Accm.None, false, false)]
    [TestCase(Accm.None, true, true)]
    [TestCase(0x000a0000u, true, false)]
    public void EncodeControlFrame_PppdLcpConfReq_MatchesCapturedBytes(uint accm, bool acfc, bool pfc)
    {
        var encoder = new HdlcEncoder { TransmitAccm = accm, AddressControlCompression = acfc, ProtocolCompression = pfc };
        byte[] output = new byte[HdlcEncoder.MaxEncodedLength(20)];

        int length = encoder.Encode(0xc021, Hex.Parse(PppdConfReqPayload), output, controlFrame: true);

        Assert.That(Convert.ToHexString(output, 0, length), Is.EqualTo(Convert.ToHexString(Hex.Parse(PppdConfReqWire))));
    }

    [TestCase(false, false, (ushort)0x0021, false, "ff030021")]
    [TestCase(true, false, (ushort)0x0021, false, "0021")]
    [TestCase(false, true, (ushort)0x0021, false, "ff0321")]
    [TestCase(true, true, (ushort)0x0021, false, "21")]
    [TestCase(true, true, (ushort)0x8021, false, "8021")]
    [TestCase(true, true, (ushort)0x00fd, false, "fd")]
    [TestCase(true, true, (ushort)0xc021, true, "ff03c021")]
    [TestCase(true, true, (ushort)0x0021, true, "ff030021")]
    public void EncodeSynchronous_CompressionSettings_WriteExpectedHeader(bool acfc, bool pfc, ushort protocol, bool control, string header)
    {
        var encoder = new HdlcEncoder { Synchronous = true, AddressControlCompression = acfc, ProtocolCompression = pfc };
        byte[] output = new byte[64];

        int length = encoder.Encode(protocol, [0x7e, 0x01], output, control);

        Assert.That(Convert.ToHexString(output, 0, length), Is.EqualTo((header + "7E01").ToUpperInvariant()));
    }

    [Test]
    public void Encode_FullCompressionEmptyPacket_KeepsTwoOctetProtocolSoFrameIsNotARunt()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0, AddressControlCompression = true, ProtocolCompression = true };
        byte[] output = new byte[HdlcEncoder.MaxEncodedLength(0)];

        int length = encoder.Encode(0x0021, [], output);

        Assert.That(output[1..3], Is.EqualTo(new byte[] { 0x00, 0x21 }));
        Assert.That(length, Is.GreaterThanOrEqualTo(2 + 4));
    }

    [TestCaseSource(typeof(HdlcTestData), nameof(HdlcTestData.Accms))]
    public void Encode_AnyAccm_EscapesExactlyTheEscapeSet(uint accm)
    {
        var encoder = new HdlcEncoder { TransmitAccm = accm };
        byte[] all = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        byte[] information = [.. all, .. all.Reverse(), .. FcsTests.RandomBytes(new Random((int)accm), 700)];
        byte[] output = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];

        int length = encoder.Encode(0x0021, information, output);

        AssertWellFormed(output.AsSpan(0, length), b => b is 0x7d or 0x7e || Accm.Contains(accm, b));
    }

    [Test]
    public void Encode_ExtraEscapes_AreEscapedInDataAndControlFrames()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0 };
        encoder.SetExtraEscapes([0x41, 0xff, 0x20]);
        byte[] output = new byte[64];

        int data = encoder.Encode(0x0021, [0x41, 0x42, 0xff, 0x20, 0x01], output);
        Assert.That(Convert.ToHexString(output, 0, data), Does.Contain("7D61427DDF7D0001"));
        AssertWellFormed(output.AsSpan(0, data), b => b is 0x7d or 0x7e or 0x41 or 0xff or 0x20);

        int control = encoder.Encode(0xc021, [0x41, 0x01], output, controlFrame: true);
        AssertWellFormed(output.AsSpan(0, control), b => b is 0x7d or 0x7e or 0x41 or 0xff or 0x20 or < 0x20);
    }

    [TestCase((byte)0x5e)]
    [TestCase((byte)0x5d)]
    public void SetExtraEscapes_OctetThatWouldEscapeToFlagOrEscape_Throws(byte value)
    {
        var encoder = new HdlcEncoder();
        Assert.That(() => encoder.SetExtraEscapes([value]), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Encode_DestinationSmallerThanWorstCase_Throws()
    {
        var encoder = new HdlcEncoder();
        byte[] output = new byte[HdlcEncoder.MaxEncodedLength(100) - 9];
        Assert.That(() => encoder.Encode(0x0021, new byte[100], output), Throws.ArgumentException);
    }

    [Test]
    public void Encode_AllFlagsWithFcs32_FitsMaxEncodedLength()
    {
        var encoder = new HdlcEncoder { Fcs = FcsKind.Fcs32 };
        byte[] information = Enumerable.Repeat((byte)0x7e, 1500).ToArray();
        byte[] output = new byte[HdlcEncoder.MaxEncodedLength(1500)];

        int length = encoder.Encode(0x0021, information, output);

        Assert.That(length, Is.LessThanOrEqualTo(HdlcEncoder.MaxEncodedLength(1500)).And.GreaterThanOrEqualTo(2 + 6 + 3000 + 4));
    }

    [Test]
    public void Encode_BufferWriter_WritesSameBytesAsSpan()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0 };
        byte[] information = FcsTests.RandomBytes(new Random(7), 300);
        byte[] expected = new byte[HdlcEncoder.MaxEncodedLength(300)];
        int length = encoder.Encode(0x0057, information, expected);
        var writer = new ArrayBufferWriter<byte>();

        encoder.Encode(0x0057, information, writer);
        encoder.Encode(0x0057, information, writer);

        Assert.That(writer.WrittenSpan.ToArray(), Is.EqualTo(expected[..length].Concat(expected[..length]).ToArray()));
    }

    [TestCaseSource(typeof(HdlcTestData), nameof(HdlcTestData.Accms))]
    public void Encode_VectorAndSearchAndScalarPaths_WriteIdenticalBytes(uint accm)
    {
        var random = new Random((int)accm ^ 0x5a5a);
        foreach (bool extras in new[] { false, true })
        {
            var fast = new HdlcEncoder { TransmitAccm = accm };
            var scalar = new HdlcEncoder { TransmitAccm = accm, UseScalarPath = true };
            if (extras)
            {
                // 0x80 is outside the vector scan's candidates, so this takes the SearchValues path.
                fast.SetExtraEscapes([0x80, 0x01]);
                scalar.SetExtraEscapes([0x80, 0x01]);
            }

            foreach (int size in new[] { 0, 1, 15, 16, 17, 64, 255, 1500 })
            {
                byte[] information = FcsTests.RandomBytes(random, size);
                byte[] a = new byte[HdlcEncoder.MaxEncodedLength(size)];
                byte[] b = new byte[a.Length];
                int la = fast.Encode(0x0021, information, a);
                int lb = scalar.Encode(0x0021, information, b);
                Assert.That(a[..la], Is.EqualTo(b[..lb]), $"size {size}, extras {extras}");
            }
        }
    }

    /// <summary>
    /// Flags only at both ends; every 0x7d is followed by an escaped member of the set xor 0x20;
    /// no member of the set appears raw.
    /// </summary>
    internal static void AssertWellFormed(ReadOnlySpan<byte> wire, Func<byte, bool> escaped)
    {
        Assert.That(wire[0], Is.EqualTo(0x7e));
        Assert.That(wire[^1], Is.EqualTo(0x7e));
        ReadOnlySpan<byte> body = wire[1..^1];
        for (int i = 0; i < body.Length; i++)
        {
            byte b = body[i];
            if (b == 0x7d)
            {
                Assert.That(i + 1, Is.LessThan(body.Length), "escape as last octet");
                byte original = (byte)(body[i + 1] ^ 0x20);
                Assert.That(escaped(original), Is.True, $"0x{original:x2} escaped but not in the set");
                i++;
            }
            else
            {
                Assert.That(escaped(b), Is.False, $"0x{b:x2} at {i} should have been escaped");
            }
        }
    }
}

internal static class HdlcTestData
{
    /// <summary>Every single-bit ACCM, none, all, and a few random maps.</summary>
    public static IEnumerable<uint> Accms()
    {
        yield return 0;
        yield return 0xffffffff;
        for (int bit = 0; bit < 32; bit++)
        {
            yield return 1u << bit;
        }

        yield return 0x000a0000; // XON/XOFF
        yield return 0x8badf00d;
        yield return 0x12345678;
    }
}
