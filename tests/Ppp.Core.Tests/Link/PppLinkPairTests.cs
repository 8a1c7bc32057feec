using System.Net;
using NUnit.Framework;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Tests.Support;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Link;

[TestFixture]
public class PppLinkPairTests
{
    private const ushort Ipcp = (ushort)PppProtocol.Ipcp;
    private const ushort Ipv6cp = (ushort)PppProtocol.Ipv6cp;

    private static readonly InMemorySecretStore Secrets = new(new Dictionary<string, string> { ["alice"] = "s3cret" });

    [Test]
    public void Pair_CleanLine_ReachesNetworkWithAddressesAndDns()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));

        pair.Start();
        bool up = pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30));

        Assert.That(up, Is.True, Dump(pair));
        var a = Ipcp4(pair.A);
        var b = Ipcp4(pair.B);
        Assert.Multiple(() =>
        {
            Assert.That(pair.A.Link.Phase, Is.EqualTo(LinkPhase.Network));
            Assert.That(a.LocalAddress, Is.EqualTo(IPAddress.Parse("10.0.0.1")));
            Assert.That(a.RemoteAddress, Is.EqualTo(IPAddress.Parse("10.0.0.2")));
            Assert.That(b.LocalAddress, Is.EqualTo(IPAddress.Parse("10.0.0.2")));
            Assert.That(b.PrimaryDns, Is.EqualTo(IPAddress.Parse("192.0.2.53")));
            Assert.That(b.SecondaryDns, Is.EqualTo(IPAddress.Parse("192.0.2.54")));
            Assert.That(Ipv6(pair.A).RemoteLinkLocal, Is.EqualTo(Ipv6(pair.B).LocalLinkLocal));
            Assert.That(pair.A.Link.LcpHandler.Result!.TransmitAccm, Is.Zero);
            Assert.That(pair.A.Link.LcpHandler.Result!.TransmitAddressControlCompression, Is.True);
        });
    }

    [Test]
    public void Pair_Opened_CarriesIpv4AndIpv6BothWays()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));
        pair.Start();
        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True);
        byte[] v4 = [0x45, 0, 0, 20, 1, 2, 3, 4, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
        byte[] v6 = new byte[48];
        v6[0] = 0x60;

        Assert.That(pair.A.Link.SendNetworkPacket((ushort)PppProtocol.Ip, v4), Is.True);
        Assert.That(pair.B.Link.SendNetworkPacket((ushort)PppProtocol.Ipv6, v6), Is.True);
        pair.Pump();

        Assert.That(pair.B.Delivered, Has.Count.EqualTo(1));
        Assert.That(pair.B.Delivered[0].Packet, Is.EqualTo(v4));
        Assert.That(pair.A.Delivered[0].Protocol, Is.EqualTo((ushort)PppProtocol.Ipv6));
        Assert.That(pair.A.Delivered[0].Packet, Is.EqualTo(v6));
    }

    [Test]
    public void Pair_Opened_CarriesAPacketOfExactlyTheMru()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));
        pair.Start();
        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True);
        var full = new byte[1500];
        full[0] = 0x45;
        new Random(7).NextBytes(full.AsSpan(1));

        Assert.That(pair.A.Link.SendNetworkPacket((ushort)PppProtocol.Ip, full), Is.True);
        pair.Pump();

        Assert.That(pair.B.Delivered, Has.Count.EqualTo(1));
        Assert.That(pair.B.Delivered[0].Packet, Is.EqualTo(full));
        Assert.That(pair.B.Link.HdlcCounters.Oversize, Is.Zero);
    }

    [TestCase(AuthProtocol.Pap)]
    [TestCase(AuthProtocol.ChapMd5)]
    [TestCase(AuthProtocol.MsChapV2)]
    public void Pair_Authentication_BothDirections_ReachesNetwork(AuthProtocol protocol)
    {
        var pair = new LinkPair(
            side => LinkPair.DefaultOptions(side,
                new AuthOptions { LocalName = side == "A" ? "srv" : "alice", Credentials = new AuthCredentials("alice", "s3cret") },
                new LcpConfig { RequirePeerAuthentication = [protocol] }),
            secretsA: Secrets, secretsB: Secrets);

        pair.Start();

        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True, Dump(pair));
        Assert.That(pair.A.Link.PeerName, Is.EqualTo("alice"));
        Assert.That(pair.A.Link.LcpHandler.Result!.AuthenticatePeerWith, Is.EqualTo(protocol));
        Assert.That(pair.A.Link.LcpHandler.Result!.AuthenticateOurselvesWith, Is.EqualTo(protocol));
        AssertNoSecretLogged(pair, "s3cret");
    }

    [TestCase(AuthProtocol.Pap)]
    [TestCase(AuthProtocol.ChapMd5)]
    [TestCase(AuthProtocol.MsChapV2)]
    public void Pair_WrongPassword_BothSidesEndDeadWithReason(AuthProtocol protocol)
    {
        var pair = new LinkPair(
            side => LinkPair.DefaultOptions(side,
                new AuthOptions { LocalName = side, Credentials = new AuthCredentials("alice", side == "A" ? "s3cret" : "Bad-Pa55") },
                new LcpConfig { RequirePeerAuthentication = side == "A" ? [protocol] : [] }),
            secretsA: Secrets);

        pair.Start();
        bool ended = pair.RunUntil(() => pair.A.Link.Phase == LinkPhase.Dead && pair.B.Link.Phase == LinkPhase.Dead, TimeSpan.FromSeconds(120));

        Assert.That(ended, Is.True, Dump(pair));
        Assert.That(pair.A.Link.LastFailure, Does.Contain("authentication failed"));
        Assert.That(pair.B.Link.Counters.AuthenticationFailures, Is.EqualTo(1));
        // The NCPs never started: LCP going down must not hand them an illegal Down (issue 13).
        Assert.That(pair.A.Link.NetworkControlProtocols.Concat(pair.B.Link.NetworkControlProtocols).Sum(f => f.Counters.IllegalEvents), Is.Zero, Dump(pair));
        AssertNoSecretLogged(pair, "s3cret");
        AssertNoSecretLogged(pair, "Bad-Pa55");
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void Pair_FaultyLine_ReachesOpenedWithChap(int seed)
    {
        var faults = new LineFaults(Loss: 0.2, Duplicate: 0.2, Reorder: 0.2, Corrupt: 0.2, Seed: seed);
        // A line this bad needs more tries than the defaults, as a user would set them with
        // `set lcpretry`, `set chapretry` and `set ipcpretry`.
        var retries = new FsmOptions { MaxConfigure = 20 };
        var pair = new LinkPair(
            side =>
            {
                var options = LinkPair.DefaultOptions(side,
                    new AuthOptions { LocalName = side, Credentials = new AuthCredentials("alice", "s3cret"), ChapMaxRetries = 20 },
                    new LcpConfig { RequirePeerAuthentication = side == "A" ? [AuthProtocol.ChapMd5] : [] });
                return options with
                {
                    LcpFsm = retries,
                    NetworkProtocols = [.. options.NetworkProtocols.Select(n => n with { Fsm = retries })],
                };
            },
            faults, secretsA: Secrets);

        pair.Start();
        bool up = pair.RunUntil(() => BothOpened(pair), TimeSpan.FromMinutes(5));

        Assert.That(up, Is.True, Dump(pair));
        Assert.That(pair.A.FramesDropped + pair.B.FramesDropped, Is.GreaterThan(0));
        Assert.That(pair.A.FramesCorrupted + pair.B.FramesCorrupted, Is.GreaterThan(0));
        Assert.That(pair.A.Link.HdlcCounters.BadFcs + pair.B.Link.HdlcCounters.BadFcs, Is.GreaterThan(0));
    }

    [Test]
    public void Pair_PeerGoesSilent_EchoDeclaresLinkDead()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side, lcp: new LcpConfig
        {
            EchoPeriod = side == "A" ? TimeSpan.FromSeconds(10) : TimeSpan.Zero,
            EchoFailures = 3,
        }));
        pair.Start();
        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True);

        pair.B.Transmitting = false;
        bool dead = pair.RunUntil(() => pair.A.Link.Phase == LinkPhase.Dead, TimeSpan.FromMinutes(2));

        Assert.That(dead, Is.True, Dump(pair));
        Assert.That(pair.A.Link.LastFailure, Does.Contain("echo"));
        Assert.That(pair.A.Link.LcpHandler.EchoRequestsSent, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void Pair_EchoAnswered_MeasuresRoundTripAndStaysUp()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side, lcp: new LcpConfig { EchoPeriod = TimeSpan.FromSeconds(5), EchoFailures = 2 }));
        pair.Start();
        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True);

        pair.RunUntil(() => false, TimeSpan.FromMinutes(1));

        Assert.That(pair.A.Link.Phase, Is.EqualTo(LinkPhase.Network));
        Assert.That(pair.A.Link.LcpHandler.EchoRequestsSent, Is.GreaterThanOrEqualTo(10));
        Assert.That(pair.A.Link.LcpHandler.LastEchoRoundTrip, Is.Not.Null);
    }

    [Test]
    public void Pair_PeerNeverAnswers_LcpGivesUpNamingTheUnansweredRequests()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side) with { LcpFsm = new FsmOptions { MaxConfigure = 3 } });
        pair.B.Transmitting = false;

        pair.Start();
        bool dead = pair.RunUntil(() => pair.A.Link.Phase == LinkPhase.Dead, TimeSpan.FromMinutes(1));

        Assert.That(dead, Is.True, Dump(pair));
        Assert.That(pair.A.Link.LastFailure, Is.EqualTo("LCP gave up: 3 Configure-Requests unanswered"));
        Assert.That(pair.A.Logs.Text, Has.Some.Contains("giving up: 3 Configure-Requests unanswered"));
    }

    [Test]
    public void Pair_NoAddressForEitherSide_IpcpEndsAndTheLinkSaysWhy()
    {
        var pair = new LinkPair(side =>
        {
            var options = LinkPair.DefaultOptions(side);
            var ipcp = new IpcpHandler(new IpcpConfig { IfAddr = IfAddr.Parse(["0.0.0.0/0", "0.0.0.0/0"]).Value! },
                Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            return options with { NetworkProtocols = [new NetworkProtocolSpec(ipcp, (ushort)PppProtocol.Ip)] };
        });
        int ups = 0;
        pair.A.Link.NetworkProtocolHandler<IpcpHandler>().Up += _ => ups++;

        pair.Start();
        bool dead = pair.RunUntil(() => pair.A.Link.Phase == LinkPhase.Dead && pair.B.Link.Phase == LinkPhase.Dead, TimeSpan.FromMinutes(1));

        Assert.That(dead, Is.True, Dump(pair));
        Assert.That(ups, Is.Zero);
        Assert.That(pair.A.Link.LastFailure, Does.StartWith("no network protocols running (IPCP: no IP address for us"));
    }

    [Test]
    public void Pair_PeerRenegotiatesLcp_PhaseGoesBackToEstablishNotTerminate()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));
        pair.Start();
        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True);
        var phases = new List<LinkPhase>();
        pair.A.Link.PhaseChanged += phases.Add;

        // B starts over: its fresh Configure-Request reaches A in Opened (RCR: tld, scr, sca).
        pair.B.Link.LowerDown();
        pair.B.Link.LowerUp();
        bool up = pair.RunUntil(() => BothOpened(pair) && phases.Count > 0, TimeSpan.FromSeconds(30));

        Assert.That(up, Is.True, Dump(pair));
        Assert.That(phases, Does.Not.Contain(LinkPhase.Terminate));
        Assert.That(phases[0], Is.EqualTo(LinkPhase.Establish));
    }

    [Test]
    public void LoopedBackLine_IsDetectedAndTheLinkFails()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));
        // Wire A to itself: everything it sends comes straight back.
        var a = pair.A;
        a.Peer = a;

        a.Link.Open();
        a.Link.LowerUp();
        bool failed = pair.RunUntil(() => a.Link.LastFailure is not null, TimeSpan.FromMinutes(1));

        Assert.That(failed, Is.True, Dump(pair));
        Assert.That(a.Link.LastFailure, Does.Contain("looped back"));
    }

    [Test]
    public void UnknownProtocol_GetsProtocolReject()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));
        pair.Start();
        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True);
        var encoder = new Ppp.Core.Framing.HdlcEncoder();
        var frame = new byte[64];
        int n = encoder.Encode(0x0231, [1, 2, 3], frame);

        pair.B.Link.ReceiveBytes(frame.AsSpan(0, n));
        pair.Pump();

        Assert.That(pair.B.Link.Counters.ProtocolRejectsSent, Is.EqualTo(1));
        Assert.That(pair.A.Logs.Text, Has.Some.Contains("peer rejected protocol 0x0231"));
        Assert.That(pair.A.Link.Phase, Is.EqualTo(LinkPhase.Network));
    }

    [Test]
    public void PeerRejectsIpv6cp_LinkStaysUpOnIpv4()
    {
        var pair = new LinkPair(side => side == "A"
            ? LinkPair.DefaultOptions(side)
            : LinkPair.DefaultOptions(side) with { NetworkProtocols = [LinkPair.DefaultOptions(side).NetworkProtocols[0]] });
        pair.Start();

        bool up = pair.RunUntil(() => pair.A.Opened(Ipcp) && pair.B.Opened(Ipcp)
            && pair.A.Link.NetworkControlProtocols.Single(f => f.Handler.Protocol == Ipv6cp).State == FsmState.Stopped,
            TimeSpan.FromSeconds(30));

        Assert.That(up, Is.True, Dump(pair));
        Assert.That(pair.A.Link.Phase, Is.EqualTo(LinkPhase.Network));
    }

    [Test]
    public void Close_SendsTerminateRequestAndBothSidesEndDead()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));
        pair.Start();
        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True);
        bool aNeedsNoLine = false;
        pair.A.Link.LowerLayerNotNeeded += () => aNeedsNoLine = true;

        pair.A.Link.Close("user request");
        bool down = pair.RunUntil(() => pair.A.Link.Phase == LinkPhase.Dead && pair.B.Link.Phase != LinkPhase.Network, TimeSpan.FromSeconds(30));

        Assert.That(down, Is.True, Dump(pair));
        Assert.That(aNeedsNoLine, Is.True);
        Assert.That(pair.B.Logs.Text, Has.Some.Contains("RecvTerminateReq"));
        Assert.That(pair.B.Logs.Text, Has.Some.Contains("user request"));
    }

    [Test]
    public void DataPath_SteadyState_AllocatesNothing()
    {
        var pair = new LinkPair(side => LinkPair.DefaultOptions(side));
        pair.Start();
        Assert.That(pair.RunUntil(() => BothOpened(pair), TimeSpan.FromSeconds(30)), Is.True);
        var sender = new DirectWire(pair.B.Link);
        pair.B.KeepDeliveries = false;
        var packet = new byte[1400];
        packet[0] = 0x45;
        for (int i = 0; i < 100; i++)
            sender.Send(packet);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
            sender.Send(packet);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(pair.B.DeliveredCount, Is.EqualTo(10_100));
    }

    /// <summary>Encodes a packet as a link would and feeds it straight to the receiving link.</summary>
    private sealed class DirectWire(PppLink receiver)
    {
        private readonly Ppp.Core.Framing.HdlcEncoder _encoder = new() { TransmitAccm = 0, AddressControlCompression = true, ProtocolCompression = true };
        private readonly byte[] _frame = new byte[4096];

        public void Send(byte[] packet)
        {
            int n = _encoder.Encode((ushort)PppProtocol.Ip, packet, _frame);
            receiver.ReceiveBytes(_frame.AsSpan(0, n));
        }
    }

    private static bool BothOpened(LinkPair pair) =>
        pair.A.Opened(Ipcp) && pair.B.Opened(Ipcp) && pair.A.Opened(Ipv6cp) && pair.B.Opened(Ipv6cp);

    private static IpcpResult Ipcp4(LinkPair.Side side) =>
        side.Link.NetworkProtocolHandler<IpcpHandler>().Result!;

    private static Ipv6cpResult Ipv6(LinkPair.Side side) =>
        side.Link.NetworkProtocolHandler<Ipv6cpHandler>().Result!;

    private static void AssertNoSecretLogged(LinkPair pair, string secret)
    {
        Assert.That(pair.A.Logs.Text, Has.None.Contains(secret));
        Assert.That(pair.B.Logs.Text, Has.None.Contains(secret));
    }

    private static string Dump(LinkPair pair) =>
        string.Join('\n', pair.A.Logs.Text.Select(l => $"A {l}").Concat(pair.B.Logs.Text.Select(l => $"B {l}")).TakeLast(80));
}
