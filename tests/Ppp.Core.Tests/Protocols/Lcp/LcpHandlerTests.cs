using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Tests.Support;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Protocols.Lcp;

[TestFixture]
public class LcpHandlerTests
{
    private static LcpHandler Handler(LcpConfig? config = null, int seed = 1) =>
        new(config ?? new LcpConfig(), LinkScheduler.Inline(new ManualTimeProvider()), new SeededRandomSource(seed), NullLogger.Instance);

    private static (string Verdict, byte[] Options) Judge(LcpHandler handler, byte[] request, bool naksBecomeRejects = false)
    {
        var nak = new byte[512];
        var reject = new byte[512];
        var response = new ConfigureResponse(nak, reject, naksBecomeRejects);
        handler.JudgeRequest(request, ref response);
        return response.HasRejects ? ("Rej", response.RejectOptions.ToArray())
            : response.HasNaks ? ("Nak", response.NakOptions.ToArray())
            : ("Ack", []);
    }

    // Each row: the peer's request (hex), the verdict, the options of the reply (hex).
    [TestCase("010405dc", "Ack", "", TestName = "Judge_Mru1500_Acked")]
    [TestCase("01040040", "Nak", "01040080", TestName = "Judge_MruBelowMinimum_NakedToMinimum")]
    [TestCase("020600000000", "Ack", "", TestName = "Judge_Accm_Acked")]
    [TestCase("0506deadbeef", "Ack", "", TestName = "Judge_Magic_Acked")]
    [TestCase("050600000000", "Nak", "", TestName = "Judge_ZeroMagic_Naked")]
    [TestCase("0702", "Ack", "", TestName = "Judge_Pfc_Acked")]
    [TestCase("0802", "Ack", "", TestName = "Judge_Acfc_Acked")]
    [TestCase("0304c023", "Ack", "", TestName = "Judge_PapAuth_AcceptedByDefault")]
    [TestCase("0305c22305", "Ack", "", TestName = "Judge_ChapMd5_AcceptedByDefault")]
    [TestCase("0305c22381", "Ack", "", TestName = "Judge_MsChapV2_AcceptedByDefault")]
    [TestCase("0305c22380", "Nak", "0305c22381", TestName = "Judge_MsChapV1_NakedToMsChapV2")]
    [TestCase("0304c227", "Nak", "0305c22381", TestName = "Judge_Eap_NakedToMsChapV2")]
    [TestCase("0408c02500002710", "Rej", "0408c02500002710", TestName = "Judge_Lqr_RejectedAsNotImplemented")]
    [TestCase("1104000d", "Rej", "1104000d", TestName = "Judge_UnknownOption_RejectedWhole")]
    [TestCase("010305", "Rej", "010305", TestName = "Judge_MruWrongLength_Rejected")]
    [TestCase("07030a", "Rej", "07030a", TestName = "Judge_PfcWithData_Rejected")]
    [TestCase("010405dc1104000d0802", "Rej", "1104000d", TestName = "Judge_RejectWinsOverAck_OnlyRejectedListed")]
    [TestCase("010400400304c227", "Nak", "010400800305c22381", TestName = "Judge_TwoNaks_BothListed")]
    public void Judge_Table(string requestHex, string verdict, string replyHex)
    {
        var handler = Handler();

        var (v, options) = Judge(handler, Convert.FromHexString(requestHex));

        Assert.That(v, Is.EqualTo(verdict));
        if (verdict != "Ack" && replyHex.Length > 0)
            Assert.That(Convert.ToHexString(options), Is.EqualTo(replyHex.ToUpperInvariant()));
    }

    [TestCase("010405dc", "Nak", "010405aa", TestName = "Judge_MruAboveMtuMax_NakedDownToIt")]
    [TestCase("01040400", "Ack", "", TestName = "Judge_MruBelowMtuMax_Acked")]
    public void Judge_WithMtuMax1450(string requestHex, string verdict, string replyHex)
    {
        var handler = Handler(BundleSettingsFor("set mtu max 1450").ToLcpConfig());

        var (v, options) = Judge(handler, Convert.FromHexString(requestHex));

        Assert.That(v, Is.EqualTo(verdict));
        Assert.That(Convert.ToHexString(options), Is.EqualTo(replyHex.ToUpperInvariant()));
    }

    /// <summary>Settings after one command, as ppp.conf would leave them.</summary>
    private static Ppp.Core.Config.BundleSettings BundleSettingsFor(string line)
    {
        var settings = new Ppp.Core.Config.BundleSettings();
        var interpreter = new Ppp.Core.Commands.CommandInterpreter(settings, null, NullLoggerFactory.Instance);
        Assert.That(interpreter.Execute(line, Ppp.Core.Commands.CommandOrigin.Prompt, TextWriter.Null).Error, Is.Null);
        return settings;
    }

    [TestCase("0304c227", "EAP", "which we do not implement: Nak with CHAP 0x81")]
    [TestCase("0305c22380", "CHAP 0x80", "which we do not implement: Nak with CHAP 0x81")]
    [TestCase("0304c027", "SPAP", "which we do not implement: Nak with CHAP 0x81")]
    public void Judge_AuthWeDoNotImplement_NamesItAndTheNak(string requestHex, string name, string rest)
    {
        var logs = new CapturingLoggerFactory();
        var handler = new LcpHandler(new LcpConfig(), LinkScheduler.Inline(new ManualTimeProvider()), new SeededRandomSource(1), logs.CreateLogger("LCP"));

        Judge(handler, Convert.FromHexString(requestHex));

        Assert.That(logs.Text, Has.One.StartsWith($"LCP: deflink: the peer asks us to authenticate with {name}, {rest}"));
    }

    [Test]
    public void Describe_AuthWeDoNotImplement_IsNamed()
    {
        var handler = Handler();

        Assert.That(handler.DescribeOption(3, [0xc2, 0x27]), Is.EqualTo(("AUTHPROTO", "0xc227 (EAP)")));
        Assert.That(handler.DescribeOption(3, [0xc2, 0x23, 0x80]), Is.EqualTo(("AUTHPROTO", "0xc223 (CHAP 0x80)")));
        Assert.That(handler.DescribeOption(3, [0x12, 0x34]), Is.EqualTo(("AUTHPROTO", "0x1234 (0x1234)")));
    }

    [Test]
    public void Judge_AuthWhenNothingAccepted_Rejected()
    {
        var handler = Handler(new LcpConfig { AcceptOwnAuthentication = [] });

        var (v, options) = Judge(handler, Convert.FromHexString("0304c023"));

        Assert.That(v, Is.EqualTo("Rej"));
        Assert.That(Convert.ToHexString(options), Is.EqualTo("0304C023"));
    }

    [Test]
    public void Judge_PfcDenied_Rejected()
    {
        var handler = Handler(new LcpConfig { ProtocolCompression = OptionPolicy.Enable });

        Assert.That(Judge(handler, [7, 2]).Verdict, Is.EqualTo("Rej"));
    }

    [Test]
    public void Judge_OurOwnMagic_NakedWithFreshValue()
    {
        var handler = Handler();
        var ours = OurRequest(handler);
        var magic = FindOption(ours, (byte)LcpOption.MagicNumber);

        var (v, options) = Judge(handler, magic);

        Assert.That(v, Is.EqualTo("Nak"));
        Assert.That(options[0], Is.EqualTo((byte)LcpOption.MagicNumber));
        Assert.That(options.AsSpan(2).ToArray(), Is.Not.EqualTo(magic.AsSpan(2).ToArray()));
    }

    [Test]
    public void Request_Default_HasAccmMagicPfcAcfcAndNoMru()
    {
        var handler = Handler();

        var types = OptionTypes(OurRequest(handler));

        Assert.That(types, Is.EqualTo(new byte[] { 2, 5, 7, 8 }));
    }

    [Test]
    public void Request_RequiringChap_CarriesAuthOption()
    {
        var handler = Handler(new LcpConfig { RequirePeerAuthentication = [AuthProtocol.ChapMd5, AuthProtocol.Pap], Mru = 1400 });

        var request = OurRequest(handler);

        Assert.That(Convert.ToHexString(FindOption(request, 1)), Is.EqualTo("01040578"));
        Assert.That(Convert.ToHexString(FindOption(request, 3)), Is.EqualTo("0305C22305"));
    }

    [Test]
    public void Nak_AuthSuggestingOurSecondChoice_Switches()
    {
        var handler = Handler(new LcpConfig { RequirePeerAuthentication = [AuthProtocol.ChapMd5, AuthProtocol.Pap] });

        Assert.That(handler.ApplyNak(Convert.FromHexString("0304c023")), Is.True);

        Assert.That(Convert.ToHexString(FindOption(OurRequest(handler), 3)), Is.EqualTo("0304C023"));
    }

    [Test]
    public void Nak_AuthWeCannotUse_FailsTheLink()
    {
        var handler = Handler(new LcpConfig { RequirePeerAuthentication = [AuthProtocol.ChapMd5] });
        string? failure = null;
        handler.Failed += r => failure = r;

        handler.ApplyNak(Convert.FromHexString("0304c023"));

        Assert.That(failure, Does.Contain("authentication refused by the peer: it will not use"));
    }

    [Test]
    public void Reject_Auth_FailsTheLink()
    {
        var handler = Handler(new LcpConfig { RequirePeerAuthentication = [AuthProtocol.Pap] });
        string? failure = null;
        handler.Failed += r => failure = r;

        Assert.That(handler.ApplyReject(Convert.FromHexString("0304c023")), Is.True);

        Assert.That(failure, Does.Contain("authentication refused by the peer"));
    }

    [Test]
    public void Reject_OptionWeDidNotSend_IsBogus()
    {
        var handler = Handler();

        Assert.That(handler.ApplyReject(Convert.FromHexString("010405dc")), Is.False);
    }

    [Test]
    public void Reject_PfcAcfcMagic_StopsRequestingThem()
    {
        var handler = Handler();
        var ours = OurRequest(handler);
        var rejected = FindOption(ours, 5).Concat(FindOption(ours, 7)).Concat(FindOption(ours, 8)).ToArray();

        Assert.That(handler.ApplyReject(rejected), Is.True);

        Assert.That(OptionTypes(OurRequest(handler)), Is.EqualTo(new byte[] { 2 }));
    }

    [Test]
    public void Nak_Accm_AddsBitsToOurs()
    {
        var handler = Handler(new LcpConfig { Accm = 0x000a0000 });

        handler.ApplyNak(Convert.FromHexString("020600000011"));

        Assert.That(Convert.ToHexString(FindOption(OurRequest(handler), 2)), Is.EqualTo("0206000A0011"));
    }

    [Test]
    public void Nak_Magic_OurOwnNakComingBack_DeclaresLoopback()
    {
        var handler = Handler(new LcpConfig { MaxMagicCollisions = 3 });
        string? failure = null;
        handler.Failed += r => failure = r;

        // A looped-back line: our request comes back as the peer's (our magic: Nak'd with a
        // fresh value), and our Nak comes back as the answer to our request.
        for (int i = 0; i < 3 && failure is null; i++)
        {
            var (verdict, nak) = Judge(handler, FindOption(OurRequest(handler), 5));
            Assert.That(verdict, Is.EqualTo("Nak"));
            handler.ApplyNak(nak);
        }

        Assert.That(failure, Does.Contain("looped back"));
    }

    [Test]
    public void Nak_MagicOfAnotherValue_Repeatedly_IsNoLoopback()
    {
        // RFC 1661 §6.4: a Nak whose value differs from the one we last suggested proves the
        // line is not looped back; a peer may Nak our magic as often as it likes.
        var handler = Handler(new LcpConfig { MaxMagicCollisions = 3 });
        string? failure = null;
        handler.Failed += r => failure = r;
        var (verdict, _) = Judge(handler, Convert.FromHexString("0506" + Convert.ToHexString(FindOption(OurRequest(handler), 5)[2..])));
        Assert.That(verdict, Is.EqualTo("Nak"));

        for (int i = 0; i < 10; i++)
            Assert.That(handler.ApplyNak(Convert.FromHexString($"05061234567{i}")), Is.True);

        Assert.That(failure, Is.Null);
        Assert.That(FindOption(OurRequest(handler), 5), Has.Length.EqualTo(6));
    }

    [Test]
    public void Nak_MruOutOfRange_Ignored()
    {
        var handler = Handler();

        handler.ApplyNak(Convert.FromHexString("01040010"));

        Assert.That(FindOption(OurRequest(handler), 1), Is.Empty);
    }

    [Test]
    public void Nak_KnownOptionWithBadLength_IsBogus()
    {
        Assert.That(Handler().ApplyNak(Convert.FromHexString("010305")), Is.False);
    }

    [Test]
    public void Acked_BothSides_ResultCombinesThem()
    {
        var handler = Handler(new LcpConfig { RequirePeerAuthentication = [AuthProtocol.Pap] });
        LcpResult? up = null;
        handler.Up += r => up = r;
        var ours = OurRequest(handler);

        handler.RequestAcked(ours);
        handler.PeerRequestAcked(Convert.FromHexString("010405780206000000000305c223050506cafebabe07020802"));
        handler.LayerUp();

        Assert.That(up, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(up!.PeerMru, Is.EqualTo(1400));
            Assert.That(up.TransmitAccm, Is.Zero);
            Assert.That(up.ReceiveAccm, Is.Zero);
            Assert.That(up.TransmitProtocolCompression, Is.True);
            Assert.That(up.ReceiveAddressControlCompression, Is.True);
            Assert.That(up.AuthenticateOurselvesWith, Is.EqualTo(AuthProtocol.ChapMd5));
            Assert.That(up.AuthenticatePeerWith, Is.EqualTo(AuthProtocol.Pap));
            Assert.That(up.PeerMagic, Is.EqualTo(0xcafebabe));
        });
    }

    [Test]
    public void Describe_UsesPppNames()
    {
        var handler = Handler();

        Assert.That(handler.DescribeOption(1, [0x05, 0xdc]), Is.EqualTo(("MRU", "1500")));
        Assert.That(handler.DescribeOption(2, [0, 0, 0, 0]), Is.EqualTo(("ACCMAP", "0x00000000")));
        Assert.That(handler.DescribeOption(3, [0xc2, 0x23, 0x05]), Is.EqualTo(("AUTHPROTO", "0xc223 (CHAP 0x05)")));
        Assert.That(handler.DescribeOption(5, [1, 2, 3, 4]), Is.EqualTo(("MAGICNUM", "0x01020304")));
    }

    /// <summary>
    /// Random bytes and random mutations of valid LCP packets, fed through a real executor in
    /// every state, never throw and never leave an option list malformed on the wire.
    /// </summary>
    [Test]
    public void Fuzz_RandomAndMutatedPackets_NeverThrow()
    {
        byte[][] seeds =
        [
            Convert.FromHexString("01010018010405dc020600000000050612345678070208020304c023"),
            Convert.FromHexString("0302000a0305c22381"),
            Convert.FromHexString("0403000a0408c0250000"),
            Convert.FromHexString("0901000812345678"),
            Convert.FromHexString("08050008802101020304"),
            Convert.FromHexString("070600080101"),
            Convert.FromHexString("0c07000c0000000068656c6c"),
        ];
        var random = new Random(1570);
        var output = new WireRecorder();
        for (int i = 0; i < 30_000; i++)
        {
            var handler = Handler(seed: i);
            var fsm = new ControlProtocolFsm(handler, output, handler.Scheduler, NullLogger.Instance);
            handler.Attach(fsm);
            fsm.Open();
            fsm.Up();
            if (random.Next(2) == 0)
                fsm.Receive(seeds[0]);
            byte[] packet = random.Next(4) == 0 ? RandomBytes(random) : Mutate(seeds[random.Next(seeds.Length)], random);

            Assert.DoesNotThrow(() => fsm.Receive(packet));
        }
        Assert.That(output.MalformedSent, Is.Zero);
    }

    private static byte[] RandomBytes(Random random)
    {
        var b = new byte[random.Next(0, 64)];
        random.NextBytes(b);
        return b;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var b = seed.ToArray();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(3))
            {
                case 0:
                    b[random.Next(b.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    b = b[..random.Next(b.Length + 1)];
                    if (b.Length == 0)
                        return b;
                    break;
                default:
                    b = [.. b, .. RandomBytes(random).Take(8)];
                    break;
            }
        }
        return b;
    }

    private sealed class WireRecorder : IPacketOutput
    {
        public int MalformedSent { get; private set; }

        public void Send(ushort protocol, ReadOnlySpan<byte> payload)
        {
            if (!ControlPacket.TryParse(payload, out var p))
            {
                MalformedSent++;
                return;
            }
            if (p.Code is >= 1 and <= 4 && !OptionReader.IsWellFormed(p.Data))
                MalformedSent++;
        }
    }

    private static byte[] OurRequest(LcpHandler handler)
    {
        var buffer = new byte[256];
        int n = handler.WriteRequest(buffer);
        return buffer[..n];
    }

    private static byte[] FindOption(byte[] options, byte type)
    {
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte t, out _, out var whole))
        {
            if (t == type)
                return whole.ToArray();
        }
        return [];
    }

    private static byte[] OptionTypes(byte[] options)
    {
        var types = new List<byte>();
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte t, out _))
            types.Add(t);
        return [.. types];
    }
}
