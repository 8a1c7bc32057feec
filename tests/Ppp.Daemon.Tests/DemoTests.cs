using NUnit.Framework;
using Ppp.Core.Protocols.Auth;
using Ppp.Daemon;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests;

/// <summary><c>ppp -demo</c>: two links in one process, the whole conversation logged.</summary>
[TestFixture]
public sealed class DemoTests
{
    [TestCase(AuthProtocol.Pap)]
    [TestCase(AuthProtocol.MsChapV2)]
    [TestCase(AuthProtocol.None)]
    public async Task RunAsync_AnyAuth_LogReadsAsPppDoes(AuthProtocol auth)
    {
        using var output = new StringWriter();

        int status = await Demo.RunAsync(output, auth);

        Assert.That(status, Is.Zero, output.ToString());
        Assert.That(LogLint.Problems(output.ToString()), Is.Empty, output.ToString());
    }

    [Test]
    public async Task RunAsync_Chap_NegotiatesAndLogsEveryLayer()
    {
        using var output = new StringWriter();

        int status = await Demo.RunAsync(output, AuthProtocol.ChapMd5);

        string log = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.Zero, log);
            Assert.That(log, Does.Contain("[server] Phase: Auth: authenticate peer with CHAP 0x05, ourselves with none"));
            Assert.That(log, Does.Match(@"\[client\] IPCP: deflink: State change \S+ --> Opened"));
            Assert.That(log, Does.Match(@"\[client\] IPV6CP: deflink: State change \S+ --> Opened"));
            Assert.That(log, Does.Not.Contain("demo-key"), "the CHAP secret must never be logged");
            Assert.That(LogLint.Problems(log), Is.Empty, log);
        });
    }
}
