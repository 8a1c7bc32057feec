using System.Buffers.Binary;
using System.Globalization;
using NUnit.Framework;
using Ppp.Interop.Tests.Support;

namespace Ppp.Interop.Tests;

/// <summary>
/// Linux pppd as a client (noauth) in the VM, driven at the byte level with nothing of
/// Ppp.Core: checks that the line, the raw mode and the test oracle (RawHdlc) all work,
/// before any project code is put on the line. One VM serves the whole fixture.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class PppdVmLineTests
{
    private static readonly TimeSpan s_frameTimeout = TimeSpan.FromSeconds(15);
    private PppdVm? _vm;

    private PppdVm Vm => _vm ?? throw new InvalidOperationException("no VM");
    private SerialLine Line => Vm.Line;

    [OneTimeSetUp]
    public void StartVm()
    {
        // --respawn: pppd gives up after 30 s of unanswered Configure-Requests; the fixture may take longer.
        _vm = PppdVm.Start(["debug", "noauth"], respawn: true);
    }

    [OneTimeTearDown]
    public void StopVm() => _vm?.Dispose();

    [Test]
    [Order(1)]
    public async Task PppdClient_LineOpened_SendsWellFormedLcpConfigureRequest()
    {
        RawFrame frame = await Line.Frames.WaitForAsync(
            Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureRequest), s_frameTimeout, "LCP Configure-Request");

        RawControlPacket request = Lcp.Packet(frame);
        IReadOnlyList<(byte Type, byte[] Value)>? options = request.TryOptions();
        Assert.That(options, Is.Not.Null, $"option lengths must be well formed: {request}");
        byte[] magic = options!.Single(o => o.Type == Lcp.OptionMagicNumber).Value;
        Assert.Multiple(() =>
        {
            Assert.That(frame.FcsValid, Is.True);
            // LCP is always sent with address and control fields (RFC 1661 §6.6).
            Assert.That(frame.HasAddressAndControl, Is.True);
            Assert.That(magic, Has.Length.EqualTo(4));
            Assert.That(options!.Single(o => o.Type == Lcp.OptionAccm).Value, Is.EqualTo(new byte[4]));
        });

        // The same request, as pppd itself logged it.
        string magicText = BinaryPrimitives.ReadUInt32BigEndian(magic).ToString("x", CultureInfo.InvariantCulture);
        string logged = Vm.WaitLog($@"sent \[LCP ConfReq id=0x{request.Identifier:x} .*<magic 0x{magicText}>", TimeSpan.FromSeconds(5));
        Assert.That(logged, Does.Contain("<asyncmap 0x0>"));
    }

    [Test]
    [Order(2)]
    public async Task PppdClient_OurConfigureRequest_IsAckedWithTheSameOptions()
    {
        byte[] options = [.. Lcp.Option(Lcp.OptionAccm, 0, 0, 0, 0), .. Lcp.Option(Lcp.OptionMagicNumber, 0x12, 0x34, 0x56, 0x78)];
        Line.Write(RawHdlc.EncodeControlPacket(Lcp.Protocol, RawControlPacket.ConfigureRequest, 0x42, options));

        RawFrame ack = await Line.Frames.WaitForAsync(
            Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureAck, 0x42), s_frameTimeout, "LCP Configure-Ack id=0x42");

        Assert.That(Lcp.Packet(ack).Data, Is.EqualTo(options));
        Vm.WaitLog(@"rcvd \[LCP ConfReq id=0x42 <asyncmap 0x0> <magic 0x12345678>\]", TimeSpan.FromSeconds(5));
    }

    [Test]
    [Order(3)]
    public async Task PppdClient_BothRequestsAcked_LcpOpensAndAnswersEcho()
    {
        // Ack whatever pppd asks for next, with our own request acked too: LCP is then Opened on its side.
        byte[] ours = [.. Lcp.Option(Lcp.OptionMagicNumber, 0x0b, 0xad, 0xf0, 0x0d)];
        Line.Write(RawHdlc.EncodeControlPacket(Lcp.Protocol, RawControlPacket.ConfigureRequest, 0x43, ours));
        RawControlPacket theirs = Lcp.Packet(await Line.Frames.WaitForAsync(
            Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureRequest), s_frameTimeout, "LCP Configure-Request"));
        Line.Write(RawHdlc.EncodeControlPacket(Lcp.Protocol, RawControlPacket.ConfigureAck, theirs.Identifier, theirs.Data));
        await Line.Frames.WaitForAsync(Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureAck, 0x43), s_frameTimeout, "LCP Configure-Ack id=0x43");

        // With noauth the next phase is network: pppd starts IPCP.
        await Line.Frames.WaitForAsync(
            Lcp.Is(Lcp.IpcpProtocol, RawControlPacket.ConfigureRequest), s_frameTimeout, "IPCP Configure-Request");

        // Echo-Request carries our magic; the reply carries pppd's (RFC 1661 §5.8).
        Line.Write(RawHdlc.EncodeControlPacket(Lcp.Protocol, Lcp.EchoRequest, 0x77, [0x0b, 0xad, 0xf0, 0x0d, 0xca, 0xfe]));
        RawFrame reply = await Line.Frames.WaitForAsync(Lcp.Is(Lcp.Protocol, Lcp.EchoReply, 0x77), s_frameTimeout, "LCP Echo-Reply");

        byte[] theirMagic = theirs.TryOptions()!.Single(o => o.Type == Lcp.OptionMagicNumber).Value;
        Assert.That(Lcp.Packet(reply).Data, Is.EqualTo((byte[])[.. theirMagic, 0xca, 0xfe]));
        Vm.WaitLog(@"^sent \[IPCP ConfReq", TimeSpan.FromSeconds(5));
    }

    [Test]
    [Order(4)]
    public async Task PppdClient_CoreFraming_IsUnderstoodBothWays()
    {
        // Our encoder's frame is acked: pppd accepted its escapes and FCS.
        byte[] options = [.. Lcp.Option(Lcp.OptionMagicNumber, 0x5e, 0xed, 0x00, 0x01)];
        Line.Write(CoreFrames.Encode(Lcp.Protocol, [RawControlPacket.ConfigureRequest, 0x44, 0, (byte)(4 + options.Length), .. options]));
        await Line.Frames.WaitForAsync(Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureAck, 0x44), s_frameTimeout, "LCP Configure-Ack id=0x44");

        // Our decoder reads everything pppd sent in this fixture as the oracle does. The first
        // frame may be cut (the pty was opened mid-stream), so compare from the first flag on.
        byte[] captured = Line.Captured;
        int firstFlag = Array.IndexOf(captured, RawHdlc.Flag);
        (List<(ushort, byte[])> frames, Ppp.Core.Framing.HdlcCounters counters) = CoreFrames.Decode(captured.AsSpan(firstFlag));
        Assert.That(frames, Is.EqualTo(CoreFrames.Oracle(captured.AsSpan(firstFlag))));
        Assert.That(frames, Has.Count.GreaterThan(3));
        Assert.That(counters.Errors, Is.Zero);
    }
}
