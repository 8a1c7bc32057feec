using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using Ppp.Interop.Tests.Support;

namespace Ppp.Interop.Tests;

/// <summary>
/// The raw captures in Data/captures (two real pppd talking, see its README.md) checked with
/// the test oracle: they are valid framing, and what the logs say they carry. No peer runs.
/// </summary>
[TestFixture]
[Category("Captures")]
public sealed class CaptureTests
{
    private static readonly string[] s_scenarios = ["noauth", "chap-md5", "mschapv2", "pap"];

    private static IEnumerable<string> CaptureFiles() =>
        s_scenarios.SelectMany(s => new[] { $"{s}.s2c.bin", $"{s}.c2s.bin" });

    [TestCaseSource(nameof(CaptureFiles))]
    public void Capture_EveryFrame_HasAGoodFcs(string file)
    {
        List<RawFrame> frames = Frames(file);

        Assert.That(frames, Has.Count.GreaterThan(5));
        Assert.That(frames.Where(f => !f.FcsValid), Is.Empty);
    }

    [TestCaseSource(nameof(CaptureFiles))]
    public void Capture_CoreHdlcDecoder_AgreesWithTheOracleInAnyChunking(string file)
    {
        byte[] line = File.ReadAllBytes(InteropEnvironment.DataPath("captures", file));
        List<(ushort, byte[])> expected = CoreFrames.Oracle(line);

        foreach (int chunk in new[] { int.MaxValue, 1, 7 })
        {
            (List<(ushort, byte[])> frames, Ppp.Core.Framing.HdlcCounters counters) = CoreFrames.Decode(line, chunk);
            Assert.That(frames, Is.EqualTo(expected), $"chunks of {chunk}");
            Assert.That(counters.Errors, Is.Zero, $"chunks of {chunk}");
        }
    }

    [TestCase("noauth", null)]
    [TestCase("chap-md5", new byte[] { 0xc2, 0x23, 0x05 })]
    [TestCase("mschapv2", new byte[] { 0xc2, 0x23, 0x81 })]
    [TestCase("pap", new byte[] { 0xc0, 0x23 })]
    public void ServerCapture_LcpConfigureRequest_AsksForTheConfiguredAuthentication(string scenario, byte[]? expected)
    {
        RawControlPacket request = Packets($"{scenario}.s2c.bin", Lcp.Protocol, RawControlPacket.ConfigureRequest).First();

        byte[][] auth = [.. request.TryOptions()!.Where(o => o.Type == Lcp.OptionAuthenticationProtocol).Select(o => o.Value)];

        Assert.That(auth, expected is null ? Is.Empty : Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void ChapMd5Capture_Response_IsMd5OfIdentifierSecretAndChallenge()
    {
        RawControlPacket challenge = Packets("chap-md5.s2c.bin", Lcp.ChapProtocol, 1).Single();
        RawControlPacket response = Packets("chap-md5.c2s.bin", Lcp.ChapProtocol, 2).Single();
        (byte[] challengeValue, string serverName) = ChapValueAndName(challenge);
        (byte[] responseValue, string clientName) = ChapValueAndName(response);

        // RFC 1994 §4.1: Response = MD5(Identifier || secret || Challenge). MD5 is what the
        // protocol defines, not a choice of ours.
#pragma warning disable CA5351
        byte[] expected = MD5.HashData([challenge.Identifier, .. "s3cret"u8, .. challengeValue]);
#pragma warning restore CA5351

        Assert.Multiple(() =>
        {
            Assert.That(response.Identifier, Is.EqualTo(challenge.Identifier));
            Assert.That(serverName, Is.EqualTo("srv"));
            Assert.That(clientName, Is.EqualTo("alice"));
            Assert.That(responseValue, Is.EqualTo(expected));
            Assert.That(Packets("chap-md5.s2c.bin", Lcp.ChapProtocol, 3).Single().Identifier, Is.EqualTo(challenge.Identifier));
        });
    }

    [Test]
    public void MsChapV2Capture_Packets_HaveTheRfc2759Shape()
    {
        (byte[] challenge, _) = ChapValueAndName(Packets("mschapv2.s2c.bin", Lcp.ChapProtocol, 1).Single());
        (byte[] response, string name) = ChapValueAndName(Packets("mschapv2.c2s.bin", Lcp.ChapProtocol, 2).Single());
        string success = Encoding.ASCII.GetString(Packets("mschapv2.s2c.bin", Lcp.ChapProtocol, 3).Single().Data);

        Assert.Multiple(() =>
        {
            Assert.That(challenge, Has.Length.EqualTo(16));
            // Peer-Challenge (16), Reserved (8, zero), NT-Response (24), Flags (1, zero): RFC 2759 §4.
            Assert.That(response, Has.Length.EqualTo(49));
            Assert.That(response.AsSpan(16, 8).ToArray(), Is.All.EqualTo(0));
            Assert.That(response[48], Is.Zero);
            Assert.That(name, Is.EqualTo("alice"));
            Assert.That(success, Does.Match("^S=[0-9A-F]{40} M=Access granted$"));
        });
    }

    [Test]
    public void PapCapture_AuthenticateRequest_CarriesPeerIdAndPasswordInClear()
    {
        RawControlPacket request = Packets("pap.c2s.bin", Lcp.PapProtocol, 1).Single();
        RawControlPacket ack = Packets("pap.s2c.bin", Lcp.PapProtocol, 2).Single();

        // RFC 1334 §2.2.1: Peer-ID-Length, Peer-ID, Passwd-Length, Password.
        byte[] data = request.Data;
        string peerId = Encoding.ASCII.GetString(data, 1, data[0]);
        string password = Encoding.ASCII.GetString(data, 2 + data[0], data[1 + data[0]]);

        Assert.Multiple(() =>
        {
            Assert.That(peerId, Is.EqualTo("alice"));
            Assert.That(password, Is.EqualTo("s3cret"));
            Assert.That(ack.Identifier, Is.EqualTo(request.Identifier));
        });
    }

    private static List<RawFrame> Frames(string file) =>
        RawHdlcDecoder.DecodeAll(File.ReadAllBytes(InteropEnvironment.DataPath("captures", file)));

    private static IEnumerable<RawControlPacket> Packets(string file, ushort protocol, byte code) =>
        Frames(file).Where(Lcp.Is(protocol, code)).Select(Lcp.Packet);

    /// <summary>CHAP Challenge/Response data: Value-Size, Value, Name (RFC 1994 §4.1).</summary>
    private static (byte[] Value, string Name) ChapValueAndName(RawControlPacket packet)
    {
        byte[] data = packet.Data;
        int size = data[0];
        return (data.AsSpan(1, size).ToArray(), Encoding.ASCII.GetString(data, 1 + size, data.Length - 1 - size));
    }
}
