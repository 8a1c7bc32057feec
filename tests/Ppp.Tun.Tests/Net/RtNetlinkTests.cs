using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Tun.Net;

namespace Ppp.Tun.Tests.Net;

/// <summary>rtnetlink against the real kernel (root), in one network namespace per test, checked with <c>ip -n</c>.</summary>
[TestFixture]
public sealed class RtNetlinkTests
{
    private static readonly IPAddress Local = IPAddress.Parse("10.99.0.1");
    private static readonly IPAddress Peer = IPAddress.Parse("10.99.0.2");

    private NetworkNamespace _ns = null!;
    private TunDevice _tun = null!;
    private RtNetlink _netlink = null!;

    [SetUp]
    public void SetUp()
    {
        _ns = new NetworkNamespace();
        (_tun, _netlink) = _ns.Run(() => (TunDevice.Open(0), RtNetlink.Open()));
    }

    [TearDown]
    public void TearDown()
    {
        // SetUp may have failed halfway; the namespace must go regardless.
        _netlink?.Dispose();
        _tun?.Dispose();
        _ns?.Dispose();
    }

    private int Index => _tun.IfIndex;

    [Test]
    public void GetIfIndex_KnownAndUnknownNames_IndexOrMinusOne()
    {
        Assert.That(_netlink.GetIfIndex("ppp0"), Is.EqualTo(Index));
        Assert.That(_netlink.GetIfIndex("lo"), Is.EqualTo(1));
        Assert.That(_netlink.GetIfIndex("nosuch0"), Is.EqualTo(-1));
        Assert.That(_netlink.GetIfIndex("much-too-long-interface-name"), Is.EqualTo(-1));
    }

    [Test]
    public void SetLinkUpMtuAlias_ShowInIpLink()
    {
        _netlink.SetMtu(Index, 1400);
        _netlink.SetAlias(Index, "to the ISP");
        _netlink.SetLinkUp(Index, true);

        string link = _ns.IpIn("link", "show", "ppp0");
        Assert.That(link, Does.Contain("mtu 1400").And.Contain(",UP").And.Contain("alias to the ISP"));

        _netlink.SetLinkUp(Index, false);
        Assert.That(_ns.IpIn("link", "show", "ppp0"), Does.Not.Contain(",UP"));
    }

    [Test]
    public void Rename_LinkDown_NewNameSameIndex()
    {
        _netlink.Rename(Index, "isp0");

        Assert.That(_netlink.GetIfIndex("isp0"), Is.EqualTo(Index));
        Assert.That(_netlink.GetLinkName(Index), Is.EqualTo("isp0"));
    }

    [Test]
    public void Rename_ToTakenName_ThrowsFileExists()
    {
        NetlinkException? error = Assert.Throws<NetlinkException>(() => _netlink.Rename(Index, "lo"));

        Assert.That(error!.Errno, Is.EqualTo(17));
        Assert.That(error.Message, Does.StartWith("RTM_NEWLINK dev ppp0 name lo: File exists"));
    }

    [Test]
    public void AddAddress_Ipv4PointToPoint_ListedWithPeer()
    {
        _netlink.AddAddress(Index, Local, 32, Peer, replace: false);

        Assert.That(_netlink.GetAddresses(Index), Is.EqualTo(new[] { new InterfaceAddress(Local, 32, Peer) }));
        Assert.That(_ns.IpIn("-4", "addr", "show", "dev", "ppp0"), Does.Contain("inet 10.99.0.1 peer 10.99.0.2/32"));
    }

    [Test]
    public void AddAddress_ExistingWithoutReplace_ThrowsFileExistsNamingAddress()
    {
        _netlink.AddAddress(Index, Local, 32, Peer, replace: false);

        NetlinkException? error = Assert.Throws<NetlinkException>(() => _netlink.AddAddress(Index, Local, 32, Peer, replace: false));
        Assert.DoesNotThrow(() => _netlink.AddAddress(Index, Local, 32, Peer, replace: true));

        Assert.That(error!.Errno, Is.EqualTo(17));
        Assert.That(error.Message, Does.StartWith("RTM_NEWADDR 10.99.0.1/32 peer 10.99.0.2 dev ppp0: File exists"));
    }

    [Test]
    public void DeleteAddress_Present_GoneAndSecondDeleteThrows()
    {
        _netlink.AddAddress(Index, Local, 32, Peer, replace: false);

        _netlink.DeleteAddress(Index, Local, 32, Peer);

        Assert.That(_netlink.GetAddresses(Index), Is.Empty);
        Assert.Throws<NetlinkException>(() => _netlink.DeleteAddress(Index, Local, 32, Peer));
    }

    [Test]
    public void AddAddress_Ipv6LinkLocalWithPeer_UsableAtOnce()
    {
        _netlink.SetLinkUp(Index, true);
        IPAddress local = IPAddress.Parse("fe80::1"), peer = IPAddress.Parse("fe80::2");

        _netlink.AddAddress(Index, local, 64, peer, replace: false);

        Assert.That(_netlink.GetAddresses(Index), Does.Contain(new InterfaceAddress(local, 64, peer)));
        string shown = _ns.IpIn("-6", "addr", "show", "dev", "ppp0");
        Assert.That(shown, Does.Contain("inet6 fe80::1 peer fe80::2/64"));
        Assert.That(shown, Does.Not.Contain("tentative"));
    }

    [Test]
    public void AddRoute_ViaGateway_ListedThenDeleted()
    {
        Configure();
        var destination = IPNetwork.Parse("10.0.0.0/8");

        _netlink.AddRoute(destination, Peer, Index, replace: false);

        Assert.That(_netlink.GetRoutes(AddressFamily.InterNetwork), Does.Contain((destination, (IPAddress?)Peer, Index)));
        Assert.That(_ns.IpIn("route", "show", "10.0.0.0/8"), Does.Contain("10.0.0.0/8 via 10.99.0.2 dev ppp0"));

        _netlink.DeleteRoute(destination, Peer, Index);

        Assert.That(_netlink.GetRoutes(AddressFamily.InterNetwork).Select(r => r.Destination), Does.Not.Contain(destination));
    }

    [Test]
    public void AddRoute_Existing_ThrowsMessageLikeIpUnlessReplace()
    {
        Configure();
        var destination = IPNetwork.Parse("10.0.0.0/8");
        _netlink.AddRoute(destination, Peer, Index, replace: false);

        NetlinkException? error = Assert.Throws<NetlinkException>(() => _netlink.AddRoute(destination, Peer, Index, replace: false));
        _netlink.AddRoute(destination, null, Index, replace: true);

        Assert.That(error!.Errno, Is.EqualTo(17));
        Assert.That(error.Message, Does.StartWith("RTM_NEWROUTE 10.0.0.0/8 via 10.99.0.2 dev ppp0: File exists"));
        Assert.That(_netlink.GetRoutes(AddressFamily.InterNetwork).Where(r => r.Destination == destination),
            Is.EqualTo(new[] { (destination, (IPAddress?)null, Index) }));
    }

    [Test]
    public void DeleteRoute_Missing_ThrowsNoSuchProcess()
    {
        Configure();

        NetlinkException? error = Assert.Throws<NetlinkException>(() => _netlink.DeleteRoute(IPNetwork.Parse("10.0.0.0/8"), null, Index));

        Assert.That(error!.Errno, Is.EqualTo(3));
        Assert.That(error.Message, Does.StartWith("RTM_DELROUTE 10.0.0.0/8 dev ppp0: No such process"));
    }

    [Test]
    public void AddRoute_Ipv4DefaultOutOfInterface_ListedAsAnyZero()
    {
        Configure();

        _netlink.AddRoute(IPNetwork.Parse("0.0.0.0/0"), null, Index, replace: false);

        Assert.That(_netlink.GetRoutes(AddressFamily.InterNetwork), Does.Contain((IPNetwork.Parse("0.0.0.0/0"), (IPAddress?)null, Index)));
        Assert.That(_ns.IpIn("route", "show", "default"), Does.Contain("default dev ppp0"));
    }

    [Test]
    public void AddRoute_Ipv6ViaLinkLocalPeer_Listed()
    {
        _netlink.SetLinkUp(Index, true);
        _netlink.AddAddress(Index, IPAddress.Parse("fe80::1"), 64, IPAddress.Parse("fe80::2"), replace: false);
        var destination = IPNetwork.Parse("2001:db8::/32");

        _netlink.AddRoute(destination, IPAddress.Parse("fe80::2"), Index, replace: false);

        Assert.That(_netlink.GetRoutes(AddressFamily.InterNetworkV6), Does.Contain((destination, (IPAddress?)IPAddress.Parse("fe80::2"), Index)));
        _netlink.DeleteRoute(destination, null, Index);
        Assert.That(_netlink.GetRoutes(AddressFamily.InterNetworkV6).Select(r => r.Destination), Does.Not.Contain(destination));
    }

    [Test]
    public void GetRoutes_ManyRoutes_WholeDumpRead()
    {
        Configure();
        for (int i = 0; i < 600; i++)
            _netlink.AddRoute(new IPNetwork(new IPAddress([172, 16, (byte)(i / 256), (byte)i]), 32), null, Index, replace: false);

        Assert.That(_netlink.GetRoutes(AddressFamily.InterNetwork).Count(r => r.IfIndex == Index && r.Destination.PrefixLength == 32), Is.GreaterThanOrEqualTo(600));
    }

    private void Configure()
    {
        _netlink.AddAddress(Index, Local, 32, Peer, replace: false);
        _netlink.SetLinkUp(Index, true);
    }
}
