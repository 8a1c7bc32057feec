using System.Text;
using NUnit.Framework;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Protocols.Auth;

public class PapPacketTests
{
    [Test]
    public void WriteRequest_ThenParse_RoundTrips()
    {
        byte[] packet = new byte[PapPacket.RequestLength(5, 6)];

        int length = PapPacket.WriteRequest(packet, 0x42, "alice"u8, "s3cret"u8);

        // RFC 1334 §2.2.1: code 1, id, length 17, 5 "alice", 6 "s3cret".
        Assert.That(Convert.ToHexString(packet, 0, length), Is.EqualTo("0142001105616C69636506733363726574"));
        Assert.That(ControlPacket.TryParse(packet, out ControlPacket parsed), Is.True);
        Assert.That(PapPacket.TryParseRequest(parsed.Data, out var peerId, out var password), Is.True);
        Assert.That(Encoding.ASCII.GetString(peerId), Is.EqualTo("alice"));
        Assert.That(Encoding.ASCII.GetString(password), Is.EqualTo("s3cret"));
    }

    [Test]
    public void WriteReply_ThenParse_RoundTrips()
    {
        byte[] packet = new byte[64];

        int length = PapPacket.WriteReply(packet, PapCode.AuthenticateNak, 9, "no"u8);

        Assert.That(Convert.ToHexString(packet, 0, length), Is.EqualTo("03090007026E6F"));
        Assert.That(ControlPacket.TryParse(packet.AsSpan(0, length), out ControlPacket parsed), Is.True);
        Assert.That(PapPacket.TryParseReply(parsed.Data, out var message), Is.True);
        Assert.That(Encoding.ASCII.GetString(message), Is.EqualTo("no"));
    }

    [Test]
    public void TryParseReply_EmptyData_IsEmptyMessage()
    {
        Assert.That(PapPacket.TryParseReply(ReadOnlySpan<byte>.Empty, out var message), Is.True);
        Assert.That(message.IsEmpty, Is.True);
    }

    [Test]
    public void TryParseRequest_EveryTruncation_ReturnsFalse()
    {
        byte[] data = [5, .. "alice"u8, 6, .. "s3cret"u8];
        for (int n = 0; n < data.Length; n++)
            Assert.That(PapPacket.TryParseRequest(data.AsSpan(0, n), out _, out _), Is.False, $"length {n}");
        Assert.That(PapPacket.TryParseRequest(data, out _, out _), Is.True);
    }

    [TestCase("05616C696365")]          // no Passwd-Length
    [TestCase("FF61")]                  // Peer-ID Length past the end
    [TestCase("00FF")]                  // Passwd-Length past the end
    public void TryParseRequest_LengthsOverrun_ReturnsFalse(string hex)
    {
        Assert.That(PapPacket.TryParseRequest(Convert.FromHexString(hex), out _, out _), Is.False);
    }

    [TestCase("0000", true)]            // empty name and password are well-formed
    [TestCase("00000000", true)]        // trailing octets ignored
    [TestCase("05", false)]
    public void TryParseRequest_EdgeCases(string hex, bool expected)
    {
        Assert.That(PapPacket.TryParseRequest(Convert.FromHexString(hex), out _, out _), Is.EqualTo(expected));
    }

    [TestCase("03616263", true)]        // Msg-Length 3, "abc"
    [TestCase("0461626300", true)]
    [TestCase("05616263", false)]       // Msg-Length past the end
    public void TryParseReply_MessageLength_ChecksBounds(string hex, bool expected)
    {
        Assert.That(PapPacket.TryParseReply(Convert.FromHexString(hex), out _), Is.EqualTo(expected));
    }
}

public class ChapPacketTests
{
    [Test]
    public void WriteValueAndName_ThenParse_RoundTrips()
    {
        byte[] value = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        byte[] packet = new byte[ChapPacket.ValueAndNameLength(16, 3)];

        int length = ChapPacket.WriteValueAndName(packet, ChapCode.Challenge, 7, value, "srv"u8);

        // RFC 1994 §4.1: code 1, id 7, length 4+1+16+3 = 24, Value-Size 16.
        Assert.That(Convert.ToHexString(packet, 0, 5), Is.EqualTo("0107001810"));
        Assert.That(length, Is.EqualTo(24));
        Assert.That(ControlPacket.TryParse(packet, out ControlPacket parsed), Is.True);
        Assert.That(ChapPacket.TryParseValueAndName(parsed.Data, out var v, out var name), Is.True);
        Assert.That(v.ToArray(), Is.EqualTo(value));
        Assert.That(Encoding.ASCII.GetString(name), Is.EqualTo("srv"));
    }

    [Test]
    public void TryParseValueAndName_EveryTruncationOfTheValue_ReturnsFalse()
    {
        byte[] data = [16, .. new byte[16], .. "srv"u8];
        for (int n = 0; n < 17; n++)
            Assert.That(ChapPacket.TryParseValueAndName(data.AsSpan(0, n), out _, out _), Is.False, $"length {n}");
        // Cutting into the name only shortens the name.
        Assert.That(ChapPacket.TryParseValueAndName(data.AsSpan(0, 18), out _, out var name), Is.True);
        Assert.That(name.Length, Is.EqualTo(1));
    }

    [Test]
    public void TryParseValueAndName_ZeroValueSize_ReturnsFalse()
    {
        Assert.That(ChapPacket.TryParseValueAndName([0, 65, 66], out _, out _), Is.False);
    }

    [Test]
    public void WriteMessage_Success_HasMessageAsData()
    {
        byte[] packet = new byte[32];

        int length = ChapPacket.WriteMessage(packet, ChapCode.Success, 3, "ok"u8);

        Assert.That(Convert.ToHexString(packet, 0, length), Is.EqualTo("030300066F6B"));
    }
}

public class MsChapV2PacketTests
{
    [Test]
    public void WriteResponseValue_Layout_IsPeerChallengeReservedNtResponseFlags()
    {
        byte[] peer = Enumerable.Repeat((byte)0xAA, 16).ToArray();
        byte[] nt = Enumerable.Repeat((byte)0xBB, 24).ToArray();
        byte[] value = Enumerable.Repeat((byte)0xFF, 49).ToArray();

        MsChapV2Packet.WriteResponseValue(value, peer, nt);

        Assert.That(value[..16], Is.All.EqualTo(0xAA));
        Assert.That(value[16..24], Is.All.EqualTo(0));
        Assert.That(value[24..48], Is.All.EqualTo(0xBB));
        Assert.That(value[48], Is.EqualTo(0));
        Assert.That(MsChapV2Packet.TryParseResponseValue(value, out var p, out var n), Is.True);
        Assert.That(p.ToArray(), Is.EqualTo(peer));
        Assert.That(n.ToArray(), Is.EqualTo(nt));
    }

    [TestCase(0)]
    [TestCase(16)]
    [TestCase(48)]
    [TestCase(50)]
    public void TryParseResponseValue_NotFortyNineOctets_ReturnsFalse(int size)
    {
        Assert.That(MsChapV2Packet.TryParseResponseValue(new byte[size], out _, out _), Is.False);
    }

    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Access granted", true, "Access granted")]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA56", true, null)]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA56 M=", true, "")]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA5 M=x", false, null)]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA56M=x", true, "x")]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA56 X", false, null)]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA567", false, null)]
    [TestCase("Access granted", false, null)]
    [TestCase("", false, null)]
    public void TryParseSuccess_Text_SplitsAuthenticatorResponseAndMessage(string text, bool ok, string? message)
    {
        bool parsed = MsChapV2Packet.TryParseSuccess(text, out string response, out string? parsedMessage);

        Assert.That(parsed, Is.EqualTo(ok));
        if (ok)
        {
            Assert.That(response, Is.EqualTo("S=407A5589115FD0D6209F510FE9C04566932CDA56"));
            Assert.That(parsedMessage, Is.EqualTo(message));
        }
    }

    [Test]
    public void FormatFailure_ThenParse_RoundTrips()
    {
        byte[] challenge = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

        string text = MsChapV2Packet.FormatFailure(691, retry: false, challenge, 3, "Authentication failure");

        Assert.That(text, Is.EqualTo("E=691 R=0 C=000102030405060708090A0B0C0D0E0F V=3 M=Authentication failure"));
        Assert.That(MsChapV2Packet.TryParseFailure(text, out MsChapV2Failure failure), Is.True);
        Assert.That(failure, Is.EqualTo(new MsChapV2Failure(691, false, "000102030405060708090A0B0C0D0E0F", 3, "Authentication failure")));
    }

    [TestCase("E=691 R=1 C=00 V=0 M=Access denied", 691, true, "Access denied")]
    [TestCase("E=648 R=0 V=3", 648, false, null)]
    [TestCase("E=691", 691, null, null)]
    public void TryParseFailure_PeerVariants_ReadsFields(string text, int error, bool? retry, string? message)
    {
        Assert.That(MsChapV2Packet.TryParseFailure(text, out MsChapV2Failure failure), Is.True);
        Assert.That(failure.ErrorCode, Is.EqualTo(error));
        Assert.That(failure.Retry, Is.EqualTo(retry));
        Assert.That(failure.Message, Is.EqualTo(message));
    }

    [TestCase("")]
    [TestCase("Access denied")]
    [TestCase("E=")]
    public void TryParseFailure_NoField_ReturnsFalse(string text)
    {
        Assert.That(MsChapV2Packet.TryParseFailure(text, out _), Is.False);
    }

    [Test]
    public void Parsers_RandomBytes_NeverThrow()
    {
        var random = new Random(2759);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] data = new byte[random.Next(0, 80)];
            random.NextBytes(data);
            if (random.Next(4) == 0 && data.Length > 0)
                data[0] = (byte)random.Next(0, data.Length + 2);
            string text = Encoding.UTF8.GetString(data);
            Assert.DoesNotThrow(() =>
            {
                _ = PapPacket.TryParseRequest(data, out _, out _);
                _ = PapPacket.TryParseReply(data, out _);
                _ = ChapPacket.TryParseValueAndName(data, out _, out _);
                _ = MsChapV2Packet.TryParseResponseValue(data, out _, out _);
                _ = MsChapV2Packet.TryParseSuccess(text, out _, out _);
                _ = MsChapV2Packet.TryParseFailure(text, out _);
                _ = MsChapV2Packet.TryParseFailure("E=" + text, out _);
                _ = MsChapV2Packet.TryParseSuccess("S=" + text, out _, out _);
            });
        }
    }
}
