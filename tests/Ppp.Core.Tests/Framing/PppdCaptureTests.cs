using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Core.Framing;

namespace Ppp.Core.Tests.Framing;

/// <summary>Frames captured off the line of a real pppd 2.4.9 (Data/pppd/README.md).</summary>
[TestFixture]
public sealed partial class PppdCaptureTests
{
    private static readonly Dictionary<string, ushort> s_protocols = new(StringComparer.Ordinal)
    {
        ["LCP"] = 0xc021, ["PAP"] = 0xc023, ["CHAP"] = 0xc223, ["IPCP"] = 0x8021, ["IPV6CP"] = 0x8057, ["CCP"] = 0x80fd,
    };

    private static readonly Dictionary<string, byte> s_codes = new(StringComparer.Ordinal)
    {
        ["ConfReq"] = 1, ["ConfAck"] = 2, ["ConfNak"] = 3, ["ConfRej"] = 4, ["TermReq"] = 5, ["TermAck"] = 6,
        ["CodeRej"] = 7, ["ProtRej"] = 8, ["EchoReq"] = 9, ["EchoRep"] = 10,
        ["Challenge"] = 1, ["Response"] = 2, ["Success"] = 3, ["Failure"] = 4,
    };

    private static string DataFile(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "pppd", name);

    [GeneratedRegex(@"^sent \[(\w+) (\w+) id=0x([0-9a-f]+)")]
    private static partial Regex SentLine();

    /// <summary>"PROTO code id" for each frame pppd logged as sent.</summary>
    private static List<string> LoggedSent(string log) =>
        File.ReadLines(DataFile(log))
            .Select(line => SentLine().Match(line))
            .Where(m => m.Success)
            .Select(m => $"{s_protocols[m.Groups[1].Value]:x4} {s_codes[m.Groups[2].Value]} {int.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)}")
            .ToList();

    private static (FrameRecorder Frames, HdlcDecoder Decoder) DecodeFile(string capture, int chunk)
    {
        byte[] raw = File.ReadAllBytes(DataFile(capture));
        var decoder = new HdlcDecoder();
        var recorder = new FrameRecorder();
        for (int i = 0; i < raw.Length; i += chunk)
        {
            decoder.Decode(raw.AsSpan(i, Math.Min(chunk, raw.Length - i)), recorder);
        }

        return (recorder, decoder);
    }

    [Test]
    public void Decode_PppdLcpConfReqCapture_YieldsTheLoggedConfReq()
    {
        (FrameRecorder recorder, HdlcDecoder decoder) = DecodeFile("lcp-confreq.bin", 4096);
        string log = File.ReadAllText(DataFile("lcp-confreq.log"));
        string magic = Regex.Match(log, "<magic 0x([0-9a-f]+)>").Groups[1].Value.PadLeft(8, '0').ToUpperInvariant();

        Assert.That(decoder.Counters.Errors, Is.Zero);
        Assert.That(recorder.Frames, Has.Count.EqualTo(2));
        Assert.That(recorder.Frames.Select(f => f.Protocol), Is.All.EqualTo(0xc021));
        // ConfReq id 1, length 20: <asyncmap 0x0> <magic> <pcomp> <accomp>
        Assert.That(Convert.ToHexString(recorder.Frames[0].Information), Is.EqualTo($"01010014020600000000050 6{magic}07020802".Replace(" ", string.Empty, StringComparison.Ordinal)));
    }

    [TestCase("chap-server-to-client.bin", "chap-server.log", 4096)]
    [TestCase("chap-server-to-client.bin", "chap-server.log", 1)]
    [TestCase("chap-client-to-server.bin", "chap-client.log", 4096)]
    [TestCase("chap-client-to-server.bin", "chap-client.log", 7)]
    public void Decode_PppdSessionCapture_YieldsEveryLoggedControlFrameWithoutErrors(string capture, string log, int chunk)
    {
        (FrameRecorder recorder, HdlcDecoder decoder) = DecodeFile(capture, chunk);
        List<string> logged = LoggedSent(log);
        List<string> decoded = recorder.Frames
            .Where(f => f.Protocol >= 0x8000)
            .Select(f => $"{f.Protocol:x4} {f.Information[0]} {f.Information[1]}")
            .ToList();

        Assert.That(decoder.Counters.Errors, Is.Zero);
        // The first Configure-Request went out before the line was connected (see README).
        Assert.That(decoded, Is.EqualTo(logged.Skip(logged.Count - decoded.Count).ToList()));
        Assert.That(decoded, Has.Count.EqualTo(logged.Count - 1));
        if (capture.StartsWith("chap-server", StringComparison.Ordinal))
        {
            // The three pings went out Deflate-compressed with PFC (protocol 0x00fd).
            Assert.That(recorder.Frames.Count(f => f.Protocol == 0x00fd), Is.GreaterThanOrEqualTo(3));
        }
    }
}
