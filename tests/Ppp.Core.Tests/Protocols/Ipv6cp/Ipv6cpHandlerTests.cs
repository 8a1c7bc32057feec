using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Tests.Protocols.Ipcp;
using static Ppp.Core.Tests.Protocols.Ipcp.HandlerDriver;

namespace Ppp.Core.Tests.Protocols.Ipv6cp;

[TestFixture]
public class Ipv6cpHandlerTests
{
    private const ulong Ours = 0x0123_4567_89ab_cdef;
    private const string OursHex = "01 23 45 67 89 ab cd ef";

    /// <summary>Hands out the queued byte strings in turn, repeating the last one.</summary>
    internal sealed class ScriptedRandom(params string[] script) : IRandomSource
    {
        private int _next;

        public int Calls { get; private set; }

        public void Fill(Span<byte> destination)
        {
            Calls++;
            var bytes = Hex(script[Math.Min(_next++, script.Length - 1)]);
            destination.Clear();
            bytes.AsSpan(0, Math.Min(bytes.Length, destination.Length)).CopyTo(destination);
        }
    }

    private static Ipv6cpHandler Pinned(ulong id = Ours, params string[] random) =>
        new(new Ipv6cpConfig { InterfaceIdentifier = id }, new ScriptedRandom(random.Length == 0 ? ["44 44 44 44 44 44 44 44"] : random), NullLogger.Instance);

    [Test]
    public void WriteRequest_PinnedIdentifier_RequestsIt()
    {
        Assert.That(Request(Pinned()), Is.EqualTo("01 0a " + OursHex));
    }

    [Test]
    public void Constructor_RandomIdentifier_NonZeroWithUBitClear()
    {
        var handler = new Ipv6cpHandler(Ipv6cpConfig.Default, new ScriptedRandom("ff ff ff ff ff ff ff ff"), NullLogger.Instance);

        Assert.That(handler.LocalInterfaceIdentifier, Is.EqualTo(0xfdff_ffff_ffff_ffffUL));
    }

    [TestCase("00 00 00 00 00 00 00 00")]
    [TestCase("02 00 00 00 00 00 00 00")]
    public void Constructor_RandomSourceGivesZero_StillNonZero(string bytes)
    {
        var handler = new Ipv6cpHandler(new Ipv6cpConfig { InterfaceIdentifier = 0 }, new ScriptedRandom(bytes), NullLogger.Instance);

        Assert.That(handler.LocalInterfaceIdentifier, Is.Not.Zero);
    }

    [TestCase("01 0a 11 11 11 11 11 11 11 11", "Ack", "01 0a 11 11 11 11 11 11 11 11")]
    [TestCase("01 0a 00 00 00 00 00 00 00 00", "Nak", "01 0a 44 44 44 44 44 44 44 44")]
    [TestCase("01 0a " + OursHex, "Nak", "01 0a 44 44 44 44 44 44 44 44")]
    [TestCase("02 04 00 4f", "Reject", "02 04 00 4f")]
    [TestCase("01 0a 11 11 11 11 11 11 11 11 02 04 00 4f", "Reject", "02 04 00 4f")]
    [TestCase("01 06 11 11 11 11", "Reject", "01 06 11 11 11 11")]
    [TestCase("01 02", "Reject", "01 02")]
    [TestCase("05 03 00", "Reject", "05 03 00")]
    [TestCase("01 0a 11 11 11 11 11 11 11 11 01 0a 12 11 11 11 11 11 11 11", "Reject", "01 0a 12 11 11 11 11 11 11 11")]
    [TestCase("", "Ack", "")]
    public void JudgeRequest_PeerIdentifier_AcksNaksOrRejects(string request, string kind, string options)
    {
        Assert.That(Judge(Pinned(), request), Is.EqualTo(new Verdict(kind, options)));
    }

    [Test]
    public void JudgeRequest_SuggestionCollidesWithOurs_DrawsAgain()
    {
        var handler = Pinned(Ours, OursHex, "88 88 88 88 88 88 88 88");

        Assert.That(Judge(handler, "01 0a 00 00 00 00 00 00 00 00"), Is.EqualTo(new Verdict("Nak", "01 0a 88 88 88 88 88 88 88 88")));
    }

    [Test]
    public void JudgeRequest_PeerKeepsSendingZero_SameSuggestionThenReject()
    {
        var handler = Pinned(Ours, "44 44 44 44 44 44 44 44", "cc cc cc cc cc cc cc cc");

        var verdicts = Enumerable.Range(0, 4).Select(_ => Judge(handler, "01 0a 00 00 00 00 00 00 00 00")).ToArray();

        Assert.That(verdicts.Take(3).Select(v => v.Options).Distinct(), Is.EqualTo(new[] { "01 0a 44 44 44 44 44 44 44 44" }));
        Assert.That(verdicts[3].Kind, Is.EqualTo("Reject"));
    }

    [TestCase("01 0a 55 55 55 55 55 55 55 55", "IPV6CP: our IFACEID 0123:4567:89ab:cdef was Naked: now 5555:5555:5555:5555")]
    [TestCase("01 0a 11 11 11 11 11 11 11 11", "IPV6CP: our IFACEID 0123:4567:89ab:cdef was Naked with 1111:1111:1111:1111, which we cannot use: choosing 4444:4444:4444:4444 ourselves")]
    public void ApplyNak_LogSaysWhoChoseTheNewIdentifier(string nak, string line)
    {
        var logs = new Ppp.Core.Tests.Support.CapturingLoggerFactory();
        var handler = new Ipv6cpHandler(new Ipv6cpConfig { InterfaceIdentifier = Ours }, new ScriptedRandom(["44 44 44 44 44 44 44 44"]), logs.CreateLogger("IPV6CP"));
        Judge(handler, "01 0a 11 11 11 11 11 11 11 11"); // the peer's own identifier

        handler.ApplyNak(Hex(nak));

        Assert.That(logs.Text, Has.One.StartsWith(line));
    }

    [TestCase("01 0a 55 55 55 55 55 55 55 55", 0x5555_5555_5555_5555UL)]
    [TestCase("01 0a 00 00 00 00 00 00 00 00", 0x4444_4444_4444_4444UL)]
    [TestCase("01 0a " + OursHex, 0x4444_4444_4444_4444UL)]
    [TestCase("01 0a 11 11 11 11 11 11 11 11", 0x4444_4444_4444_4444UL)]
    public void ApplyNak_Suggestion_TakenUnlessZeroOursOrPeers(string nak, ulong expected)
    {
        var handler = Pinned();
        Judge(handler, "01 0a 11 11 11 11 11 11 11 11"); // the peer's own identifier

        Assert.That(handler.ApplyNak(Hex(nak)), Is.True);
        Assert.That(handler.LocalInterfaceIdentifier, Is.EqualTo(expected));
    }

    [Test]
    public void ApplyNak_PinnedMovedByCollision_ResetReturnsToPinned()
    {
        var handler = Pinned();
        handler.ApplyNak(Hex("01 0a 55 55 55 55 55 55 55 55"));

        handler.ResetNegotiation();

        Assert.That(handler.LocalInterfaceIdentifier, Is.EqualTo(Ours));
    }

    [TestCase("01 06 00 00 00 01")]
    [TestCase("01 0b 00 00 00 00 00 00 00 00 01")]
    [TestCase("01")]
    [TestCase("01 0a 00")]
    public void ApplyNak_Malformed_ReturnsFalseAndKeepsIdentifier(string nak)
    {
        var handler = Pinned();

        Assert.That(handler.ApplyNak(Hex(nak)), Is.False);
        Assert.That(handler.LocalInterfaceIdentifier, Is.EqualTo(Ours));
    }

    [Test]
    public void ApplyNak_OtherOption_IgnoredAndAccepted()
    {
        var handler = Pinned();

        Assert.That(handler.ApplyNak(Hex("02 04 00 4f")), Is.True);
        Assert.That(handler.LocalInterfaceIdentifier, Is.EqualTo(Ours));
    }

    [Test]
    public void ApplyReject_Identifier_StopsRequestingIt()
    {
        var handler = Pinned();

        Assert.That(handler.ApplyReject(Hex("01 0a " + OursHex)), Is.True);
        Assert.That(Request(handler), Is.Empty);
    }

    [TestCase("02 04 00 4f")]
    [TestCase("01 06 00 00 00 01")]
    [TestCase("01 0a")]
    public void ApplyReject_WhatWeDidNotSend_ReturnsFalse(string reject)
    {
        var handler = Pinned();

        Assert.That(handler.ApplyReject(Hex(reject)), Is.False);
        Assert.That(Request(handler), Is.EqualTo("01 0a " + OursHex));
    }

    [Test]
    public void LayerUp_BothIdentifiers_LinkLocalAddresses()
    {
        var handler = Pinned();
        Ipv6cpResult? up = null;
        handler.Up += r => up = r;
        JudgeAndCommit(handler, "01 0a 00 00 00 00 00 00 00 2a");

        AckOursAndUp(handler);

        Assert.That(up, Is.EqualTo(new Ipv6cpResult(Ours, 0x2a,
            IPAddress.Parse("fe80::123:4567:89ab:cdef"), IPAddress.Parse("fe80::2a"))));
        Assert.That(handler.Result, Is.SameAs(up));
    }

    [Test]
    public void LayerDown_AfterUp_ClearsResultAndRaisesDown()
    {
        var handler = Pinned();
        int downs = 0;
        handler.Down += () => downs++;
        JudgeAndCommit(handler, "");
        AckOursAndUp(handler);
        Assert.That(handler.Result!.RemoteLinkLocal, Is.Null);

        handler.LayerDown();

        Assert.That(handler.Result, Is.Null);
        Assert.That(downs, Is.EqualTo(1));
    }

    [TestCase("01", OursHex, "IFACEID", "0123:4567:89ab:cdef")]
    [TestCase("01", "00 00 00 00 00 00 00 01", "IFACEID", "0000:0000:0000:0001")]
    [TestCase("01", "00 01", "IFACEID", "[bad length 4] 0001")]
    [TestCase("02", "00 4f 01", "COMPPROTO", "0x004f 01")]
    [TestCase("02", "", "COMPPROTO", "[bad length 2]")]
    [TestCase("09", "ab", "OPT9", "ab")]
    public void DescribeOption_Option_PppStyleText(string type, string data, string name, string value)
    {
        Assert.That(Pinned().DescribeOption(Hex(type)[0], Hex(data)), Is.EqualTo((name, value)));
    }

    [TestCase((byte)7, new byte[] { 3, 1, 0, 4 }, ExtraCodeResult.RejectCatastrophic)]
    [TestCase((byte)7, new byte[] { 12 }, ExtraCodeResult.RejectPermitted)]
    [TestCase((byte)9, new byte[0], ExtraCodeResult.NotHandled)]
    public void HandleOtherCode_Code_Classified(byte code, byte[] data, ExtraCodeResult expected)
    {
        Assert.That(Pinned().HandleOtherCode(code, 1, data, FsmState.Opened), Is.EqualTo(expected));
    }

    [Test]
    public void AnyMethod_RandomBytes_NeverThrows()
    {
        var random = new Random(5072);
        Ipv6cpHandler[] handlers =
        [
            Pinned(),
            new(Ipv6cpConfig.Default, SystemRandomSource.Instance, NullLogger.Instance),
            new(Ipv6cpConfig.Default, new ScriptedRandom("00"), NullLogger.Instance),
        ];
        Assert.DoesNotThrow(() =>
        {
            for (int i = 0; i < 20000; i++)
            {
                var bytes = new byte[random.Next(0, 30)];
                random.NextBytes(bytes);
                if (bytes.Length > 1 && random.Next(2) == 0)
                {
                    bytes[0] = (byte)random.Next(1, 3);
                    if (random.Next(2) == 0)
                        bytes[1] = 10;
                }
                ExerciseAll(handlers[i % handlers.Length], bytes, random.Next(2) == 0);
            }
        });
    }
}
