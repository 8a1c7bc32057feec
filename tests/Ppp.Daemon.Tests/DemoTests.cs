using NUnit.Framework;
using Ppp.Core.Protocols.Auth;
using Ppp.Daemon;

namespace Ppp.Daemon.Tests;

/// <summary><c>ppp -demo</c>: two links in one process, the whole conversation logged.</summary>
[TestFixture]
public sealed class DemoTests
{
    [Test]
    public async Task RunAsync_Chap_NegotiatesAndLogsEveryLayer()
    {
        using var output = new StringWriter();

        int status = await Demo.RunAsync(output, AuthProtocol.ChapMd5);

        string log = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.Zero, log);
            Assert.That(log, Does.Contain("[server] Phase: Auth: authenticate peer with ChapMd5"));
            Assert.That(log, Does.Match(@"\[client\] IPCP: deflink: State change \S+ --> Opened"));
            Assert.That(log, Does.Match(@"\[client\] IPV6CP: deflink: State change \S+ --> Opened"));
            Assert.That(log, Does.Not.Contain("demo-key"), "the CHAP secret must never be logged");
        });
    }
}
