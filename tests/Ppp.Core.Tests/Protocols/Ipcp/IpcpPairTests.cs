using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Wire;

namespace Ppp.Core.Tests.Protocols.Ipcp;

/// <summary>Two IPCP handlers, each in a real <see cref="ControlProtocolFsm"/>, joined back to back.</summary>
[TestFixture]
public class IpcpPairTests
{
    private static IpcpHandler Handler(string ifaddr, bool enableDns = false, string? serveDns = null)
    {
        var (value, error) = IpcpConfig.ParseIfAddr(ifaddr.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.That(error, Is.Null);
        string[] dns = serveDns?.Split(' ') ?? [];
        return new IpcpHandler(new IpcpConfig
        {
            IfAddr = value!,
            EnableDns = enableDns,
            AcceptDns = serveDns is not null,
            PrimaryDns = dns.Length > 0 ? IPAddress.Parse(dns[0]) : null,
            SecondaryDns = dns.Length > 1 ? IPAddress.Parse(dns[1]) : null,
        }, NullLogger.Instance);
    }

    [Test]
    public void DynamicClientAndServer_BothOpen_WithAddressesAndDns()
    {
        var client = Handler("0.0.0.0/0", enableDns: true);
        var server = Handler("10.0.0.1 10.0.0.2", serveDns: "8.8.8.8 8.8.4.4");
        IpcpResult? clientUp = null;
        client.Up += r => clientUp = r;
        var pair = new FsmPair(client, server);

        pair.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.State, Is.EqualTo(FsmState.Opened));
            Assert.That(pair.Right.State, Is.EqualTo(FsmState.Opened));
            Assert.That(clientUp, Is.EqualTo(new IpcpResult(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1"),
                IPAddress.Parse("8.8.8.8"), IPAddress.Parse("8.8.4.4"), null, null)));
            Assert.That(server.Result, Is.EqualTo(new IpcpResult(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"),
                null, null, null, null)));
            Assert.That(pair.Delivered, Is.LessThan(20));
        });
    }

    [Test]
    public void AssignPeerAddress_ServerWithPool_GivesTheSecretsAddressInstead()
    {
        var client = Handler("0.0.0.0/0");
        var server = Handler("10.0.0.1 10.0.0.10-10.0.0.20");
        server.AssignPeerAddress(new Ipv4Range(Ipv4.ToUInt32(IPAddress.Parse("10.8.0.20")), 32));
        var pair = new FsmPair(client, server);

        pair.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.State, Is.EqualTo(FsmState.Opened));
            Assert.That(client.Result!.LocalAddress, Is.EqualTo(IPAddress.Parse("10.8.0.20")));
            Assert.That(server.Result!.RemoteAddress, Is.EqualTo(IPAddress.Parse("10.8.0.20")));
        });
    }

    [Test]
    public void ClientWithTriggerAddress_ServerGivesTheFixedOne_BothOpen()
    {
        var client = Handler("192.244.177.38 192.244.177.2 255.255.255.255 0.0.0.0");
        var server = Handler("192.244.177.2 192.244.177.38");
        var pair = new FsmPair(client, server);

        pair.Run();

        Assert.That(pair.Left.State, Is.EqualTo(FsmState.Opened));
        Assert.That(client.Result!.LocalAddress, Is.EqualTo(IPAddress.Parse("192.244.177.38")));
        Assert.That(server.Result!.RemoteAddress, Is.EqualTo(IPAddress.Parse("192.244.177.38")));
    }

    [Test]
    public void ClientWithoutDnsService_DnsRejected_OpensWithoutDns()
    {
        var client = Handler("0.0.0.0/0", enableDns: true);
        var server = Handler("10.0.0.1 10.0.0.2");
        var pair = new FsmPair(client, server);

        pair.Run();

        Assert.That(pair.Left.State, Is.EqualTo(FsmState.Opened));
        Assert.That(client.Result, Is.EqualTo(new IpcpResult(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1"), null, null, null, null)));
    }

    /// <summary>
    /// Both insist: the client only takes 10.0.0.1, the server only gives 10.0.0.99. The
    /// server's own Nak bound turns its Nak into a Reject and the client stops naming an
    /// address; the server, knowing no address for the client, does not come up half-configured
    /// (issue 13): it closes IPCP naming the address it refused, and neither side reports up.
    /// </summary>
    [Test]
    public void AddressDisagreement_EndsBounded_ServerClosesIpcpNamingTheAddress()
    {
        var client = Handler("10.0.0.1 0.0.0.0/0");
        var server = Handler("10.0.0.254 10.0.0.99");
        var pair = new FsmPair(client, server);
        int ups = 0;
        client.Up += _ => ups++;
        server.Up += _ => ups++;

        pair.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Right.State, Is.EqualTo(FsmState.Closed));
            Assert.That(pair.Right.FailureReason, Is.EqualTo("no IP address for the peer: it asks for 10.0.0.1, which set ifaddr does not allow (10.0.0.99/32)"));
            Assert.That(pair.Left.State, Is.Not.EqualTo(FsmState.Opened));
            Assert.That(server.Result, Is.Null);
            Assert.That(ups, Is.Zero);
            Assert.That(pair.Delivered, Is.LessThan(40));
        });
    }

    /// <summary>
    /// Neither side has an address for the other (both 0/0): each rejects the other's
    /// 0.0.0.0, and IPCP must end naming that instead of opening with no addresses (issue 13).
    /// </summary>
    [Test]
    public void NoAddressAnywhere_NeitherOpens_ReasonNamesOurMissingAddress()
    {
        var client = Handler("0.0.0.0/0 0.0.0.0/0");
        var server = Handler("0.0.0.0/0 0.0.0.0/0");
        var pair = new FsmPair(client, server);

        pair.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.State, Is.Not.EqualTo(FsmState.Opened));
            Assert.That(pair.Left.FailureReason ?? pair.Right.FailureReason, Is.EqualTo("no IP address for us: the peer gave none and set ifaddr names none"));
            Assert.That(client.Result, Is.Null);
        });
    }

    /// <summary>
    /// The peer keeps Naking our only allowed address with another: when we give up, the
    /// reason names both (issue 13: "not converging" alone said nothing about what).
    /// </summary>
    [Test]
    public void PeerInsistsOnAnotherAddressForUs_GivesUpNamingBoth()
    {
        var client = Handler("10.0.0.9 10.0.0.1");
        var pair = new FsmPair(client, new EndlessNakker(), rightOptions: new FsmOptions { MaxFailure = int.MaxValue });

        pair.Run(maxPackets: 200);

        Assert.That(pair.Left.FailureReason, Does.StartWith("the peer wants 172.16.0."));
        Assert.That(pair.Left.FailureReason, Does.Contain("for our address; set ifaddr allows 10.0.0.9/32 (not converging: "));
    }

    /// <summary>
    /// A peer that Naks our address with a new value every time and never turns its Naks into
    /// Rejects (no Max-Failure): our executor gives up after Max-Nak-Received and finishes the
    /// layer; what happens next (closing the link) is the link's call.
    /// </summary>
    [Test]
    public void PeerNaksForever_EndsStoppedAndBounded()
    {
        var client = Handler("10.0.0.1 0.0.0.0/0");
        int? stoppedAfter = null;
        var pair = new FsmPair(client, new EndlessNakker(), rightOptions: new FsmOptions { MaxFailure = int.MaxValue });
        pair.Left.StateChanged += (_, to) => stoppedAfter ??= to == FsmState.Stopped ? pair.Delivered : null;

        pair.Run(maxPackets: 200);

        Assert.That(stoppedAfter, Is.Not.Null.And.LessThan(40));
        Assert.That(client.Result, Is.Null);
    }

    /// <summary>Naks every IP-Address with an address one higher than the last; never acks.</summary>
    private sealed class EndlessNakker : IControlProtocolHandler
    {
        private uint _next = 0xac100001;

        public ushort Protocol => (ushort)PppProtocol.Ipcp;
        public string Name => "IPCP";
        public void ResetNegotiation() { }
        public int WriteRequest(Span<byte> options) => 0;

        public void JudgeRequest(ReadOnlySpan<byte> options, ref ConfigureResponse response)
        {
            Span<byte> value = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(value, _next++);
            response.Nak(3, value, options.Length >= 6 ? options[..6] : []);
        }

        public void PeerRequestAcked(ReadOnlySpan<byte> options) { }
        public bool ApplyNak(ReadOnlySpan<byte> options) => true;
        public bool ApplyReject(ReadOnlySpan<byte> options) => true;
        public void RequestAcked(ReadOnlySpan<byte> options) { }
        public void LayerUp() { }
        public void LayerDown() { }
        public void LayerStarted() { }
        public void LayerFinished() { }
        public ExtraCodeResult HandleOtherCode(byte code, byte identifier, ReadOnlySpan<byte> data, FsmState state) => ExtraCodeResult.NotHandled;
        public (string Name, string Value) DescribeOption(byte type, ReadOnlySpan<byte> data) => ("?", "");
    }
}
