using NUnit.Framework;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Protocols.Auth;

public class AuthLoggingTests
{
    private const string AlicePass = "alice-S3cret-do-not-print";
    private const string WrongPass = "wrong-S3cret-do-not-print";
    private const string SrvPass = "srv-S3cret-do-not-print";

    private static AuthPair CreatePair(string clientKey) =>
        new(
            new AuthOptions { LocalName = "srv", Credentials = new AuthCredentials("srv", SrvPass) },
            new InMemorySecretStore(new Dictionary<string, string>() { ["alice"] = AlicePass }),
            new AuthOptions { LocalName = "alice-host", Credentials = new AuthCredentials("alice", clientKey) },
            new InMemorySecretStore(new Dictionary<string, string>() { ["srv"] = SrvPass }));

    private static IEnumerable<TestCaseData> Exchanges()
    {
        AuthProtocol[] all = [AuthProtocol.Pap, AuthProtocol.ChapMd5, AuthProtocol.MsChapV2];
        foreach (AuthProtocol a in all)
        {
            foreach (AuthProtocol b in all)
            {
                yield return new TestCaseData(a, b, AlicePass);
                yield return new TestCaseData(a, b, WrongPass);
            }
        }
    }

    [TestCaseSource(nameof(Exchanges))]
    public void FullExchange_AnyOutcome_NoSecretInLogsOrToString(AuthProtocol aAuthenticatesB, AuthProtocol bAuthenticatesA, string clientKey)
    {
        var pair = CreatePair(clientKey);
        pair.Filter = (_, _, packet, index) => index == 0 ? null : packet;   // force a retransmission too

        pair.Start(aAuthenticatesB, bAuthenticatesA);
        pair.Run(TimeSpan.FromSeconds(60));
        pair.A.Phase.Receive((ushort)PppProtocol.Chap, [9, 9, 0, 4]);        // and a dropped packet

        Assert.That(pair.A.Result, Is.Not.Null);
        Assert.That(pair.B.Result, Is.Not.Null);
        var lines = pair.Logs.Lines;
        Assert.That(lines, Is.Not.Empty);
        Assert.That(lines.Select(l => l.Category), Is.All.EqualTo("Phase"));

        List<string> forbidden = [AlicePass, WrongPass, SrvPass];
        // Derived values that are password-equivalent or on-the-wire proofs: NT hashes and the
        // response values actually sent, in hex either case.
        foreach (string key in new[] { AlicePass, WrongPass, SrvPass })
        {
            byte[] hash = new byte[16];
            MsChapV2Crypto.NtPasswordHash(key, hash);
            forbidden.Add(Convert.ToHexString(hash));
        }
        foreach (var (_, protocol, packet) in pair.Wire)
        {
            if (protocol == (ushort)PppProtocol.Chap && packet[0] == (byte)ChapCode.Response)
                forbidden.Add(Convert.ToHexString(packet, 5, packet[4]));
        }

        string[] texts =
        [
            .. lines.Select(l => l.Text),
            pair.A.Phase.ToString()!, pair.B.Phase.ToString()!,
            pair.A.Result!.ToString(), pair.B.Result!.ToString(),
            CreateOptions(clientKey).ToString(), new AuthCredentials("alice", clientKey).ToString(),
        ];
        foreach (string text in texts)
        {
            foreach (string secret in forbidden)
                Assert.That(text, Does.Not.Contain(secret).IgnoreCase, $"leaked in: {text}");
        }
    }

    [Test]
    public void FullExchange_Pap_LogsInPppStyle()
    {
        var pair = CreatePair(AlicePass);

        pair.Start(AuthProtocol.Pap, AuthProtocol.None);
        pair.Run(TimeSpan.FromSeconds(60));

        var texts = pair.Logs.Lines.Select(l => l.Text.Split(" | ")[0]).ToList();
        Assert.That(texts, Does.Contain("Pap Output: alice ********"));
        Assert.That(texts, Does.Contain("Pap Input: REQUEST (alice)"));
        Assert.That(texts, Does.Contain("Pap Output: SUCCESS (Access granted)"));
        Assert.That(texts, Does.Contain("Pap Input: SUCCESS (Access granted)"));
        Assert.That(texts, Does.Contain("Auth: success, peer is alice"));
    }

    [Test]
    public void FullExchange_MsChapV2_LogsInPppStyle()
    {
        var pair = CreatePair(AlicePass);

        pair.Start(AuthProtocol.MsChapV2, AuthProtocol.None);
        pair.Run(TimeSpan.FromSeconds(60));

        var texts = pair.Logs.Lines.Select(l => l.Text.Split(" | ")[0]).ToList();
        Assert.That(texts, Does.Contain("Chap Output: CHALLENGE (16 bytes as srv)"));
        Assert.That(texts, Does.Contain("Chap Input: CHALLENGE (16 bytes from srv)"));
        Assert.That(texts, Does.Contain("Chap Output: RESPONSE (alice)"));
        Assert.That(texts, Does.Contain("Chap Input: RESPONSE (alice)"));
        Assert.That(texts.Any(t => t.StartsWith("Chap Input: SUCCESS (S=", StringComparison.Ordinal) && t.EndsWith(" M=Access granted)", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void FullExchange_HostileNames_ControlCharactersNotLogged()
    {
        var pair = new AuthPair(
            new AuthOptions { LocalName = "srv\r\nAuth: success" },
            new InMemorySecretStore([]),
            new AuthOptions { LocalName = "b", Credentials = new AuthCredentials("eve\nAuth: success, peer is root", "x") },
            new InMemorySecretStore([]));

        pair.Start(AuthProtocol.ChapMd5, AuthProtocol.None);
        pair.Run(TimeSpan.FromSeconds(60));

        Assert.That(pair.Logs.Lines.Select(l => l.Text), Has.None.Contains("\n"));
        Assert.That(pair.Logs.Lines.Select(l => l.Text), Has.None.Contains("\r"));
    }

    private static AuthOptions CreateOptions(string key) =>
        new() { LocalName = "x", Credentials = new AuthCredentials("alice", key) };
}
