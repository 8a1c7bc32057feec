using System.Text;
using NUnit.Framework;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Protocols.Auth;

/// <summary>
/// Two phases back to back: A is the server "srv" (knows alice), B the client "alice" (knows srv).
/// </summary>
public class AuthenticationPhaseTests
{
    private const string AlicePass = "alice-Pa55";
    private const string SrvPass = "srv-Pa55";
    private const ushort Pap = (ushort)PppProtocol.Pap;
    private const ushort Chap = (ushort)PppProtocol.Chap;

    private static AuthPair CreatePair(string clientName = "alice", string clientKey = AlicePass, string srvKeyAtClient = SrvPass) =>
        new(
            new AuthOptions { LocalName = "srv", Credentials = new AuthCredentials("srv", SrvPass) },
            new InMemorySecretStore(new Dictionary<string, string>() { ["alice"] = AlicePass }),
            new AuthOptions { LocalName = "alice-host", Credentials = new AuthCredentials(clientName, clientKey) },
            new InMemorySecretStore(new Dictionary<string, string>() { ["srv"] = srvKeyAtClient }));

    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    [TestCase(AuthProtocol.Pap)]
    [TestCase(AuthProtocol.ChapMd5)]
    [TestCase(AuthProtocol.MsChapV2)]
    public void Start_ServerAuthenticatesClient_BothSucceed(AuthProtocol protocol)
    {
        var pair = CreatePair();
        var start = pair.Clock.GetUtcNow();

        pair.Start(protocol, AuthProtocol.None);
        pair.Pump();

        Assert.That(pair.A.Result, Is.EqualTo(new AuthResult(true, "alice", null)));
        Assert.That(pair.B.Result, Is.EqualTo(new AuthResult(true, null, null)));
        Assert.That(pair.A.Phase.PeerName, Is.EqualTo("alice"));
        Assert.That(pair.A.Completions + pair.B.Completions, Is.EqualTo(2));
        Assert.That(pair.Clock.GetUtcNow(), Is.EqualTo(start), "no retries needed");
    }

    [TestCase(AuthProtocol.Pap, AuthProtocol.Pap)]
    [TestCase(AuthProtocol.ChapMd5, AuthProtocol.ChapMd5)]
    [TestCase(AuthProtocol.MsChapV2, AuthProtocol.MsChapV2)]
    [TestCase(AuthProtocol.Pap, AuthProtocol.MsChapV2)]
    [TestCase(AuthProtocol.ChapMd5, AuthProtocol.Pap)]
    [TestCase(AuthProtocol.MsChapV2, AuthProtocol.ChapMd5)]
    public void Start_BothDirectionsAtOnce_BothSucceedWithPeerNames(AuthProtocol aAuthenticatesB, AuthProtocol bAuthenticatesA)
    {
        var pair = CreatePair();

        pair.Start(aAuthenticatesB, bAuthenticatesA);
        pair.Run(Minute);

        Assert.That(pair.A.Result, Is.EqualTo(new AuthResult(true, "alice", null)));
        Assert.That(pair.B.Result, Is.EqualTo(new AuthResult(true, "srv", null)));
        Assert.That(pair.A.Completions, Is.EqualTo(1));
        Assert.That(pair.B.Completions, Is.EqualTo(1));
    }

    [TestCase(AuthProtocol.Pap, "PAP: wrong password for alice", "PAP: the peer refused our name alice (Access denied)")]
    [TestCase(AuthProtocol.ChapMd5, "CHAP: wrong response from alice", "CHAP: the peer refused our name alice (Access denied)")]
    [TestCase(AuthProtocol.MsChapV2, "MS-CHAPv2: wrong response from alice", "MS-CHAPv2: the peer refused our name alice: E=691 (authentication failure) Authentication failure")]
    public void Start_WrongPassword_BothSidesFailWithClearReason(AuthProtocol protocol, string serverReason, string clientReason)
    {
        var pair = CreatePair(clientKey: "not-the-password");

        pair.Start(protocol, AuthProtocol.None);
        pair.Run(Minute);

        Assert.That(pair.A.Result, Is.EqualTo(new AuthResult(false, null, serverReason)));
        Assert.That(pair.B.Result, Is.EqualTo(new AuthResult(false, null, clientReason)));
        Assert.That(pair.A.Phase.PeerName, Is.Null);
    }

    [TestCase(AuthProtocol.Pap, "PAP: unknown peer name mallory")]
    [TestCase(AuthProtocol.ChapMd5, "CHAP: unknown peer name mallory")]
    [TestCase(AuthProtocol.MsChapV2, "MS-CHAPv2: unknown peer name mallory")]
    public void Start_UnknownUser_ServerFailsNamingIt(AuthProtocol protocol, string serverReason)
    {
        var pair = CreatePair(clientName: "mallory");

        pair.Start(protocol, AuthProtocol.None);
        pair.Run(Minute);

        Assert.That(pair.A.Result?.FailureReason, Is.EqualTo(serverReason));
        Assert.That(pair.B.Result?.Success, Is.False);
    }

    [TestCase(AuthProtocol.Pap, 1)]
    [TestCase(AuthProtocol.Pap, 2)]
    [TestCase(AuthProtocol.ChapMd5, 1)]
    [TestCase(AuthProtocol.ChapMd5, 2)]
    [TestCase(AuthProtocol.MsChapV2, 2)]
    public void Start_FirstPacketsLost_RetriesRecover(AuthProtocol protocol, int lost)
    {
        var pair = CreatePair();
        pair.Filter = (_, _, packet, index) => index < lost ? null : packet;

        pair.Start(protocol, protocol);
        pair.Run(Minute);

        Assert.That(pair.A.Result?.Success, Is.True, pair.A.Result?.FailureReason);
        Assert.That(pair.B.Result?.Success, Is.True, pair.B.Result?.FailureReason);
    }

    [TestCase(AuthProtocol.ChapMd5)]
    [TestCase(AuthProtocol.MsChapV2)]
    public void Start_SuccessLost_PeerResendsResponseAndGetsTheSameVerdict(AuthProtocol protocol)
    {
        // Nothing retransmits a lost Success: the authenticator has finished. The peer resends
        // its Response, and the authenticator answers the duplicate with the same Success.
        var pair = CreatePair();
        int successes = 0;
        pair.Filter = (_, _, packet, _) => packet[0] == (byte)ChapCode.Success && successes++ == 0 ? null : packet;

        pair.Start(protocol, AuthProtocol.None);
        pair.Run(Minute);

        Assert.That(pair.A.Result?.Success, Is.True, pair.A.Result?.FailureReason);
        Assert.That(pair.B.Result?.Success, Is.True, pair.B.Result?.FailureReason);
        Assert.That(successes, Is.EqualTo(2));
    }

    [TestCase(AuthProtocol.Pap, (byte)2)]       // the Ack is lost: the request is sent again and acked again
    [TestCase(AuthProtocol.ChapMd5, (byte)2)]   // the Response is lost: the Challenge is sent again
    [TestCase(AuthProtocol.MsChapV2, (byte)2)]
    public void Start_FirstReplyLost_RecoversThroughRetransmission(AuthProtocol protocol, byte lostCode)
    {
        var pair = CreatePair();
        bool dropped = false;
        pair.Filter = (_, _, packet, _) =>
        {
            bool isTarget = protocol == AuthProtocol.Pap ? packet[0] == lostCode : packet[0] == (byte)ChapCode.Response;
            if (!dropped && isTarget)
            {
                dropped = true;
                return null;
            }
            return packet;
        };

        pair.Start(protocol, AuthProtocol.None);
        pair.Run(Minute);

        Assert.That(dropped, Is.True);
        Assert.That(pair.A.Result?.Success, Is.True, pair.A.Result?.FailureReason);
        Assert.That(pair.B.Result?.Success, Is.True, pair.B.Result?.FailureReason);
    }

    [TestCase(AuthProtocol.Pap, AuthProtocol.None, 30, "PAP: the peer sent no Authenticate-Request within 30 s")]
    [TestCase(AuthProtocol.ChapMd5, AuthProtocol.None, 9, "CHAP: no Response to 3 Challenge(s)")]
    [TestCase(AuthProtocol.MsChapV2, AuthProtocol.None, 9, "MS-CHAPv2: no Response to 3 Challenge(s)")]
    [TestCase(AuthProtocol.None, AuthProtocol.Pap, 9, "PAP: no reply to 3 Authenticate-Request(s)")]
    [TestCase(AuthProtocol.None, AuthProtocol.ChapMd5, 30, "CHAP: no Challenge from the peer within 30 s")]
    public void Start_PeerNeverAnswers_FailsAfterBoundedTime(AuthProtocol peerWith, AuthProtocol ourselvesWith, int seconds, string reason)
    {
        var pair = CreatePair();
        pair.Filter = (_, _, _, _) => null;
        var start = pair.Clock.GetUtcNow();

        pair.A.Phase.Start(peerWith, ourselvesWith);
        while (pair.A.Result is null && pair.Clock.GetUtcNow() - start < TimeSpan.FromMinutes(5))
            pair.Clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.That(pair.A.Result, Is.EqualTo(new AuthResult(false, null, reason)));
        Assert.That((pair.Clock.GetUtcNow() - start).TotalSeconds, Is.EqualTo(seconds).Within(0.15));
        Assert.That(pair.Clock.PendingTimers, Is.Zero);
    }

    [Test]
    public void Start_ChapPeerGotResponseButNoDecision_TimesOut()
    {
        var pair = CreatePair();
        // Everything from A after its first Challenge is lost: B answers and hears nothing more.
        pair.Filter = (side, _, packet, _) => side == pair.A && packet[0] != (byte)ChapCode.Challenge ? null : packet;

        pair.Start(AuthProtocol.ChapMd5, AuthProtocol.None);
        pair.Run(Minute);

        Assert.That(pair.B.Result?.FailureReason, Is.EqualTo("CHAP: the peer did not accept or refuse our Response within 30 s"));
    }

    [Test]
    public void Start_MsChapV2AuthenticatorResponseTampered_ClientFails()
    {
        var pair = CreatePair();
        pair.Filter = (_, _, packet, _) =>
        {
            if (packet[0] == (byte)ChapCode.Success)
                packet[6] = packet[6] == (byte)'0' ? (byte)'1' : (byte)'0';  // first hex digit after "S="
            return packet;
        };

        pair.Start(AuthProtocol.MsChapV2, AuthProtocol.None);
        pair.Run(Minute);

        Assert.That(pair.A.Result?.Success, Is.True);
        Assert.That(pair.B.Result, Is.EqualTo(new AuthResult(false, null,
            "MS-CHAPv2: the peer's authenticator response is wrong (it does not know our secret)")));
    }

    [Test]
    public void Start_MsChapV2ServerKnowsADifferentSecret_ClientRejectsSuccess()
    {
        // A Success whose S= was computed from the wrong password: an impostor server that
        // accepted us anyway. Simulated by answering the Response ourselves.
        var pair = CreatePair();
        pair.Filter = (side, _, packet, _) => side == pair.A && packet[0] == (byte)ChapCode.Success
            ? [.. packet[..6], .. "0000000000000000000000000000000000000000 M=ok"u8]
            : packet;
        pair.Filter = FixLength(pair.Filter);

        pair.Start(AuthProtocol.MsChapV2, AuthProtocol.None);
        pair.Run(Minute);

        Assert.That(pair.B.Result?.Success, Is.False);
    }

    [Test]
    public void Start_MsChapV2_ResponseCarriesUserNameAndFortyNineOctetValue()
    {
        var pair = CreatePair();

        pair.Start(AuthProtocol.MsChapV2, AuthProtocol.None);
        pair.Run(Minute);

        var response = pair.Wire.Single(p => p.From == "B" && p.Packet[0] == (byte)ChapCode.Response).Packet;
        Assert.That(ControlPacket.TryParse(response, out ControlPacket parsed), Is.True);
        Assert.That(ChapPacket.TryParseValueAndName(parsed.Data, out var value, out var name), Is.True);
        Assert.That(value.Length, Is.EqualTo(49));
        Assert.That(value[16..].ToArray()[..8], Is.All.EqualTo(0));
        Assert.That(value[48], Is.Zero);
        Assert.That(Encoding.ASCII.GetString(name), Is.EqualTo("alice"));
        var success = pair.Wire.Single(p => p.From == "A" && p.Packet[0] == (byte)ChapCode.Success).Packet;
        Assert.That(Encoding.ASCII.GetString(success, 4, success.Length - 4), Does.Match("^S=[0-9A-F]{40} M=Access granted$"));
        var challenge = pair.Wire.Single(p => p.From == "A" && p.Packet[0] == (byte)ChapCode.Challenge).Packet;
        Assert.That(challenge[4], Is.EqualTo(16));
        Assert.That(Encoding.ASCII.GetString(challenge, 21, challenge.Length - 21), Is.EqualTo("srv"));
    }

    [TestCase(AuthProtocol.ChapMd5)]
    [TestCase(AuthProtocol.MsChapV2)]
    public void Receive_ResponseRepeatedAfterSuccess_SameSuccessSentAgain(AuthProtocol protocol)
    {
        var pair = CreatePair();
        pair.Start(protocol, AuthProtocol.None);
        pair.Run(Minute);
        var response = pair.Wire.Single(p => p.From == "B" && p.Packet[0] == (byte)ChapCode.Response).Packet;
        var success = pair.Wire.Single(p => p.From == "A" && p.Packet[0] == (byte)ChapCode.Success).Packet;

        Assert.That(pair.A.Phase.Receive(Chap, response), Is.True);

        var again = pair.Wire.Last();
        Assert.That(again.From, Is.EqualTo("A"));
        Assert.That(again.Packet, Is.EqualTo(success));
        pair.Pump();
        Assert.That(pair.A.Completions, Is.EqualTo(1));
        Assert.That(pair.B.Completions, Is.EqualTo(1));
        Assert.That(pair.B.Result?.Success, Is.True);
    }

    [Test]
    public void Receive_ResponseRepeatedAfterFailure_SameFailureSentAgain()
    {
        var pair = CreatePair(clientKey: "bad");
        pair.Start(AuthProtocol.MsChapV2, AuthProtocol.None);
        pair.Run(Minute);
        var response = pair.Wire.Single(p => p.From == "B" && p.Packet[0] == (byte)ChapCode.Response).Packet;
        var failure = pair.Wire.Single(p => p.From == "A" && p.Packet[0] == (byte)ChapCode.Failure).Packet;

        pair.A.Phase.Receive(Chap, response);

        Assert.That(pair.Wire.Last().Packet, Is.EqualTo(failure));
        Assert.That(Encoding.ASCII.GetString(failure, 4, failure.Length - 4),
            Does.Match("^E=691 R=0 C=[0-9A-F]{32} V=3 M=Authentication failure$"));
        Assert.That(pair.A.Completions, Is.EqualTo(1));
    }

    [Test]
    public void Receive_PapRequestRepeatedAfterSuccess_AckedAgain()
    {
        var pair = CreatePair();
        pair.Start(AuthProtocol.Pap, AuthProtocol.None);
        pair.Run(Minute);
        var request = pair.Wire.Single(p => p.From == "B").Packet;

        pair.A.Phase.Receive(Pap, request);

        Assert.That(pair.Wire.Last().Packet[0], Is.EqualTo((byte)PapCode.AuthenticateAck));
        Assert.That(pair.Wire.Last().Packet[1], Is.EqualTo(request[1]));
        Assert.That(pair.A.Completions, Is.EqualTo(1));
    }

    [TestCase(AuthProtocol.ChapMd5)]
    [TestCase(AuthProtocol.MsChapV2)]
    public void Receive_ReChallengeAfterSuccess_ClientAnswersAndStaysAuthenticated(AuthProtocol protocol)
    {
        var pair = CreatePair();
        pair.Start(protocol, AuthProtocol.None);
        pair.Run(Minute);
        byte[] challenge = new byte[ChapPacket.ValueAndNameLength(16, 3)];
        byte[] value = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
        ChapPacket.WriteValueAndName(challenge, ChapCode.Challenge, 0x77, value, "srv"u8);

        Assert.That(pair.B.Phase.Receive(Chap, challenge), Is.True);

        var answer = pair.Wire.Last();
        Assert.That(answer.From, Is.EqualTo("B"));
        Assert.That(answer.Packet[0], Is.EqualTo((byte)ChapCode.Response));
        Assert.That(answer.Packet[1], Is.EqualTo(0x77));
        if (protocol == AuthProtocol.ChapMd5)
        {
            byte[] expected = new byte[16];
            ChapMd5.ComputeResponse(0x77, AlicePass, value, expected);
            Assert.That(answer.Packet.AsSpan(5, 16).ToArray(), Is.EqualTo(expected));
        }
        Assert.That(pair.B.Completions, Is.EqualTo(1));
    }

    [Test]
    public void Start_OtherRoleFailsFirst_LateSuccessDoesNotSetPeerName()
    {
        // A authenticates B with CHAP and proves itself with PAP using a key B rejects. B's Nak
        // arrives before B's CHAP Response (the first Response is lost), so A fails first.
        var pair = new AuthPair(
            new AuthOptions { LocalName = "srv", Credentials = new AuthCredentials("srv", "bad") },
            new InMemorySecretStore(new Dictionary<string, string>() { ["alice"] = AlicePass }),
            new AuthOptions { LocalName = "alice-host", Credentials = new AuthCredentials("alice", AlicePass) },
            new InMemorySecretStore(new Dictionary<string, string>() { ["srv"] = SrvPass }));
        bool dropped = false;
        pair.Filter = (_, _, packet, _) =>
        {
            if (!dropped && packet[0] == (byte)ChapCode.Response && packet.Length > 20)
            {
                dropped = true;
                return null;
            }
            return packet;
        };

        pair.Start(AuthProtocol.ChapMd5, AuthProtocol.Pap);
        pair.Pump();
        Assert.That(pair.A.Result?.Success, Is.False);
        var lateResponse = pair.Wire.First(p => p.From == "B" && p.Packet[0] == (byte)ChapCode.Response).Packet;

        pair.A.Phase.Receive(Chap, lateResponse);

        Assert.That(pair.A.Result?.FailureReason, Does.StartWith("PAP: the peer refused our name srv"));
        Assert.That(pair.A.Completions, Is.EqualTo(1));
        Assert.That(pair.A.Phase.PeerName, Is.Null);
    }

    [Test]
    public void Start_BothNone_CompletesAtOnce()
    {
        var pair = CreatePair();

        pair.A.Phase.Start(AuthProtocol.None, AuthProtocol.None);

        Assert.That(pair.A.Result, Is.EqualTo(new AuthResult(true, null, null)));
        Assert.That(pair.Wire, Is.Empty);
        Assert.That(pair.A.Phase.Receive(Pap, [1, 1, 0, 4]), Is.False);
    }

    [Test]
    public void Start_OurselvesWithoutCredentials_FailsAtOnce()
    {
        var pair = new AuthPair(
            new AuthOptions { LocalName = "srv" }, new InMemorySecretStore([]),
            new AuthOptions { LocalName = "b" }, new InMemorySecretStore([]));

        pair.A.Phase.Start(AuthProtocol.None, AuthProtocol.ChapMd5);

        Assert.That(pair.A.Result?.Success, Is.False);
        Assert.That(pair.A.Result?.FailureReason, Does.Contain("no credentials"));
        Assert.That(pair.A.Completions, Is.EqualTo(1));
    }

    [Test]
    public void Receive_ProtocolNoRoleUses_ReturnsFalse()
    {
        var pair = CreatePair();
        pair.A.Phase.Start(AuthProtocol.Pap, AuthProtocol.None);

        Assert.That(pair.A.Phase.Receive(Chap, [1, 1, 0, 5, 0]), Is.False);
        Assert.That(pair.A.Phase.Receive((ushort)PppProtocol.Lcp, [1, 1, 0, 4]), Is.False);
        Assert.That(pair.A.Phase.Receive(Pap, [1, 1, 0, 4]), Is.True);
    }

    [TestCase(new byte[] { 1 })]
    [TestCase(new byte[] { 1, 1, 0, 3 })]
    [TestCase(new byte[] { 1, 1, 0, 9, 5 })]
    [TestCase(new byte[] { 1, 1, 0, 6, 5, 0 })]
    public void Receive_MalformedPapRequest_DroppedAndCounted(byte[] packet)
    {
        var pair = CreatePair();
        pair.A.Phase.Start(AuthProtocol.Pap, AuthProtocol.None);

        Assert.That(pair.A.Phase.Receive(Pap, packet), Is.True);

        Assert.That(pair.A.Phase.MalformedPackets, Is.EqualTo(1));
        Assert.That(pair.A.Result, Is.Null);
        Assert.That(pair.Wire, Is.Empty);
    }

    [Test]
    public void Receive_EveryTruncationOfValidPackets_NeverThrowsNorDecides()
    {
        var reference = CreatePair();
        reference.Start(AuthProtocol.MsChapV2, AuthProtocol.Pap);
        reference.Run(Minute);
        foreach (var (from, protocol, packet) in reference.Wire)
        {
            for (int n = 0; n < packet.Length; n++)
            {
                var pair = CreatePair();
                pair.Start(AuthProtocol.MsChapV2, AuthProtocol.Pap);
                var target = from == "A" ? pair.B : pair.A;
                Assert.DoesNotThrow(() => target.Phase.Receive(protocol, packet.AsSpan(0, n)));
                Assert.That(target.Result, Is.Null, $"{from} packet code {packet[0]} cut to {n}");
            }
        }
    }

    [Test]
    public void Receive_RandomBytes_NeverThrow()
    {
        var pair = CreatePair();
        pair.Start(AuthProtocol.MsChapV2, AuthProtocol.ChapMd5);
        var random = new Random(1334);
        for (int i = 0; i < 5000; i++)
        {
            byte[] packet = new byte[random.Next(0, 70)];
            random.NextBytes(packet);
            if (packet.Length >= 4 && random.Next(2) == 0)
            {
                packet[0] = (byte)random.Next(0, 6);
                packet[2] = 0;
                packet[3] = (byte)random.Next(0, packet.Length + 3);
            }
            ushort protocol = random.Next(2) == 0 ? Pap : Chap;
            Assert.DoesNotThrow(() => pair.A.Phase.Receive(protocol, packet));
            Assert.DoesNotThrow(() => pair.B.Phase.Receive(protocol, packet));
        }
    }

    [Test]
    public void Stop_WhileRetrying_NoPacketsNoEventsAfter()
    {
        var pair = CreatePair();
        pair.Filter = (_, _, _, _) => null;
        pair.Start(AuthProtocol.ChapMd5, AuthProtocol.Pap);
        int sent = pair.Wire.Count;

        pair.A.Phase.Stop();
        pair.B.Phase.Stop();
        pair.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.That(pair.Wire, Has.Count.EqualTo(sent));
        Assert.That(pair.A.Completions + pair.B.Completions, Is.Zero);
        Assert.That(pair.A.Phase.Receive(Chap, [1, 1, 0, 5, 0]), Is.False);
    }

    [Test]
    public void Completed_HandlerStopsThePhase_NothingBreaks()
    {
        var pair = CreatePair();
        pair.A.Phase.Completed += _ => pair.A.Phase.Stop();

        pair.Start(AuthProtocol.MsChapV2, AuthProtocol.MsChapV2);
        pair.Run(Minute);

        Assert.That(pair.A.Completions, Is.EqualTo(1));
        Assert.That(pair.A.Phase.IsRunning, Is.False);
    }

    [Test]
    public void Start_Again_RunsAFreshExchange()
    {
        var pair = CreatePair();
        pair.Start(AuthProtocol.ChapMd5, AuthProtocol.None);
        pair.Run(Minute);

        pair.Start(AuthProtocol.Pap, AuthProtocol.None);
        pair.Run(Minute);

        Assert.That(pair.A.Completions, Is.EqualTo(2));
        Assert.That(pair.A.Result, Is.EqualTo(new AuthResult(true, "alice", null)));
    }

    private static Func<AuthPair.Side, ushort, byte[], int, byte[]?> FixLength(Func<AuthPair.Side, ushort, byte[], int, byte[]?> inner) =>
        (side, protocol, packet, index) =>
        {
            byte[]? result = inner(side, protocol, packet, index);
            if (result is { Length: >= 4 })
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)result.Length);
            return result;
        };
}
