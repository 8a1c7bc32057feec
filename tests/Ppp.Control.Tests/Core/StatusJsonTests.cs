using System.Net;
using System.Text.Json;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Control;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Control.Tests.Core;

[TestFixture]
public sealed class StatusJsonTests
{
    private static readonly DateTimeOffset s_now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Test]
    public void Serialize_LinkUp_HasEveryDocumentedField()
    {
        var status = new BundleStatus
        {
            Label = "isp",
            Mode = "ddial",
            Phase = LinkPhase.Network,
            Device = "/dev/ttyUSB0",
            DeviceState = "open",
            PeerName = "peer",
            CapturedAt = s_now,
            ConnectedSince = s_now.AddSeconds(-20),
            NetworkUpSince = s_now.AddSeconds(-12.5),
            LcpState = FsmState.Opened,
            Lcp = new LcpResult { OurMru = 1500, PeerMru = 1492, AuthenticateOurselvesWith = AuthProtocol.ChapMd5 },
            AuthState = "succeeded",
            IpcpState = FsmState.Opened,
            Ipcp = new IpcpResult(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1"), null, null, null, null),
            Ipv6cpState = FsmState.RequestSent,
            DnsServers = [IPAddress.Parse("192.0.2.53")],
            EchoRoundTrip = TimeSpan.FromMilliseconds(42.5),
            EchoRequestsSent = 7,
            EchoMisses = 1,
            PacketsReceived = 10,
            OctetsReceived = 1000,
            PacketsSent = 11,
            OctetsSent = 1100,
            Reconnects = 2,
            LastFailure = "carrier lost",
            InterfaceName = "ppp0",
            DatalinkState = "open",
            Connects = 3,
            FailedDials = 1,
            DropsByCause = new Dictionary<string, int> { ["echo-timeout"] = 1, ["carrier-lost"] = 2 },
            LastUp = s_now.AddSeconds(-12.5),
            LastDown = s_now.AddSeconds(-30),
        };
        using JsonDocument json = JsonDocument.Parse(StatusJson.Serialize(status));
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("version").GetInt32(), Is.EqualTo(StatusJson.SchemaVersion));
            Assert.That(root.GetProperty("phase").GetString(), Is.EqualTo("network"));
            Assert.That(root.GetProperty("lcp").GetProperty("state").GetString(), Is.EqualTo("opened"));
            Assert.That(root.GetProperty("lcp").GetProperty("peerMru").GetInt32(), Is.EqualTo(1492));
            Assert.That(root.GetProperty("lcp").GetProperty("echo").GetProperty("rttMs").GetDouble(), Is.EqualTo(42.5));
            Assert.That(root.GetProperty("lcp").GetProperty("echo").GetProperty("missed").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("auth").GetProperty("state").GetString(), Is.EqualTo("succeeded"));
            Assert.That(root.GetProperty("auth").GetProperty("self").GetString(), Is.EqualTo("chap-md5"));
            Assert.That(root.GetProperty("ipcp").GetProperty("local").GetString(), Is.EqualTo("10.0.0.2"));
            Assert.That(root.GetProperty("ipcp").GetProperty("peer").GetString(), Is.EqualTo("10.0.0.1"));
            Assert.That(root.GetProperty("ipv6cp").GetProperty("state").GetString(), Is.EqualTo("req-sent"));
            Assert.That(root.GetProperty("ipv6cp").GetProperty("local").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("dns")[0].GetString(), Is.EqualTo("192.0.2.53"));
            Assert.That(root.GetProperty("uptimeSeconds").GetDouble(), Is.EqualTo(12.5));
            Assert.That(root.GetProperty("traffic").GetProperty("in").GetProperty("octets").GetInt64(), Is.EqualTo(1000));
            Assert.That(root.GetProperty("traffic").GetProperty("out").GetProperty("packets").GetInt64(), Is.EqualTo(11));
            Assert.That(root.GetProperty("reconnects").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("lastFailure").GetString(), Is.EqualTo("carrier lost"));
            JsonElement datalink = root.GetProperty("datalink");
            Assert.That(datalink.GetProperty("state").GetString(), Is.EqualTo("open"));
            Assert.That(datalink.GetProperty("connects").GetInt32(), Is.EqualTo(3));
            Assert.That(datalink.GetProperty("failedDials").GetInt32(), Is.EqualTo(1));
            Assert.That(datalink.GetProperty("drops").GetRawText(), Is.EqualTo("{\"carrier-lost\":2,\"echo-timeout\":1}"), "sorted by cause");
            Assert.That(datalink.GetProperty("lastDown").GetDateTimeOffset(), Is.EqualTo(s_now.AddSeconds(-30)));
            Assert.That(datalink.GetProperty("nextAttempt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public void Serialize_RedialPending_SaysWhenAndInWords()
    {
        var status = new BundleStatus
        {
            Label = "isp", Mode = "ddial", Phase = LinkPhase.Dead, CapturedAt = s_now, DatalinkState = "closed",
            NextAttemptAt = s_now.AddSeconds(12), NextAttempt = "redial in 12 s",
        };
        using JsonDocument json = JsonDocument.Parse(StatusJson.Serialize(status));
        JsonElement datalink = json.RootElement.GetProperty("datalink");
        Assert.That(datalink.GetProperty("nextAttempt").GetString(), Is.EqualTo("redial in 12 s"));
        Assert.That(datalink.GetProperty("nextAttemptAt").GetDateTimeOffset(), Is.EqualTo(s_now.AddSeconds(12)));
        Assert.That(datalink.GetProperty("drops").EnumerateObject().Count(), Is.Zero);
    }

    [Test]
    public void Serialize_NoLink_IsOneLineWithNulls()
    {
        string text = StatusJson.Serialize(new BundleStatus { Label = "default", Mode = "interactive", Phase = LinkPhase.Dead, CapturedAt = s_now });
        Assert.That(text, Does.Not.Contain('\n'));
        using JsonDocument json = JsonDocument.Parse(text);
        Assert.That(json.RootElement.GetProperty("uptimeSeconds").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.RootElement.GetProperty("lcp").GetProperty("echo").GetProperty("rttMs").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
