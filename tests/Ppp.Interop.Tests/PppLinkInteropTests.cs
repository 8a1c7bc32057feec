using System.Net;
using NUnit.Framework;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Wire;
using Ppp.Interop.Tests.Support;

namespace Ppp.Interop.Tests;

/// <summary>
/// Our <see cref="PppLink"/> against Linux pppd as the server: pppd requires us to
/// authenticate, assigns our address, and the link carries the guest's ping to us.
/// One VM per authentication protocol.
/// </summary>
[TestFixture(AuthProtocol.ChapMd5, "require-chap")]
[TestFixture(AuthProtocol.MsChapV2, "require-mschap-v2")]
[TestFixture(AuthProtocol.Pap, "require-pap")]
[Category("Interop")]
[NonParallelizable]
public sealed class PppLinkToPppdServerTests(AuthProtocol auth, string requireOption)
{
    private static readonly TimeSpan s_negotiation = TimeSpan.FromSeconds(30);
    private PppdVm? _vm;

    [OneTimeSetUp]
    public void StartVm()
    {
        _vm = PppdVm.Start(["debug", requireOption, "name", "srv", "192.168.77.1:192.168.77.2"],
            secrets: ["alice srv s3cret *"], respawn: true);
    }

    [OneTimeTearDown]
    public void StopVm() => _vm?.Dispose();

    [Test]
    public async Task PppLink_PppdRequiresAuthentication_AuthenticatesOpensIpcpAndCarriesPackets()
    {
        PppdVm vm = _vm!;
        await using var link = new CoreLink(vm.LinePath, logs => CoreLink.Options(
            "alice", new AuthCredentials("alice", "s3cret"), requirePeer: [], ["0.0.0.0/0", "192.168.77.1/32"], logs));
        link.Start();

        await link.WaitUntilAsync(l => l.IsNetworkUp, s_negotiation, "LCP, authentication, IPCP and IPV6CP opened");

        IpcpResult ip = (await link.InvokeAsync(_ => link.Link.NetworkProtocolHandler<IpcpHandler>().Result))!;
        AuthProtocol used = await link.InvokeAsync(l => l.LcpHandler.Result!.AuthenticateOurselvesWith);
        Assert.Multiple(() =>
        {
            Assert.That(used, Is.EqualTo(auth));
            Assert.That(ip.LocalAddress, Is.EqualTo(IPAddress.Parse("192.168.77.2")));
            Assert.That(ip.RemoteAddress, Is.EqualTo(IPAddress.Parse("192.168.77.1")));
        });
        vm.WaitLog(auth == AuthProtocol.Pap ? @"^sent \[PAP AuthAck" : @"^sent \[CHAP Success", TimeSpan.FromSeconds(5));
        vm.WaitLog("^PPPVM: ip-up done", TimeSpan.FromSeconds(10));

        // Data over the link: the guest pings us; there is no tun, so the echo request is
        // what the link delivers, and the ping itself gets no reply.
        // The echo requests cross the emulated serial line and our reader asynchronously, so
        // wait for them to be delivered rather than looking the moment ping returns.
        ProcessResult ping = vm.Exec("ping -c 3 -i 0.5 -W 1 192.168.77.2", TimeSpan.FromSeconds(10));
        static bool IsEchoRequestToUs((ushort Protocol, byte[] Packet) p) =>
            p.Protocol == (ushort)PppProtocol.Ip && p.Packet.Length >= 20 && p.Packet[9] == 1 &&
            new IPAddress(p.Packet.AsSpan(16, 4)).Equals(IPAddress.Parse("192.168.77.2"));
        for (int i = 0; i < 50 && !link.Packets.Received.Any(IsEchoRequestToUs); i++)
            await Task.Delay(100);
        Assert.That(link.Packets.Received, Has.Some.Matches<(ushort Protocol, byte[] Packet)>(IsEchoRequestToUs),
            $"guest ping: {ping.Describe()}\npppd log:\n{vm.Log()}\nour log:\n{link.Logs}");

        // We hang up: pppd sees our Terminate-Request.
        link.Post(() => link.Link.Close("test finished"));
        await link.WaitUntilAsync(l => l.Phase == LinkPhase.Dead, TimeSpan.FromSeconds(15), "link dead after close");
        vm.WaitLog(@"^rcvd \[LCP TermReq", TimeSpan.FromSeconds(5));
    }
}

/// <summary>
/// Our <see cref="PppLink"/> as the server, requiring Linux pppd (the client) to authenticate
/// with each protocol in turn and assigning its address. One VM, pppd respawned between tests.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class PppLinkAsServerToPppdTests
{
    private static readonly TimeSpan s_negotiation = TimeSpan.FromSeconds(30);
    private PppdVm? _vm;

    [OneTimeSetUp]
    public void StartVm()
    {
        _vm = PppdVm.Start(["debug", "noauth", "user", "alice", "remotename", "srv"],
            secrets: ["alice srv s3cret *"], respawn: true);
    }

    [OneTimeTearDown]
    public void StopVm() => _vm?.Dispose();

    [TestCase(AuthProtocol.ChapMd5, @"^CHAP authentication succeeded")]
    [TestCase(AuthProtocol.MsChapV2, @"^CHAP authentication succeeded")]
    [TestCase(AuthProtocol.Pap, @"^PAP authentication succeeded")]
    public async Task PppLink_RequiringAuthentication_PppdAuthenticatesAndGetsItsAddress(AuthProtocol auth, string clientSuccess)
    {
        PppdVm vm = _vm!;
        int mark = vm.Log().Length;
        await using var link = new CoreLink(vm.LinePath, logs => CoreLink.Options(
                "srv", credentials: null, requirePeer: [auth], ["192.168.78.1", "192.168.78.2"], logs),
            new InMemorySecretStore(new Dictionary<string, string> { ["alice"] = "s3cret" }));
        link.Start();

        await link.WaitUntilAsync(l => l.IsNetworkUp, s_negotiation, "LCP, authentication, IPCP and IPV6CP opened");

        string? peerName = await link.InvokeAsync(l => l.PeerName);
        AuthProtocol used = await link.InvokeAsync(l => l.LcpHandler.Result!.AuthenticatePeerWith);
        Ipv6cpResult? ipv6 = await link.InvokeAsync(_ => link.Link.NetworkProtocolHandler<Ipv6cpHandler>().Result);
        Assert.Multiple(() =>
        {
            Assert.That(peerName, Is.EqualTo("alice"));
            Assert.That(used, Is.EqualTo(auth));
            Assert.That(ipv6, Is.Not.Null);
        });
        vm.WaitLog(clientSuccess, TimeSpan.FromSeconds(5), mark);
        vm.WaitLog(@"^local  IP address 192\.168\.78\.2", TimeSpan.FromSeconds(10), mark);

        link.Post(() => link.Link.Close("test finished"));
        await link.WaitUntilAsync(l => l.Phase == LinkPhase.Dead, TimeSpan.FromSeconds(15), "link dead after close");
        // pppd exits on our Terminate-Request and is respawned for the next case.
        vm.WaitLog(@"^PPPVM: pppd exited", TimeSpan.FromSeconds(10), mark);
    }
}
