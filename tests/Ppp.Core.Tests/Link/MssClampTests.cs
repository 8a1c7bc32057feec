using System.Buffers.Binary;
using System.Net;
using NUnit.Framework;
using Ppp.Core.Link;

namespace Ppp.Core.Tests.Link;

[TestFixture]
public sealed class MssClampTests
{
    private static readonly IPAddress Source4 = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Destination4 = IPAddress.Parse("198.51.100.7");
    private static readonly IPAddress Source6 = IPAddress.Parse("2001:db8::1");
    private static readonly IPAddress Destination6 = IPAddress.Parse("2001:db8:ffff::2");

    private const byte Syn = 0x02;
    private const byte SynAck = 0x12;
    private const byte Ack = 0x10;

    // Option lists with the MSS at different (even and odd) offsets; all padded to 4 by the builder.
    private static readonly byte[][] OptionLayouts =
    [
        [2, 4, 0x05, 0xb4],
        [1, 2, 4, 0x05, 0xb4],
        [1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 2, 4, 0x05, 0xb4],
        [4, 2, 1, 3, 3, 7, 2, 4, 0x05, 0xb4],
        [3, 3, 7, 2, 4, 0x05, 0xb4, 1, 4, 2],
    ];

    // Where the MSS value sits in each layout above.
    private static readonly int[] MssValueOffsets = [2, 3, 14, 8, 5];

    [Test]
    public void Clamp_Ipv4SynMssAboveLimit_LowersMssAndChecksumStaysValid(
        [Range(0, 4)] int layout, [Values(0, 4, 40)] int ipOptionBytes)
    {
        byte[] packet = Tcp4(Syn, OptionLayouts[layout], ipOptionBytes, payload: "data"u8.ToArray());
        Assume.That(TcpChecksumValid(packet), Is.True);

        bool changed = MssClamp.Clamp(packet, 1400);

        Assert.That(changed, Is.True);
        Assert.That(Mss(packet), Is.EqualTo(1400));
        Assert.That(TcpChecksumValid(packet), Is.True);
    }

    [Test]
    public void Clamp_Ipv6SynAckMssAboveLimit_LowersMssAndChecksumStaysValid([Range(0, 4)] int layout)
    {
        byte[] packet = Tcp6(SynAck, OptionLayouts[layout]);

        bool changed = MssClamp.Clamp(packet, 1440);

        Assert.That(changed, Is.True);
        Assert.That(Mss(packet), Is.EqualTo(1440));
        Assert.That(TcpChecksumValid(packet), Is.True);
    }

    [Test]
    public void Clamp_ManyMssValuesAndPayloads_ChecksumMatchesFullRecomputation()
    {
        var random = new Random(1624);
        for (int n = 0; n < 2000; n++)
        {
            int layout = random.Next(OptionLayouts.Length);
            byte[] options = OptionLayouts[layout].ToArray();
            int mssAt = MssValueOffsets[layout];
            int mss = random.Next(1, 65536);
            BinaryPrimitives.WriteUInt16BigEndian(options.AsSpan(mssAt), (ushort)mss);
            byte[] payload = new byte[random.Next(0, 64)];
            random.NextBytes(payload);
            byte[] packet = n % 2 == 0 ? Tcp4(Syn, options, 0, payload) : Tcp6(Syn, options, payload);
            int limit = random.Next(0, 65536);

            bool changed = MssClamp.Clamp(packet, limit);

            Assert.That(changed, Is.EqualTo(mss > limit));
            Assert.That(Mss(packet), Is.EqualTo(Math.Min(mss, limit)));
            Assert.That(TcpChecksumValid(packet), Is.True, $"mss {mss} limit {limit}");
        }
    }

    [Test]
    public void Clamp_MssAtOrBelowLimit_Untouched()
    {
        byte[] packet = Tcp4(Syn, OptionLayouts[0], 0);
        byte[] original = packet.ToArray();

        Assert.That(MssClamp.Clamp(packet, 1460), Is.False);
        Assert.That(packet, Is.EqualTo(original));
    }

    [TestCase(Ack)]
    [TestCase((byte)0x18)]
    [TestCase((byte)0x01)]
    public void Clamp_NotSyn_Untouched(byte flags)
    {
        byte[] packet = Tcp4(flags, OptionLayouts[0], 0);
        byte[] original = packet.ToArray();

        Assert.That(MssClamp.Clamp(packet, 536), Is.False);
        Assert.That(packet, Is.EqualTo(original));
    }

    [Test]
    public void Clamp_SynWithoutMssOption_Untouched()
    {
        byte[] packet = Tcp4(Syn, [1, 1, 4, 2], 0);
        byte[] original = packet.ToArray();

        Assert.That(MssClamp.Clamp(packet, 536), Is.False);
        Assert.That(packet, Is.EqualTo(original));
    }

    [Test]
    public void Clamp_MssAfterEndOfOptionList_Untouched()
    {
        byte[] packet = Tcp4(Syn, [0, 0, 0, 0, 2, 4, 0x05, 0xb4], 0);
        byte[] original = packet.ToArray();

        Assert.That(MssClamp.Clamp(packet, 536), Is.False);
        Assert.That(packet, Is.EqualTo(original));
    }

    [TestCase(new byte[] { 2, 4, 0x05, 0xb4, 8, 0, 1, 1 })]
    [TestCase(new byte[] { 2, 4, 0x05, 0xb4, 1, 1, 1, 8 })]
    [TestCase(new byte[] { 2, 4, 0x05, 0xb4, 3, 9, 1, 1 })]
    public void Clamp_MalformedOptionAfterMss_Untouched(byte[] options)
    {
        byte[] packet = Tcp4(Syn, options, 0);
        byte[] original = packet.ToArray();

        Assert.That(MssClamp.Clamp(packet, 536), Is.False);
        Assert.That(packet, Is.EqualTo(original));
    }

    [Test]
    public void Clamp_EveryTruncation_UntouchedAndNoThrow()
    {
        foreach (byte[] full in new[] { Tcp4(Syn, OptionLayouts[2], 8), Tcp6(Syn, OptionLayouts[2]) })
        {
            for (int length = 0; length < full.Length; length++)
            {
                byte[] packet = full[..length];
                byte[] original = packet.ToArray();

                Assert.That(MssClamp.Clamp(packet, 536), Is.False, $"length {length}");
                Assert.That(packet, Is.EqualTo(original));
            }
        }
    }

    [Test]
    public void Clamp_Ipv4LaterFragment_Untouched()
    {
        byte[] packet = Tcp4(Syn, OptionLayouts[0], 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 0x0010);
        byte[] original = packet.ToArray();

        Assert.That(MssClamp.Clamp(packet, 536), Is.False);
        Assert.That(packet, Is.EqualTo(original));
    }

    [Test]
    public void Clamp_Ipv6WithExtensionHeader_Untouched()
    {
        byte[] plain = Tcp6(Syn, OptionLayouts[0]);
        // Hop-by-hop header (8 octets: next=TCP, len 0, PadN) between the IPv6 header and TCP.
        byte[] packet = [.. plain[..40], 6, 0, 1, 4, 0, 0, 0, 0, .. plain[40..]];
        packet[6] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(packet.Length - 40));
        byte[] original = packet.ToArray();

        Assert.That(MssClamp.Clamp(packet, 536), Is.False);
        Assert.That(packet, Is.EqualTo(original));
    }

    [Test]
    public void Clamp_UdpPacket_Untouched()
    {
        byte[] packet = Tcp4(Syn, OptionLayouts[0], 0);
        packet[9] = 17;
        byte[] original = packet.ToArray();

        Assert.That(MssClamp.Clamp(packet, 536), Is.False);
        Assert.That(packet, Is.EqualTo(original));
    }

    [Test]
    public void Clamp_RandomBytes_NeverThrows()
    {
        var random = new Random(42);
        byte[] buffer = new byte[120];
        for (int n = 0; n < 100_000; n++)
        {
            random.NextBytes(buffer);
            // Steer half the inputs past the version and protocol checks into the TCP parser.
            if (n % 2 == 0)
            {
                buffer[0] = (byte)(n % 4 == 0 ? 0x45 + random.Next(0, 11) : 0x60);
                buffer[9] = 6;
                buffer[6] = n % 4 == 0 ? (byte)0 : (byte)6;
                buffer[13] |= Syn;
            }

            int length = random.Next(0, buffer.Length + 1);
            int limit = random.Next(0, 65536);
            Assert.DoesNotThrow(() => MssClamp.Clamp(buffer.AsSpan(0, length), limit));
        }
    }

    [Test]
    public void Clamp_SteadyState_AllocatesNothing()
    {
        byte[] packet = Tcp4(Syn, OptionLayouts[2], 0);
        byte[] original = packet.ToArray();
        MssClamp.Clamp(packet, 1400);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            original.CopyTo(packet, 0);
            MssClamp.Clamp(packet, 1400);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static byte[] Tcp4(byte flags, byte[] options, int ipOptionBytes, byte[]? payload = null)
    {
        byte[] tcp = TcpSegment(flags, options, payload ?? []);
        int headerLength = 20 + ipOptionBytes;
        byte[] packet = new byte[headerLength + tcp.Length];
        packet[0] = (byte)(0x40 | (headerLength / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 6;
        for (int i = 20; i < headerLength; i++)
            packet[i] = 1; // IP NOP options
        Source4.TryWriteBytes(packet.AsSpan(12), out _);
        Destination4.TryWriteBytes(packet.AsSpan(16), out _);
        tcp.CopyTo(packet, headerLength);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(headerLength + 16), TcpChecksum(packet));
        return packet;
    }

    private static byte[] Tcp6(byte flags, byte[] options, byte[]? payload = null)
    {
        byte[] tcp = TcpSegment(flags, options, payload ?? []);
        byte[] packet = new byte[40 + tcp.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)tcp.Length);
        packet[6] = 6;
        packet[7] = 64;
        Source6.TryWriteBytes(packet.AsSpan(8), out _);
        Destination6.TryWriteBytes(packet.AsSpan(24), out _);
        tcp.CopyTo(packet, 40);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(40 + 16), TcpChecksum(packet));
        return packet;
    }

    private static byte[] TcpSegment(byte flags, byte[] options, byte[] payload)
    {
        int optionLength = (options.Length + 3) & ~3;
        byte[] tcp = new byte[20 + optionLength + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), 443);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), 0x12345678);
        tcp[12] = (byte)((20 + optionLength) / 4 << 4);
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 65535);
        options.CopyTo(tcp, 20);
        payload.CopyTo(tcp, 20 + optionLength);
        return tcp;
    }

    private static (int Offset, int Length) Segment(byte[] packet) =>
        packet[0] >> 4 == 4
            ? ((packet[0] & 0x0f) * 4, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)) - (packet[0] & 0x0f) * 4)
            : (40, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)));

    /// <summary>The TCP checksum computed from scratch over pseudo-header and segment, with the field taken as zero.</summary>
    private static ushort TcpChecksum(byte[] packet)
    {
        (int offset, int length) = Segment(packet);
        byte[] tcp = packet.AsSpan(offset, length).ToArray();
        tcp[16] = tcp[17] = 0;
        return (ushort)~Sum(packet, tcp);
    }

    /// <summary>A received segment is valid when the one's complement sum over everything, checksum included, is all ones.</summary>
    private static bool TcpChecksumValid(byte[] packet)
    {
        (int offset, int length) = Segment(packet);
        return Sum(packet, packet.AsSpan(offset, length).ToArray()) == 0xffff;
    }

    private static uint Sum(byte[] packet, byte[] tcp)
    {
        var pseudo = new List<byte>();
        if (packet[0] >> 4 == 4)
        {
            pseudo.AddRange(packet.AsSpan(12, 8).ToArray());
            pseudo.AddRange([0, 6, (byte)(tcp.Length >> 8), (byte)tcp.Length]);
        }
        else
        {
            pseudo.AddRange(packet.AsSpan(8, 32).ToArray());
            pseudo.AddRange([0, 0, (byte)(tcp.Length >> 8), (byte)tcp.Length, 0, 0, 0, 6]);
        }

        uint sum = 0;
        foreach (byte[] part in new[] { pseudo.ToArray(), tcp })
        {
            for (int i = 0; i < part.Length; i += 2)
                sum += (uint)(part[i] << 8 | (i + 1 < part.Length ? part[i + 1] : 0));
        }

        while (sum > 0xffff)
            sum = (sum & 0xffff) + (sum >> 16);
        return sum;
    }

    private static int Mss(byte[] packet)
    {
        (int offset, _) = Segment(packet);
        int end = offset + (packet[offset + 12] >> 4) * 4;
        for (int i = offset + 20; i < end;)
        {
            if (packet[i] == 0)
                break;
            if (packet[i] == 1)
            {
                i++;
                continue;
            }

            if (packet[i] == 2)
                return BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(i + 2));
            i += packet[i + 1];
        }

        return -1;
    }
}
