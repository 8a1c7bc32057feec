using System.Text;
using NUnit.Framework;
using Ppp.Daemon.Daemon;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Tests.Daemon;

[TestFixture]
public sealed class TerminalSinkTests
{
    private const ushort Lcp = 0xc021;
    private const ushort Ipcp = 0x8021;

    /// <summary>An LCP Configure-Request with a magic number, as a peer sends it first (fully escaped, ff 03 present).</summary>
    private static readonly byte[] s_configureRequest = RawHdlc.EncodeControlPacket(Lcp, 1, 1, [0x05, 0x06, 0x12, 0x34, 0x56, 0x78]);

    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    [Test]
    public void Receive_PlainText_ShownAsItComes()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);

        sink.Receive(Bytes("\r\nOK\r\n"));
        sink.Receive(Bytes("CONNECT 115200\r\n"));

        Assert.That(screen.Text, Is.EqualTo("\r\nOK\r\nCONNECT 115200\r\n"));
        Assert.That(sink.PacketDetected, Is.False);
    }

    [Test]
    public void Receive_TextThenLcpFrame_ShowsTextOnlyAndHandsPppEverythingFromTheOpeningFlag()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);
        byte[] after = [0x7e, 0xff, 0x7d, 0x23];

        sink.Receive([.. Bytes("Protocol: ppp\r\n"), .. s_configureRequest, .. after]);

        Assert.That(sink.PacketDetected, Is.True);
        Assert.That(screen.Text, Is.EqualTo("Protocol: ppp\r\n"));
        Assert.That(Drained(sink), Is.EqualTo(s_configureRequest.Concat(after).ToArray()));
    }

    [Test]
    public void Receive_FrameOneByteAtATime_DetectedTheSame()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);

        foreach (byte b in Bytes("login: ").Concat(s_configureRequest))
            sink.Receive([b]);

        Assert.That(sink.PacketDetected, Is.True);
        Assert.That(screen.Text, Is.EqualTo("login: "));
        Assert.That(Drained(sink), Is.EqualTo(s_configureRequest));
    }

    [Test]
    public void Receive_BytesAfterDetection_KeptForPppNotShown()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);
        sink.Receive(s_configureRequest);

        sink.Receive(Bytes("more"));

        Assert.That(screen.Text, Is.Empty);
        Assert.That(Drained(sink), Is.EqualTo(s_configureRequest.Concat(Bytes("more")).ToArray()));
    }

    [Test]
    public void Receive_CompressedAddressAndControl_Detected()
    {
        var sink = new TerminalSink(new Screen().Show);

        sink.Receive(RawHdlc.Encode([0xc0, 0x21, 0x01, 0x02, 0x00, 0x04]));

        Assert.That(sink.PacketDetected, Is.True);
    }

    [Test]
    public void Receive_LcpFrameWithBadFcs_NotDetectedAndShown()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);
        byte[] damaged = [.. s_configureRequest];
        damaged[^2] ^= 0x01;

        sink.Receive(damaged);
        sink.Receive(Bytes("x"));

        Assert.That(sink.PacketDetected, Is.False);
        // The closing flag may open a frame; the byte after it shows it is none.
        Assert.That(screen.Bytes, Is.EqualTo(damaged.Concat(Bytes("x")).ToArray()));
    }

    [Test]
    public void Receive_GoodFrameOfAnotherProtocol_NotDetected()
    {
        var sink = new TerminalSink(new Screen().Show);

        sink.Receive(RawHdlc.EncodeControlPacket(Ipcp, 1, 1, []));

        Assert.That(sink.PacketDetected, Is.False);
    }

    [TestCase("home is ~/ and ~bob\r\n")]
    [TestCase("~~~\r\n")]
    [TestCase("~\xff ~\xff\x04 ~\xc0x done\r\n")]
    public void Receive_TildesInText_ShownWhenTheNextByteRulesOutAFrame(string text)
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);

        sink.Receive(Bytes(text));

        Assert.That(screen.Text, Is.EqualTo(text));
    }

    [Test]
    public void FlushStale_TildeLastWithNothingAfter_ShownOnTheSecondTick()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);
        sink.Receive(Bytes("bob@host:~"));

        sink.FlushStale();
        string afterFirst = screen.Text;
        sink.FlushStale();

        Assert.That(afterFirst, Is.EqualTo("bob@host:"));
        Assert.That(screen.Text, Is.EqualTo("bob@host:~"));
    }

    [Test]
    public void FlushStale_WholeHeaderHeld_KeptForTheRestOfTheFrame()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);
        sink.Receive(s_configureRequest.AsSpan(0, 8));

        sink.FlushStale();
        sink.FlushStale();
        sink.Receive(s_configureRequest.AsSpan(8));

        Assert.That(sink.PacketDetected, Is.True);
        Assert.That(screen.Text, Is.Empty);
    }

    [Test]
    public void Drain_PartialFrameHeldWhenPppIsRequested_GoesToPpp()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);
        sink.Receive(s_configureRequest.AsSpan(0, 8));

        byte[] drained = Drained(sink);

        Assert.That(sink.PacketDetected, Is.False);
        Assert.That(drained, Is.EqualTo(s_configureRequest.AsSpan(0, 8).ToArray()));
        Assert.That(screen.Text, Is.Empty);
    }

    [Test]
    public void Receive_AfterClose_Ignored()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);
        sink.Close();

        sink.Receive(Bytes("late"));

        Assert.That(screen.Text, Is.Empty);
    }

    [Test]
    public void Receive_HeldFrameGrowsPastAnyMru_ShownAndNoLongerHeld()
    {
        var screen = new Screen();
        var sink = new TerminalSink(screen.Show);
        byte[] endless = [0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, .. Enumerable.Repeat((byte)'a', 4000)];

        sink.Receive(endless);

        Assert.That(screen.Bytes, Is.EqualTo(endless));
    }

    [Test]
    public void Receive_RandomBytes_NeverThrowsAndShowsOrKeepsEveryByte()
    {
        var random = new Random(4);
        for (int round = 0; round < 200; round++)
        {
            var screen = new Screen();
            var sink = new TerminalSink(screen.Show);
            byte[] input = new byte[random.Next(1, 600)];
            random.NextBytes(input);
            for (int i = 0; i < input.Length; i += 7)
                input[i] = 0x7e;

            for (int at = 0; at < input.Length;)
            {
                int n = Math.Min(random.Next(1, 40), input.Length - at);
                sink.Receive(input.AsSpan(at, n));
                at += n;
            }

            Assert.That(screen.Bytes.Concat(Drained(sink)).ToArray(), Is.EqualTo(input), $"round {round}");
        }
    }

    private static byte[] Drained(TerminalSink sink)
    {
        var ppp = new Collector();
        sink.Drain(ppp);
        return [.. ppp.Bytes];
    }

    private sealed class Collector : ILineSink
    {
        public List<byte> Bytes { get; } = [];

        public void Receive(ReadOnlySpan<byte> data) => Bytes.AddRange(data.ToArray());
    }

    private sealed class Screen
    {
        private readonly List<byte> _bytes = [];

        public byte[] Bytes => [.. _bytes];

        public string Text => Encoding.Latin1.GetString([.. _bytes]);

        public void Show(ReadOnlySpan<byte> data) => _bytes.AddRange(data.ToArray());
    }
}
