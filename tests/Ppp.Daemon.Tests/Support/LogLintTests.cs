using NUnit.Framework;

namespace Ppp.Daemon.Tests.Support;

/// <summary>The scan the demo and daemon-pair tests run over their logs finds what issue 12 saw.</summary>
[TestFixture]
public sealed class LogLintTests
{
    [TestCase("IPCP: IPCP: up: IpcpResult { LocalAddress = 10.0.0.1, PrimaryDns = , SecondaryDns =  }")]
    [TestCase("Phase: Auth: authenticate peer with ChapMd5, ourselves with None")]
    [TestCase("LCP:  PROTOCOMP[2] ")]
    [TestCase("IPCP: IPCP: down")]
    [TestCase("Phase: deflink: dial attempt (NextNumber)")]
    [TestCase("Phase: Auth: authenticate peer with MsChapV2")]
    public void Problems_IssueLines_AreFound(string line)
    {
        Assert.That(LogLint.Problems(line), Is.Not.Empty);
    }

    [TestCase("LCP: deflink: SendConfigReq(0) state = Req-Sent")]
    [TestCase("IPCP: deflink: LayerUp")]
    [TestCase("IPCP: myaddr 10.0.0.1 hisaddr = 10.0.0.2 DNS0 192.0.2.53")]
    [TestCase("LCP:  PROTOCOMP[2]")]
    [TestCase("Phase: Chap Output: SUCCESS (S=E82F7F75F5FB01EAC114D4D827564CF30316D29D M=Access granted)")]
    [TestCase("Command: /tmp/uppp-it-Ih4KNG/A/ppp.conf:4: set device 10.91.0.2:6000/tcp")]
    [TestCase("Phase: Auth: authenticate peer with CHAP 0x05, ourselves with none")]
    public void Problems_PppWords_AreFine(string line)
    {
        Assert.That(LogLint.Problems(line), Is.Empty);
    }
}
