using System.Buffers.Binary;
using NUnit.Framework;
using Ppp.Core.Framing;

namespace Ppp.Core.Tests.Framing;

[TestFixture]
public sealed class HdlcDecoderTests
{
    private static readonly ushort[] s_protocols = [0x0021, 0x0057, 0x00fd, 0x8021, 0xc021, 0xc223, 0x0281];
    private static readonly int[] s_sizes = [0, 1, 2, 15, 16, 17, 63, 64, 65, 255, 576, 1500];

    // ---- building frames by hand, independent of HdlcEncoder ----

    /// <summary>Flag, the octets plus a correct (or corrupted) FCS with 0x7d, 0x7e and 0x00-0x1f escaped, flag.</summary>
    internal static byte[] Wire(string frameHex, FcsKind fcs = FcsKind.Fcs16, bool corruptFcs = false)
    {
        byte[] frame = Hex.Parse(frameHex);
        byte[] check = new byte[fcs.Length()];
        if (fcs == FcsKind.Fcs32)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(check, Fcs32.Compute(frame));
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(check, Fcs16.Compute(frame));
        }

        if (corruptFcs)
        {
            check[0] ^= 0x01;
        }

        var wire = new List<byte> { 0x7e };
        foreach (byte b in frame.Concat(check))
        {
            if (b is 0x7d or 0x7e or < 0x20)
            {
                wire.Add(0x7d);
                wire.Add((byte)(b ^ 0x20));
            }
            else
            {
                wire.Add(b);
            }
        }

        wire.Add(0x7e);
        return [.. wire];
    }

    private static FrameRecorder DecodeAll(HdlcDecoder decoder, params byte[][] parts)
    {
        var recorder = new FrameRecorder();
        foreach (byte[] part in parts)
        {
            decoder.Decode(part, recorder);
        }

        return recorder;
    }

    private static string CountersOf(HdlcDecoder d)
    {
        HdlcCounters c = d.Counters;
        return $"frames={c.Frames} octets={c.Octets} line={c.LineOctets} fcs={c.BadFcs} runt={c.Runts} over={c.Oversize} " +
               $"abort={c.Aborted} addr={c.BadAddressControl} proto={c.BadProtocol} dropped={c.DroppedControlCharacters}";
    }

    // ---- known frames and the receive rules ----

    [TestCase("ff 03 c0 21 01 01 00 04", (ushort)0xc021, "01010004")]
    [TestCase("c0 21 01 01 00 04", (ushort)0xc021, "01010004")] // ACFC
    [TestCase("ff 03 21 45 00", (ushort)0x0021, "4500")] // PFC
    [TestCase("21 45 00", (ushort)0x0021, "4500")] // ACFC + PFC
    [TestCase("ff 03 00 21 45", (ushort)0x0021, "45")]
    [TestCase("ff 03 80 21", (ushort)0x8021, "")]
    public void Decode_ValidFrame_DeliversProtocolAndInformation(string frame, ushort protocol, string information)
    {
        var decoder = new HdlcDecoder();
        FrameRecorder recorder = DecodeAll(decoder, Wire(frame));

        Assert.That(recorder.Frames, Has.Count.EqualTo(1));
        Assert.That(recorder.Frames[0].Protocol, Is.EqualTo(protocol));
        Assert.That(Convert.ToHexString(recorder.Frames[0].Information), Is.EqualTo(information.ToUpperInvariant()));
        Assert.That(decoder.Counters.Errors, Is.Zero);
    }

    [Test]
    public void Decode_Fcs32Frame_Delivered()
    {
        var decoder = new HdlcDecoder(fcs: FcsKind.Fcs32);
        FrameRecorder recorder = DecodeAll(decoder, Wire("ff 03 00 21 45 00 01", FcsKind.Fcs32));
        Assert.That(recorder.Describe(), Is.EqualTo(new[] { "0021:450001" }));
    }

    [Test]
    public void Decode_BadFcs_CountedAndDropped()
    {
        var decoder = new HdlcDecoder();
        FrameRecorder recorder = DecodeAll(decoder, Wire("ff 03 00 21 45 00", corruptFcs: true), Wire("ff 03 00 21 46"));
        Assert.That(recorder.Describe(), Is.EqualTo(new[] { "0021:46" }));
        Assert.That(decoder.Counters.BadFcs, Is.EqualTo(1));
    }

    [TestCase("7e 01 7e")]
    [TestCase("7e 01 02 03 7e")]
    [TestCase("7e ff 7d 23 7e")]
    public void Decode_FrameShorterThanFourOctets_CountedAsRunt(string wire)
    {
        var decoder = new HdlcDecoder();
        FrameRecorder recorder = DecodeAll(decoder, Hex.Parse(wire));
        Assert.That(recorder.Frames, Is.Empty);
        Assert.That(decoder.Counters.Runts, Is.EqualTo(1));
        Assert.That(decoder.Counters.BadFcs, Is.Zero);
    }

    [Test]
    public void Decode_AddressControlWithoutProtocol_CountedAsRunt()
    {
        var decoder = new HdlcDecoder();
        DecodeAll(decoder, Wire("ff 03"));
        Assert.That(decoder.Counters.Runts, Is.EqualTo(1));
    }

    [TestCase("ff 05 00 21 45")]
    [TestCase("ff 00 21 45")]
    public void Decode_BadControlOctet_CountedAsBadAddressControl(string frame)
    {
        var decoder = new HdlcDecoder();
        FrameRecorder recorder = DecodeAll(decoder, Wire(frame));
        Assert.That(recorder.Frames, Is.Empty);
        Assert.That(decoder.Counters.BadAddressControl, Is.EqualTo(1));
    }

    [TestCase("ff 03 c0 20 01")] // even low octet
    [TestCase("c0 22 01 01")]
    [TestCase("00 00 45")]
    public void Decode_ProtocolWithEvenLowOctet_CountedAsBadProtocol(string frame)
    {
        var decoder = new HdlcDecoder();
        FrameRecorder recorder = DecodeAll(decoder, Wire(frame));
        Assert.That(recorder.Frames, Is.Empty);
        Assert.That(decoder.Counters.BadProtocol, Is.EqualTo(1));
    }

    [Test]
    public void Decode_AbortSequence_DiscardsFrameAndNextFrameStillDecodes()
    {
        var decoder = new HdlcDecoder();
        // ff 03 00 21 45 then 7d 7e: the 7e both aborts and opens the next frame.
        byte[] aborted = Hex.Parse("7e ff 7d 23 7d 20 21 45 7d 7e");
        byte[] next = Wire("ff 03 00 21 46")[1..];
        FrameRecorder recorder = DecodeAll(decoder, aborted, next);
        Assert.That(recorder.Describe(), Is.EqualTo(new[] { "0021:46" }));
        Assert.That(decoder.Counters.Aborted, Is.EqualTo(1));
        Assert.That(decoder.Counters.BadFcs, Is.Zero);
    }

    [Test]
    public void Decode_FrameLongerThanMru_CountedOversizeAndNextFrameDecodes()
    {
        var decoder = new HdlcDecoder(maxFrameSize: 10);
        string longFrame = "ff 03 00 21 " + string.Join(' ', Enumerable.Repeat("41", 9)); // 11 octets > 10
        string fitting = "ff 03 00 21 " + string.Join(' ', Enumerable.Repeat("42", 8)); // 10 octets
        FrameRecorder recorder = DecodeAll(decoder, Wire(longFrame), Wire(fitting));
        Assert.That(recorder.Describe(), Is.EqualTo(new[] { "0021:4242424242424242" }));
        Assert.That(decoder.Counters.Oversize, Is.EqualTo(1));
    }

    [Test]
    public void Decode_MegabyteWithoutFlag_CountedOnceAndBufferDoesNotGrow()
    {
        var decoder = new HdlcDecoder(maxFrameSize: 1500);
        int capacity = decoder.BufferCapacity;
        byte[] garbage = FcsTests.RandomBytes(new Random(3), 1 << 20);
        garbage.AsSpan().Replace((byte)0x7e, (byte)0x00);
        var counter = new FrameCounter();

        decoder.Decode([0x7e], counter);
        for (int i = 0; i < garbage.Length; i += 4096)
        {
            decoder.Decode(garbage.AsSpan(i, 4096), counter);
        }

        decoder.Decode(Wire("ff 03 00 21 47"), counter);
        Assert.That(decoder.Counters.Oversize, Is.EqualTo(1));
        Assert.That(decoder.BufferCapacity, Is.EqualTo(capacity));
        Assert.That(counter.Count, Is.EqualTo(1));
    }

    [Test]
    public void Decode_BackToBackFlagsAndLeadingGarbage_IgnoredSilently()
    {
        var decoder = new HdlcDecoder();
        byte[] frame = Wire("ff 03 00 21 45");
        FrameRecorder recorder = DecodeAll(decoder, Hex.Parse("41 54 44 54 0d 0a 7e 7e 7e"), frame, Hex.Parse("7e 7e"), frame);
        Assert.That(recorder.Frames, Has.Count.EqualTo(2));
        Assert.That(decoder.Counters.Errors, Is.Zero);
    }

    [Test]
    public void ReceiveAccm_Default_IsZeroSoRawControlCharactersAreData()
    {
        var decoder = new HdlcDecoder();
        // 00 21 11 sent with 0x11 raw (the peer's ACCM is 0): kept, FCS good.
        byte[] frame = [0x00, 0x21, 0x11];
        ushort fcs = Fcs16.Compute(frame);
        byte[] wire = [0x7e, .. frame, (byte)fcs, (byte)(fcs >> 8), 0x7e];
        Assume.That(wire.Skip(1).SkipLast(1).All(b => b is not (0x7d or 0x7e)), Is.True);

        FrameRecorder recorder = DecodeAll(decoder, wire);

        Assert.That(decoder.ReceiveAccm, Is.Zero);
        Assert.That(recorder.Describe(), Is.EqualTo(new[] { "0021:11" }));
    }

    [Test]
    public void ReceiveAccm_FlaggedRawControlCharacters_AreRemovedBeforeUnescaping()
    {
        var decoder = new HdlcDecoder { ReceiveAccm = 0x000a0000 };
        byte[] wire = Wire("ff 03 00 21 61 45");
        // Insert XON/XOFF as line equipment would: inside the frame and between 7d and its octet.
        var noisy = new List<byte>(wire);
        noisy.Insert(3, 0x11);
        int escape = noisy.IndexOf(0x7d);
        noisy.Insert(escape + 1, 0x13);
        noisy.Insert(noisy.Count - 1, 0x11);

        FrameRecorder recorder = DecodeAll(decoder, [.. noisy]);

        Assert.That(recorder.Describe(), Is.EqualTo(new[] { "0021:6145" }));
        Assert.That(decoder.Counters.DroppedControlCharacters, Is.EqualTo(3));
    }

    [Test]
    public void Reset_MidFrame_DiscardsPartialFrameAndHunts()
    {
        var decoder = new HdlcDecoder();
        byte[] frame = Wire("ff 03 00 21 45");
        var recorder = new FrameRecorder();
        decoder.Decode(frame.AsSpan(0, 4), recorder);
        decoder.Reset();
        decoder.Decode(frame.AsSpan(4), recorder); // tail ends at a flag: hunted, not a frame
        decoder.Decode(frame, recorder);
        Assert.That(recorder.Frames, Has.Count.EqualTo(1));
        Assert.That(decoder.Counters.Errors, Is.Zero);
    }

    [Test]
    public void MaxFrameSize_Raised_AcceptsLargerFrames()
    {
        var decoder = new HdlcDecoder(maxFrameSize: 100) { MaxFrameSize = 4000 };
        var encoder = new HdlcEncoder();
        byte[] information = new byte[3998]; // + 2 protocol octets = the new MRU
        byte[] wire = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        int length = encoder.Encode(0x8021, information, wire);
        FrameRecorder recorder = DecodeAll(decoder, wire[..length]);
        Assert.That(recorder.Frames, Has.Count.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(65536)]
    public void Constructor_MaxFrameSizeOutOfRange_Throws(int size) =>
        Assert.That(() => new HdlcDecoder(size), Throws.TypeOf<ArgumentOutOfRangeException>());

    // ---- synchronous mode ----

    [TestCase(false, false)]
    [TestCase(true, true)]
    public void DecodeSynchronous_EncodedSynchronously_RoundTrips(bool acfc, bool pfc)
    {
        var encoder = new HdlcEncoder { Synchronous = true, AddressControlCompression = acfc, ProtocolCompression = pfc };
        var decoder = new HdlcDecoder();
        var recorder = new FrameRecorder();
        var random = new Random(11);
        var expected = new List<string>();
        foreach (ushort protocol in s_protocols)
        {
            byte[] information = FcsTests.RandomBytes(random, random.Next(0, 1500));
            byte[] datagram = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
            int length = encoder.Encode(protocol, information, datagram, controlFrame: protocol == 0xc021);
            decoder.DecodeSynchronous(datagram.AsSpan(0, length), recorder);
            expected.Add($"{protocol:x4}:{Convert.ToHexString(information)}");
        }

        Assert.That(recorder.Describe(), Is.EqualTo(expected));
        Assert.That(decoder.Counters.Errors, Is.Zero);
    }

    [Test]
    public void DecodeSynchronous_EmptyAndOversizeDatagrams_Counted()
    {
        var decoder = new HdlcDecoder(maxFrameSize: 10);
        var recorder = new FrameRecorder();
        decoder.DecodeSynchronous([], recorder);
        decoder.DecodeSynchronous(new byte[13], recorder);
        decoder.DecodeSynchronous(Hex.Parse("ff 03 00 21 01 02 03 04 05 06 07 08 09"), recorder);
        decoder.DecodeSynchronous(Hex.Parse("ff 03 00 21 01 02 03 04 05 06 07 08"), recorder);
        Assert.That(decoder.Counters.Runts, Is.EqualTo(1));
        Assert.That(decoder.Counters.Oversize, Is.EqualTo(2));
        Assert.That(recorder.Frames, Has.Count.EqualTo(1));
    }

    // ---- invariants ----

    [TestCase(FcsKind.Fcs16, false, false)]
    [TestCase(FcsKind.Fcs16, true, false)]
    [TestCase(FcsKind.Fcs16, false, true)]
    [TestCase(FcsKind.Fcs16, true, true)]
    [TestCase(FcsKind.Fcs32, false, false)]
    [TestCase(FcsKind.Fcs32, true, true)]
    public void DecodeEncode_EveryAccmWithAndWithoutExtraEscapes_RoundTrips(FcsKind fcs, bool acfc, bool pfc)
    {
        foreach (uint accm in HdlcTestData.Accms())
        {
            foreach (bool extras in new[] { false, true })
            {
                var encoder = new HdlcEncoder { TransmitAccm = accm, AddressControlCompression = acfc, ProtocolCompression = pfc, Fcs = fcs };
                if (extras)
                {
                    encoder.SetExtraEscapes([0x41, 0x80, 0xff, 0x20]);
                }

                var random = new Random((int)accm);
                var stream = new List<byte>();
                var expected = new List<string>();
                byte[] buffer = new byte[HdlcEncoder.MaxEncodedLength(1500)];
                foreach (int size in s_sizes)
                {
                    ushort protocol = s_protocols[random.Next(s_protocols.Length)];
                    byte[] information = FcsTests.RandomBytes(random, size);
                    int length = encoder.Encode(protocol, information, buffer, controlFrame: protocol == 0xc021);
                    stream.AddRange(buffer.AsSpan(0, length));
                    expected.Add($"{protocol:x4}:{Convert.ToHexString(information)}");
                }

                foreach (bool scalar in new[] { false, true })
                {
                    var decoder = new HdlcDecoder(1502, fcs) { UseScalarPath = scalar }; // 1500 octets + 2-octet protocol
                    FrameRecorder recorder = DecodeAll(decoder, [.. stream]);
                    Assert.That(recorder.Describe(), Is.EqualTo(expected), $"accm 0x{accm:x8} extras {extras} scalar {scalar}");
                    Assert.That(decoder.Counters.Errors, Is.Zero);
                }
            }
        }
    }

#pragma warning disable NUnit1027 // FsCheck generates the arguments, not NUnit attributes.
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public bool DecodeEncode_AnyPayloadAndSettings_RoundTrips(byte[] information, uint accm, bool acfc, bool pfc, bool fcs32, byte protocolLow)
    {
        ushort protocol = (ushort)(protocolLow | 1);
        var encoder = new HdlcEncoder { TransmitAccm = accm, AddressControlCompression = acfc, ProtocolCompression = pfc, Fcs = fcs32 ? FcsKind.Fcs32 : FcsKind.Fcs16 };
        byte[] wire = new byte[HdlcEncoder.MaxEncodedLength(information.Length)];
        int length = encoder.Encode(protocol, information, wire);
        var decoder = new HdlcDecoder(Math.Max(1, information.Length + 2), encoder.Fcs);
        FrameRecorder recorder = DecodeAll(decoder, wire[..length]);
        return recorder.Frames.Count == 1 && recorder.Frames[0].Protocol == protocol && recorder.Frames[0].Information.AsSpan().SequenceEqual(information);
    }
#pragma warning restore NUnit1027

    /// <summary>A stream with good frames and one of every error, so chunking is tested against every state.</summary>
    private static byte[] MixedStream()
    {
        var encoder = new HdlcEncoder { TransmitAccm = 0x000a0000 };
        var random = new Random(99);
        var stream = new List<byte>(Hex.Parse("41 54 0d 7d 7e")); // garbage, then a flag
        void Add(ushort protocol, int size, bool control = false)
        {
            byte[] information = FcsTests.RandomBytes(random, size);
            byte[] buffer = new byte[HdlcEncoder.MaxEncodedLength(size)];
            stream.AddRange(buffer.AsSpan(0, encoder.Encode(protocol, information, buffer, control)));
        }

        Add(0xc021, 20, control: true);
        Add(0x0021, 100);
        stream.AddRange(Wire("ff 03 00 21 45", corruptFcs: true));
        stream.AddRange(Hex.Parse("7e 7e 01 02 7e")); // empty frames and a runt
        Add(0x0057, 700);
        stream.AddRange(Hex.Parse("7e ff 7d 23 00 21 7d 7e")); // abort
        Add(0x0021, 1);
        stream.AddRange(Wire("ff 05 00 21 45"));
        stream.AddRange(Wire("ff 03 00 20 45"));
        Add(0x0021, 1600); // oversize for MRU 1500
        Add(0x8021, 1498); // exactly the MRU with its 2-octet protocol
        stream.AddRange(Hex.Parse("7e 7d 7d 7d")); // 0x5d, then an escape that the next opening flag turns into an abort
        Add(0x0021, 64);
        return [.. stream];
    }

    private static (IReadOnlyList<string> Frames, string Counters) Run(byte[] stream, IEnumerable<int> cuts, bool scalar = false)
    {
        var decoder = new HdlcDecoder { UseScalarPath = scalar };
        var recorder = new FrameRecorder();
        int start = 0;
        foreach (int cut in cuts.Append(stream.Length))
        {
            decoder.Decode(stream.AsSpan(start, cut - start), recorder);
            start = cut;
        }

        return (recorder.Describe(), CountersOf(decoder));
    }

    [Test]
    public void Decode_MixedStreamInOneChunk_HasOneOfEachError()
    {
        var decoder = new HdlcDecoder();
        DecodeAll(decoder, MixedStream());
        Assert.That(CountersOf(decoder), Does.Contain("fcs=1 runt=1 over=1 abort=2 addr=1 proto=1"));
        Assert.That(decoder.Counters.Frames, Is.EqualTo(6));
    }

    [Test]
    public void Decode_EverySplitPoint_GivesSameFramesAndCounters()
    {
        byte[] stream = MixedStream();
        var whole = Run(stream, []);
        for (int split = 0; split <= stream.Length; split++)
        {
            var parts = Run(stream, [split]);
            Assert.That(parts.Frames, Is.EqualTo(whole.Frames), $"split at {split}");
            Assert.That(parts.Counters, Is.EqualTo(whole.Counters), $"split at {split}");
        }
    }

    [Test]
    public void Decode_ByteAtATimeAndScalarPath_GiveSameFramesAndCounters()
    {
        byte[] stream = MixedStream();
        var whole = Run(stream, []);
        var bytewise = Run(stream, Enumerable.Range(1, stream.Length - 1));
        var scalar = Run(stream, [], scalar: true);
        Assert.That(bytewise, Is.EqualTo(whole));
        Assert.That(scalar, Is.EqualTo(whole));
    }

    [Test]
    public void Decode_RandomChunkings_GiveSameFramesAndCounters()
    {
        byte[] stream = MixedStream();
        var whole = Run(stream, []);
        var random = new Random(5);
        for (int trial = 0; trial < 300; trial++)
        {
            var cuts = new SortedSet<int>();
            int count = random.Next(1, 40);
            for (int i = 0; i < count; i++)
            {
                cuts.Add(random.Next(0, stream.Length + 1));
            }

            Assert.That(Run(stream, cuts, scalar: trial % 2 == 1), Is.EqualTo(whole), $"trial {trial}");
        }
    }

    [Test]
    public void Decode_RandomSaltedStreams_VectorPathMatchesScalarPath()
    {
        var random = new Random(77);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] data = FcsTests.RandomBytes(random, random.Next(0, 3000));
            for (int i = 0; i < data.Length; i += 1 + random.Next(40))
            {
                data[i] = random.Next(2) == 0 ? (byte)0x7e : (byte)0x7d;
            }

            // Valid frames spliced in, so good frames, every error and the MRU limit all occur.
            byte[] good = Wire("ff 03 00 21 " + string.Join(' ', Enumerable.Repeat("41", random.Next(0, 40))));
            int at = random.Next(0, data.Length + 1);
            data = [.. data[..at], .. good, .. data[at..]];
            int mru = random.Next(1, 100);
            IEnumerable<int> cuts = Enumerable.Range(0, random.Next(0, 10)).Select(_ => random.Next(0, data.Length + 1)).Order();
            int[] cutList = [.. cuts];

            (IReadOnlyList<string>, string) Decode(bool scalar)
            {
                var decoder = new HdlcDecoder(mru) { UseScalarPath = scalar };
                var recorder = new FrameRecorder();
                int start = 0;
                foreach (int cut in cutList.Append(data.Length))
                {
                    decoder.Decode(data.AsSpan(start, cut - start), recorder);
                    start = cut;
                }

                return (recorder.Describe(), CountersOf(decoder));
            }

            Assert.That(Decode(scalar: false), Is.EqualTo(Decode(scalar: true)), $"trial {trial}");
        }
    }

    [Test]
    public void Decode_RandomBytes_NeverThrowsAndBufferStaysBounded()
    {
        var random = new Random(1234);
        var counter = new FrameCounter();
        for (int trial = 0; trial < 2000; trial++)
        {
            int mru = random.Next(1, 2000);
            var decoder = new HdlcDecoder(mru, trial % 3 == 0 ? FcsKind.Fcs32 : FcsKind.Fcs16)
            {
                ReceiveAccm = trial % 4 == 0 ? (uint)random.NextInt64(0x1_0000_0000) : 0,
                UseScalarPath = trial % 5 == 0,
            };
            int capacity = decoder.BufferCapacity;
            byte[] data = FcsTests.RandomBytes(random, random.Next(0, 5000));
            if (trial % 2 == 0)
            {
                // Make flags and escapes common so short frames of every kind appear.
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = (data[i] % 7) switch { 0 => 0x7e, 1 => 0x7d, _ => data[i] };
                }
            }

            int at = 0;
            while (at < data.Length)
            {
                int n = Math.Min(random.Next(1, 600), data.Length - at);
                decoder.Decode(data.AsSpan(at, n), counter);
                at += n;
            }

            decoder.DecodeSynchronous(data.AsSpan(0, Math.Min(data.Length, random.Next(0, 3000))), counter);
            Assert.That(decoder.BufferCapacity, Is.EqualTo(capacity));
        }
    }
}
