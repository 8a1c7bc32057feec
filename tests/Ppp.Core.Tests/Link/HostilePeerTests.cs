using System.Buffers.Binary;
using NUnit.Framework;
using Ppp.Core.Framing;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Tests.Support;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Link;

/// <summary>
/// Issue 11: a peer that floods us, on the manual clock and a loop turned by hand. What is
/// asserted is bounds (frames queued, bytes allocated), never speed.
/// </summary>
[TestFixture]
public sealed class HostilePeerTests
{
    private const ushort Lcp = (ushort)PppProtocol.Lcp;

    [Test]
    public void EchoFlood_LoopBehindAndPeerNotReading_QueuesAndAllocationsStayBounded()
    {
        var loop = new ManualLoop();
        var pair = Opened(loop);
        // The peer stops reading: our output holds 32 control packets (the device writer's
        // control lane), then refuses.
        pair.A.Output.StalledRoom = 32;
        byte[] chunk = EchoRequests(pair, 100);
        pair.A.Link.ReceiveBytes(chunk);
        loop.RunAll();

        const int Chunks = 2000;
        long allocated = 0;
        for (int i = 0; i < Chunks; i++)
        {
            // The reader decodes 100 frames for every slice the loop gets to handle, 100 every
            // 10 ms (the test clock's own allocations are not the link's).
            long before = GC.GetAllocatedBytesForCurrentThread();
            pair.A.Link.ReceiveBytes(chunk);
            loop.RunOne();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            pair.Clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        loop.RunAll();
        TestContext.Out.WriteLine($"allocated {allocated} bytes for {100 * Chunks} frames; overrun {pair.A.Link.Counters.ControlFramesOverrun}");

        var counters = pair.A.Link.Counters;
        long sent = 100L * (Chunks + 1);
        Assert.Multiple(() =>
        {
            // 200,100 Echo-Requests: the loop never held more than one drain and a timer,
            // the frame queue never more than its capacity, and the rest was counted.
            Assert.That(loop.PeakPending, Is.LessThanOrEqualTo(2));
            Assert.That(pair.A.Link.PendingControlFrames, Is.Zero);
            Assert.That(counters.ControlFramesOverrun, Is.GreaterThan(sent / 2));
            Assert.That(pair.A.Output.StalledQueued, Is.EqualTo(32));
            Assert.That(counters.ControlFramesDropped + 32 + pair.A.Link.LcpHandler.EchoRepliesLimited, Is.EqualTo(sent - counters.ControlFramesOverrun),
                "every Echo-Request handled got a reply that was queued or dropped and counted, or none (rate limit)");
            // 20 s of flood: at most 10 replies a second, one window more for the boundaries.
            Assert.That(counters.ControlFramesDropped + 32, Is.LessThanOrEqualTo(10 * 21));
            // Nothing per frame: the whole flood allocates less than 64 KiB.
            Assert.That(allocated, Is.LessThan(64 * 1024));
            Assert.That(pair.A.Link.Lcp.State, Is.EqualTo(FsmState.Opened));
        });
    }

    [Test]
    public void ControlFrames_BacklogOfSixtyFour_DrainedInSlicesWithOtherWorkBetween()
    {
        var loop = new ManualLoop();
        var pair = Opened(loop);
        long before = pair.A.Link.Lcp.Counters.Received;
        pair.A.Link.ReceiveBytes(DiscardRequests(pair, 100));
        Assert.That(pair.A.Link.PendingControlFrames, Is.EqualTo(ControlFrameQueue.Capacity));
        Assert.That(pair.A.Link.Counters.ControlFramesOverrun, Is.EqualTo(100 - ControlFrameQueue.Capacity));

        long handledWhenCommandRan = -1;
        loop.Post(() => handledWhenCommandRan = pair.A.Link.Lcp.Counters.Received - before);
        loop.RunAll();

        // The command posted behind the first drain ran after one slice, not after the backlog.
        Assert.That(handledWhenCommandRan, Is.EqualTo(ControlFrameQueue.SliceFrames));
        Assert.That(pair.A.Link.Lcp.Counters.Received - before, Is.EqualTo(ControlFrameQueue.Capacity));
    }

    [Test]
    public void PeerFlooding_AfterOverrunsThenQuiet_TrueWithinTheWindowOnly()
    {
        var loop = new ManualLoop();
        var pair = Opened(loop);
        Assert.That(pair.A.Link.PeerFlooding(TimeSpan.FromSeconds(1)), Is.False);

        pair.A.Link.ReceiveBytes(DiscardRequests(pair, 100));
        loop.RunAll();
        bool during = pair.A.Link.PeerFlooding(TimeSpan.FromSeconds(1));
        pair.Clock.Advance(TimeSpan.FromSeconds(2));
        bool after = pair.A.Link.PeerFlooding(TimeSpan.FromSeconds(1));

        Assert.That((during, after), Is.EqualTo((true, false)));
    }

    /// <summary>A pair with LCP and IPCP opened, the loop turned by hand.</summary>
    private static LinkPair Opened(ManualLoop loop)
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side), loop: loop);
        pair.Start();
        Assert.That(pair.RunUntil(() => pair.A.Opened((ushort)PppProtocol.Ipcp), TimeSpan.FromSeconds(30)), Is.True);
        return pair;
    }

    /// <summary><paramref name="count"/> LCP Echo-Requests from B, framed back to back as one read.</summary>
    private static byte[] EchoRequests(LinkPair pair, int count)
    {
        byte[] packet = [(byte)ControlCode.EchoRequest, 1, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), pair.B.Link.LcpHandler.Result!.OurMagic);
        return Frames(Lcp, packet, count);
    }

    /// <summary><paramref name="count"/> LCP Discard-Requests from B (no answer), framed back to back as one read.</summary>
    private static byte[] DiscardRequests(LinkPair pair, int count)
    {
        byte[] packet = [(byte)ControlCode.DiscardRequest, 1, 0, 8, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), pair.B.Link.LcpHandler.Result!.OurMagic);
        return Frames(Lcp, packet, count);
    }

    /// <summary><paramref name="count"/> copies of one control packet, framed back to back as one read.</summary>
    internal static byte[] Frames(ushort protocol, byte[] packet, int count)
    {
        var encoder = new HdlcEncoder();
        var frame = new byte[HdlcEncoder.MaxEncodedLength(packet.Length)];
        int n = encoder.Encode(protocol, packet, frame);
        var stream = new byte[n * count];
        for (int i = 0; i < count; i++)
            frame.AsSpan(0, n).CopyTo(stream.AsSpan(i * n));
        return stream;
    }
}

/// <summary>Issue 11: peers that would negotiate for ever are cut off within Max-Failure.</summary>
[TestFixture]
public sealed class NegotiationLoopTests
{
    private const ushort Lcp = (ushort)PppProtocol.Lcp;
    private const ushort Ipcp = (ushort)PppProtocol.Ipcp;

    [Test]
    public void Lcp_PeerAcksOursButRepeatsAnMruWeReject_GivesUpWithinMaxFailure()
    {
        var peer = new ScriptedPeer(LinkPair.DefaultOptions("A"));
        peer.Link.Open();
        peer.Link.LowerUp();
        int maxFailure = peer.Link.Lcp.Options.MaxFailure;

        int rounds = 0;
        for (; rounds < 1000 && peer.Link.LastFailure is null; rounds++)
        {
            peer.AckRequests(peer.TakeNew(), Lcp);
            // MRU 32: below our minimum, Nak'd, then (after Max-Failure Naks) rejected.
            peer.Send(Lcp, ControlCode.ConfigureRequest, (byte)rounds, [1, 4, 0, 32]);
        }

        Assert.Multiple(() =>
        {
            Assert.That(peer.Count(Lcp, ControlCode.ConfigureNak), Is.EqualTo(maxFailure));
            Assert.That(peer.Count(Lcp, ControlCode.ConfigureReject), Is.EqualTo(maxFailure));
            Assert.That(rounds, Is.EqualTo(2 * maxFailure + 1));
            Assert.That(peer.Link.LastFailure, Does.Contain("not converging"));
            Assert.That(peer.Link.Phase, Is.EqualTo(LinkPhase.Dead));
        });
    }

    [Test]
    public void Ipcp_PeerInsistsOnAddressZero_GivesUpWithinMaxFailureAndTheLinkCloses()
    {
        var options = LinkPair.DefaultOptions("A");
        options = options with { NetworkProtocols = [options.NetworkProtocols[0]] };
        var peer = new ScriptedPeer(options);
        peer.Link.Open();
        peer.Link.LowerUp();
        peer.AckRequests(peer.TakeNew(), Lcp);
        peer.Send(Lcp, ControlCode.ConfigureRequest, 1, []);
        Assert.That(peer.Link.Phase, Is.EqualTo(LinkPhase.Network));
        var ipcp = peer.Link.NetworkControlProtocols.Single();
        int maxFailure = ipcp.Options.MaxFailure;

        int rounds = 0;
        for (; rounds < 1000 && peer.Link.LastFailure is null; rounds++)
        {
            peer.AckRequests(peer.TakeNew(), Ipcp);
            // IP-Address 0.0.0.0, whatever we Nak.
            peer.Send(Ipcp, ControlCode.ConfigureRequest, (byte)rounds, [3, 6, 0, 0, 0, 0]);
        }
        TestContext.Out.WriteLine($"{rounds} requests; IPCP: {ipcp.FailureReason}; link: {peer.Link.LastFailure}");

        Assert.Multiple(() =>
        {
            Assert.That(peer.Count(Ipcp, ControlCode.ConfigureNak), Is.LessThanOrEqualTo(maxFailure), ipcp.FailureReason);
            Assert.That(peer.Count(Ipcp, ControlCode.ConfigureReject), Is.LessThanOrEqualTo(maxFailure), ipcp.FailureReason);
            Assert.That(rounds, Is.LessThanOrEqualTo(2 * maxFailure + 1));
            Assert.That(ipcp.FailureReason, Is.Not.Null);
            Assert.That(peer.Link.LastFailure, Does.Contain("IPCP"));
            Assert.That(peer.Link.Phase, Is.EqualTo(LinkPhase.Terminate));
        });
    }

    [Test]
    public void Lcp_PeerNaksOurMagicWithOtherValues_LinkStillOpens()
    {
        var peer = new ScriptedPeer(LinkPair.DefaultOptions("A"));
        peer.Link.Open();
        peer.Link.LowerUp();
        // Five Naks of our magic number, each with a value of the peer's choosing (not ours
        // coming back): RFC 1661 §6.4 says the line is not looped back.
        for (int i = 0; i < 5; i++)
        {
            var request = peer.TakeNew().Last(s => s.Protocol == Lcp && s.Packet[0] == (byte)ControlCode.ConfigureRequest).Packet;
            peer.Send(Lcp, ControlCode.ConfigureNak, request[1], [5, 6, 0x10, 0x20, 0x30, (byte)(0x40 + i)]);
        }
        peer.AckRequests(peer.TakeNew(), Lcp);
        peer.Send(Lcp, ControlCode.ConfigureRequest, 1, [5, 6, 0xca, 0xfe, 0xba, 0xbe]);

        Assert.That(peer.Link.LastFailure, Is.Null);
        Assert.That(peer.Link.Lcp.State, Is.EqualTo(FsmState.Opened));
    }
}

/// <summary>Issue 11: the final reason names what ended the link.</summary>
[TestFixture]
public sealed class EndReasonTests
{
    private const ushort Lcp = (ushort)PppProtocol.Lcp;

    [TestCase(ControlCode.CodeReject, new byte[] { 1, 9, 0, 4 }, "Code-Reject", TestName = "EndReason_CodeRejectOfConfigureRequest_NamesIt")]
    [TestCase(ControlCode.ProtocolReject, new byte[] { 0xc0, 0x21 }, "Protocol-Reject", TestName = "EndReason_ProtocolRejectOfLcp_NamesIt")]
    public void EndReason_CatastrophicReject_NamesIt(ControlCode code, byte[] data, string named)
    {
        var peer = new ScriptedPeer(LinkPair.DefaultOptions("A"));
        peer.Link.Open();
        peer.Link.LowerUp();
        peer.AckRequests(peer.TakeNew(), Lcp);
        peer.Send(Lcp, ControlCode.ConfigureRequest, 1, []);
        Assert.That(peer.Link.Lcp.State, Is.EqualTo(FsmState.Opened));

        peer.Send(Lcp, code, 5, data);
        for (int i = 0; i < 5 && peer.Link.Phase != LinkPhase.Dead; i++)
            peer.Clock.Advance(TimeSpan.FromSeconds(3));

        Assert.That(peer.Link.Phase, Is.EqualTo(LinkPhase.Dead));
        Assert.That(peer.Link.LastFailure, Does.Contain(named));
    }
}

/// <summary>Issue 11: the normal ends of a link log no warnings.</summary>
[TestFixture]
public sealed class NormalEndTests
{
    [TestCase("we close", TestName = "NormalEnd_WeClose_NoWarnings")]
    [TestCase("peer closes", TestName = "NormalEnd_PeerCloses_NoWarnings")]
    [TestCase("line drops", TestName = "NormalEnd_LineDropsInNetworkPhase_NoWarnings")]
    [TestCase("line drops early", TestName = "NormalEnd_LineDropsDuringEstablish_NoWarnings")]
    public void NormalEnd_NoWarnings(string how)
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));
        pair.Start();
        if (how != "line drops early")
            Assert.That(pair.RunUntil(() => pair.A.Link.IsNetworkUp && pair.B.Link.IsNetworkUp, TimeSpan.FromSeconds(30)), Is.True);
        switch (how)
        {
            case "we close":
                pair.A.Link.Close("bye");
                break;
            case "peer closes":
                pair.B.Link.Close("bye");
                break;
        }
        pair.RunUntil(() => pair.A.Link.Phase == LinkPhase.Dead && pair.B.Link.Phase == LinkPhase.Dead, TimeSpan.FromSeconds(20));
        // The line goes (or the hang-up that followed the close is seen).
        pair.A.Link.LowerDown();
        pair.B.Link.LowerDown();
        pair.Pump();

        var warnings = pair.A.Logs.Lines.Concat(pair.B.Logs.Lines).Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).ToList();
        Assert.That(warnings, Is.Empty);
    }
}

/// <summary>Issue 11: what a peer can make us send and log is rate-limited, on the link's clock.</summary>
[TestFixture]
public sealed class PeerReplyLimitTests
{
    private const ushort Lcp = (ushort)PppProtocol.Lcp;

    [Test]
    public void WindowLimit_TenASecond_RefusesTheRestUntilTheNextSecond()
    {
        var clock = new ManualTimeProvider();
        var limit = WindowLimit.ForReplies(clock);

        int first = Enumerable.Range(0, 100).Count(_ => limit.TryTake());
        clock.Advance(TimeSpan.FromMilliseconds(999));
        int sameSecond = Enumerable.Range(0, 100).Count(_ => limit.TryTake());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        int next = Enumerable.Range(0, 100).Count(_ => limit.TryTake());

        Assert.That((first, sameSecond, next), Is.EqualTo((10, 0, 10)));
        Assert.That(limit.Refused, Is.EqualTo(280));
    }

    [Test]
    public void AllowLine_ARepeatedLine_IsCoalescedIntoOneCount()
    {
        var clock = new ManualTimeProvider();
        var logs = new CapturingLoggerFactory();
        var logger = logs.CreateLogger("Phase");
        var limit = WindowLimit.ForLogLines(clock);

        bool Line() => limit.AllowLine(logger, Microsoft.Extensions.Logging.LogLevel.Information, "deflink", "Protocol-Rejects");
        int written = Enumerable.Range(0, 20_000).Count(_ => Line());
        clock.Advance(TimeSpan.FromSeconds(10));
        bool next = Line();

        // 20,000 lines at once: five written, and the next one, ten seconds later, is preceded by the count of the rest.
        Assert.That((written, next), Is.EqualTo((5, true)));
        Assert.That(logs.Text, Has.Count.EqualTo(1));
        Assert.That(logs.Text[0], Does.StartWith("Phase: deflink: ... 19995 more Protocol-Rejects in the last 10 s"));
    }

    [Test]
    public void UnknownProtocolFlood_ProtocolRejectsAndLogLinesLimited()
    {
        var peer = OpenedLcp();
        for (int second = 0; second < 5; second++)
        {
            for (int i = 0; i < 1000; i++)
                peer.Send(0x8777, ControlCode.ConfigureRequest, (byte)i, []);
            peer.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        int rejects = peer.Count(Lcp, ControlCode.ProtocolReject);
        int lines = peer.Logs.Text.Count(t => t.Contains("not supported, sending Protocol-Reject", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(rejects, Is.EqualTo(5 * WindowLimit.RepliesPerSecond));
            Assert.That(peer.Link.Counters.ProtocolRejectsLimited, Is.EqualTo(5000 - rejects));
            Assert.That(peer.Link.RepliesLimited, Is.EqualTo(5000 - rejects));
            Assert.That(lines, Is.EqualTo(WindowLimit.LinesPerWindow));
        });
    }

    [TestCase(ControlCode.TerminateRequest, ControlCode.TerminateAck, TestName = "TerminateRequestFlood_TerminateAcksLimited")]
    [TestCase((ControlCode)0x30, ControlCode.CodeReject, TestName = "UnknownCodeFlood_CodeRejectsLimited")]
    [TestCase(ControlCode.EchoRequest, ControlCode.EchoReply, TestName = "EchoRequestFlood_EchoRepliesLimited")]
    public void Flood_RepliesLimitedToTenASecond(ControlCode flood, ControlCode reply)
    {
        var peer = OpenedLcp();
        for (int i = 0; i < 1000; i++)
            peer.Send(Lcp, flood, (byte)i, [0, 0, 0, 0]);

        Assert.That(peer.Count(Lcp, reply), Is.EqualTo(WindowLimit.RepliesPerSecond));
        Assert.That(peer.Link.RepliesLimited, Is.EqualTo(1000 - WindowLimit.RepliesPerSecond));
    }

    private static ScriptedPeer OpenedLcp()
    {
        var peer = new ScriptedPeer(LinkPair.DefaultOptions("A", lcp: new LcpConfig { Loopback = OptionPolicy.None }));
        peer.Link.Open();
        peer.Link.LowerUp();
        peer.AckRequests(peer.TakeNew(), Lcp);
        peer.Send(Lcp, ControlCode.ConfigureRequest, 1, []);
        Assert.That(peer.Link.Lcp.State, Is.EqualTo(FsmState.Opened));
        return peer;
    }
}
