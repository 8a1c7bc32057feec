using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Tun.Net;

namespace Ppp.Tun.Tests.Net;

/// <summary>
/// The bookkeeping against <see cref="FakeNetlink"/> (order of calls, sticky words, ALL), then
/// the same operations against a real tun in a network namespace (root).
/// </summary>
[TestFixture]
public sealed class InterfaceConfiguratorTests
{
    private static readonly IPAddress My = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress His = IPAddress.Parse("10.0.0.2");
    private static readonly IPAddress My6 = IPAddress.Parse("fe80::1");
    private static readonly IPAddress His6 = IPAddress.Parse("fe80::2");

    private FakeNetlink _kernel = null!;
    private ListLogger _log = null!;
    private InterfaceConfigurator _config = null!;

    [SetUp]
    public void SetUp()
    {
        _kernel = new FakeNetlink();
        _log = new ListLogger();
        _config = new InterfaceConfigurator(_kernel, _log, "ppp0", 5);
    }

    [Test]
    public void ApplyIpv4_FreshInterface_AddressThenMtuThenUp()
    {
        _config.ApplyIpv4(My, His, 1500);

        Assert.That(_kernel.Calls, Is.EqualTo(new[] { "addr+ 10.0.0.1/32 peer 10.0.0.2 replace", "mtu 1500", "up" }));
        Assert.That(_config.Addresses, Is.EqualTo(new[] { new InterfaceAddress(My, 32, His) }));
    }

    [Test]
    public void ApplyIpv4_SamePairAgain_KeepsAddress()
    {
        _config.ApplyIpv4(My, His, 1500);
        _kernel.Calls.Clear();

        _config.ApplyIpv4(My, His, 1400);

        Assert.That(_kernel.Calls, Is.EqualTo(new[] { "mtu 1400", "up" }));
    }

    [Test]
    public void AddRoute_StickyWordWithoutValue_SucceedsAndIsAppliedWithAddresses()
    {
        CommandOutcome outcome = _config.AddRoute(Spec("default", "HISADDR"), replace: false);

        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(_kernel.Calls, Is.Empty);
        Assert.That(_config.StickyRoutes, Has.Count.EqualTo(1));

        _config.ApplyIpv4(My, His, 1500);

        // Via the peer on a point-to-point link is out of the interface: no gateway.
        Assert.That(_kernel.Calls[^1], Is.EqualTo("route+ 0.0.0.0/0 replace"));
        Assert.That(_config.Routes, Is.EqualTo(new[] { new AppliedRoute(IPNetwork.Parse("0.0.0.0/0"), null, "ppp0", Spec("default", "HISADDR")) }));
    }

    [Test]
    public void ApplyIpv4_AddressChanged_ReplacesPairAndReResolvesStickyRoutes()
    {
        _config.AddRoute(Spec("HISADDR", null), replace: false);
        _config.ApplyIpv4(My, His, 1500);
        _kernel.Calls.Clear();

        IPAddress newHis = IPAddress.Parse("10.0.0.3");
        _config.ApplyIpv4(My, newHis, 1500);

        Assert.That(_kernel.Calls, Is.EqualTo(new[]
        {
            "route- 10.0.0.2/32",
            "addr- 10.0.0.1/32 peer 10.0.0.2",
            "addr+ 10.0.0.1/32 peer 10.0.0.3 replace",
            "mtu 1500",
            "up",
            "route+ 10.0.0.3/32 replace",
        }));
        Assert.That(_config.Routes.Select(r => r.Destination), Is.EqualTo(new[] { IPNetwork.Parse("10.0.0.3/32") }));
    }

    [Test]
    public void RemoveIpv4_StickyAndLiteralRoutes_KeepsOnlyStickySpecs()
    {
        _config.ApplyIpv4(My, His, 1500);
        _config.AddRoute(Spec("10.1.0.0/16", "HISADDR"), replace: false);
        _config.AddRoute(Spec("10.2.0.0/16", "10.0.0.2"), replace: false);

        _config.RemoveIpv4();

        Assert.That(_config.Routes, Is.Empty);
        Assert.That(_config.Addresses, Is.Empty);
        Assert.That(_config.StickyRoutes, Is.EqualTo(new[] { Spec("10.1.0.0/16", "HISADDR") }));
        Assert.That(_kernel.KernelRoutes, Is.Empty);
        Assert.That(_kernel.KernelAddresses, Is.Empty);

        _config.ApplyIpv4(My, His, 1500);

        Assert.That(_config.Routes.Select(r => r.Destination.ToString()), Is.EqualTo(new[] { "10.1.0.0/16" }));
    }

    [Test]
    public void AddRoute_SameStickyDestinationTwice_FailsUnlessReplace()
    {
        _config.AddRoute(Spec("default", "HISADDR"), replace: false);

        CommandOutcome again = _config.AddRoute(Spec("default", "10.0.0.9"), replace: false);
        CommandOutcome replaced = _config.AddRoute(Spec("default", "10.0.0.9"), replace: true);

        Assert.That(again.Error, Is.EqualTo("add default 10.0.0.9/32: route to default already exists (add! replaces it)"));
        Assert.That(replaced.Succeeded, Is.True);
        Assert.That(_config.StickyRoutes, Is.EqualTo(new[] { Spec("default", "10.0.0.9") }));
    }

    [Test]
    public void AddRoute_LiteralRouteTheKernelHas_FailsWithKernelMessage()
    {
        _config.ApplyIpv4(My, His, 1500);
        _kernel.AddRoute(IPNetwork.Parse("10.9.0.0/16"), null, 5, replace: false);

        CommandOutcome outcome = _config.AddRoute(Spec("10.9.0.0/16", "10.0.0.2"), replace: false);

        Assert.That(outcome.Error, Does.Contain("File exists").And.StartWith("add 10.9.0.0/16 10.0.0.2/32: RTM_NEWROUTE"));
        Assert.That(_config.Routes, Is.Empty);
    }

    [TestCase("default", "DNS0", "gateway must be an address, HISADDR or HISADDR6, not 'DNS0'")]
    [TestCase("default", "MYADDR", "gateway must be an address, HISADDR or HISADDR6, not 'MYADDR'")]
    [TestCase("HOSTADDR", "HISADDR", "unknown destination word 'HOSTADDR'")]
    [TestCase("MYADDR6", "HISADDR", "destination and gateway are of different address families")]
    [TestCase("2001:db8::/32", "10.0.0.2", "destination and gateway are of different address families")]
    public void AddRoute_InvalidSpec_FailsWithoutTouchingKernel(string destination, string gateway, string error)
    {
        CommandOutcome outcome = _config.AddRoute(Spec(destination, gateway), replace: false);

        Assert.That(outcome.Error, Does.EndWith(error));
        Assert.That(_kernel.Calls, Is.Empty);
        Assert.That(_config.StickyRoutes, Is.Empty);
    }

    [Test]
    public void AddRoute_DefaultViaHisAddr6_InstallsIpv6DefaultWhenIpv6cpUp()
    {
        _config.AddRoute(Spec("default", "HISADDR6"), replace: false);
        _config.ApplyIpv4(My, His, 1500);
        Assert.That(_config.Routes, Is.Empty);

        _config.ApplyIpv6(My6, His6);

        Assert.That(_kernel.Calls, Does.Contain("addr+ fe80::1/64 peer fe80::2 replace"));
        Assert.That(_config.Routes.Select(r => r.Destination), Is.EqualTo(new[] { IPNetwork.Parse("::/0") }));
    }

    [Test]
    public void SetDns_RouteToDns0_FollowsTheValue()
    {
        _config.ApplyIpv4(My, His, 1500);
        _config.AddRoute(Spec("DNS0", "HISADDR"), replace: false);
        Assert.That(_config.Routes, Is.Empty);

        _config.SetDns(IPAddress.Parse("192.0.2.53"), null);
        _config.SetDns(IPAddress.Parse("192.0.2.54"), null);

        Assert.That(_kernel.Calls.Where(c => c.StartsWith("route", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "route+ 192.0.2.53/32 replace", "route- 192.0.2.53/32", "route+ 192.0.2.54/32 replace",
        }));
    }

    [Test]
    public void DeleteRoute_Missing_FailsUnlessQuiet()
    {
        _config.ApplyIpv4(My, His, 1500);

        CommandOutcome loud = _config.DeleteRoute(Spec("10.7.0.0/16", null), quiet: false);
        CommandOutcome quiet = _config.DeleteRoute(Spec("10.7.0.0/16", null), quiet: true);
        CommandOutcome pending = _config.DeleteRoute(Spec("DNS1", null), quiet: false);

        Assert.That(loud.Error, Is.EqualTo("delete 10.7.0.0/16: no such route through ppp0"));
        Assert.That(quiet.Succeeded, Is.True);
        Assert.That(pending.Error, Is.EqualTo("delete DNS1: no such route"));
    }

    [Test]
    public void DeleteRoute_StickyByWord_RemovesRouteAndSpec()
    {
        _config.ApplyIpv4(My, His, 1500);
        _config.AddRoute(Spec("default", "HISADDR"), replace: false);

        CommandOutcome outcome = _config.DeleteRoute(Spec("0.0.0.0/0", null), quiet: false);

        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(_config.StickyRoutes, Is.Empty);
        Assert.That(_kernel.KernelRoutes, Is.Empty);
    }

    [Test]
    public void DeleteRoute_All_RemovesEveryRouteAndStickySpec()
    {
        _config.ApplyIpv4(My, His, 1500);
        _config.AddRoute(Spec("default", "HISADDR"), replace: false);
        _config.AddRoute(Spec("10.2.0.0/16", "10.0.0.2"), replace: false);
        _config.AddRoute(Spec("HISADDR6", "HISADDR6"), replace: false);

        CommandOutcome outcome = _config.DeleteRoute(null, quiet: false);

        Assert.That(outcome.Succeeded, Is.True);
        Assert.That((_config.Routes.Count, _config.StickyRoutes.Count, _kernel.KernelRoutes.Count), Is.EqualTo((0, 0, 0)));
        _config.ApplyIpv6(My6, His6);
        Assert.That(_kernel.KernelRoutes, Is.Empty);
    }

    [Test]
    public void IfaceAdd_ExistingAddress_FailsUnlessReplaceWhichSwapsIt()
    {
        Assert.That(_config.IfaceAdd(new InterfaceAddress(IPAddress.Parse("192.0.2.1"), 32, IPAddress.Parse("192.0.2.2")), replace: false).Succeeded, Is.True);

        CommandOutcome again = _config.IfaceAdd(new InterfaceAddress(IPAddress.Parse("192.0.2.1"), 32, IPAddress.Parse("192.0.2.3")), replace: false);
        CommandOutcome replaced = _config.IfaceAdd(new InterfaceAddress(IPAddress.Parse("192.0.2.1"), 32, IPAddress.Parse("192.0.2.3")), replace: true);

        Assert.That(again.Error, Is.EqualTo("iface add 192.0.2.1/32 peer 192.0.2.3: address 192.0.2.1 already exists (iface add! replaces it)"));
        Assert.That(replaced.Succeeded, Is.True);
        Assert.That(_kernel.KernelAddresses, Is.EqualTo(new[] { new InterfaceAddress(IPAddress.Parse("192.0.2.1"), 32, IPAddress.Parse("192.0.2.3")) }));
    }

    [Test]
    public void IfaceDelete_UnknownAddress_FailsUnlessQuiet()
    {
        CommandOutcome loud = _config.IfaceDelete(IPAddress.Parse("192.0.2.9"), quiet: false);
        CommandOutcome quiet = _config.IfaceDelete(IPAddress.Parse("192.0.2.9"), quiet: true);

        Assert.That(loud.Error, Is.EqualTo("iface delete 192.0.2.9: no such address on ppp0"));
        Assert.That(quiet.Succeeded, Is.True);
    }

    [Test]
    public void IfaceClear_Inet_RemovesAllButNegotiatedIpv4()
    {
        _config.ApplyIpv4(My, His, 1500);
        _config.ApplyIpv6(My6, His6);
        _config.IfaceAdd(new InterfaceAddress(IPAddress.Parse("192.0.2.1"), 32, null), replace: false);
        _kernel.Seed(new InterfaceAddress(IPAddress.Parse("198.51.100.1"), 24, null));

        CommandOutcome outcome = _config.IfaceClear(AddressFamily.InterNetwork);

        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(_kernel.KernelAddresses.Select(a => a.Local), Is.EquivalentTo(new[] { My, My6 }));
        Assert.That(_config.Addresses.Select(a => a.Local), Is.EquivalentTo(new[] { My, My6 }));
    }

    [Test]
    public void IfaceName_KernelRefusesLiveRename_DownRenameUpThenRestoresAddressesAndRoutes()
    {
        _config.ApplyIpv4(My, His, 1500);
        _config.ApplyIpv6(My6, His6);
        _config.AddRoute(Spec("default", "HISADDR"), replace: false);
        _kernel.Calls.Clear();

        CommandOutcome outcome = _config.IfaceName("wan0");

        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(_config.Name, Is.EqualTo("wan0"));
        Assert.That(_kernel.Calls.Take(4), Is.EqualTo(new[] { "name wan0", "down", "name wan0", "up" }));
        Assert.That(_kernel.KernelAddresses, Has.Count.EqualTo(2));
        Assert.That(_kernel.KernelRoutes, Has.Count.EqualTo(1));
        Assert.That(_config.Routes.Single().Interface, Is.EqualTo("wan0"));
    }

    [Test]
    public void IfaceName_LinkDown_RenamesOnly()
    {
        CommandOutcome outcome = _config.IfaceName("wan0");

        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(_kernel.Calls, Is.EqualTo(new[] { "name wan0" }));
    }

    [TestCase("")]
    [TestCase("a/b")]
    [TestCase("has space")]
    [TestCase("sixteen-chars-xx")]
    public void IfaceName_InvalidName_FailsWithoutTouchingKernel(string name)
    {
        CommandOutcome outcome = _config.IfaceName(name);

        Assert.That(outcome.Error, Does.Contain("not a valid interface name"));
        Assert.That(_kernel.Calls, Is.Empty);
    }

    [Test]
    public void IfaceDescription_Text_SetsAlias()
    {
        Assert.That(_config.IfaceDescription("uplink to ISP").Succeeded, Is.True);
        Assert.That((_kernel.Alias, _config.Description), Is.EqualTo(("uplink to ISP", "uplink to ISP")));
    }

    [Test]
    public void Teardown_EverythingApplied_RemovesAllAndIsIdempotent()
    {
        _config.ApplyIpv4(My, His, 1500);
        _config.ApplyIpv6(My6, His6);
        _config.AddRoute(Spec("default", "HISADDR"), replace: false);
        _config.IfaceAdd(new InterfaceAddress(IPAddress.Parse("192.0.2.1"), 32, null), replace: false);

        _config.Teardown();
        int calls = _kernel.Calls.Count;
        _config.Teardown();

        Assert.That(_kernel.KernelRoutes, Is.Empty);
        Assert.That(_kernel.KernelAddresses, Is.Empty);
        Assert.That(_kernel.Up, Is.False);
        Assert.That(_kernel.Calls, Has.Count.EqualTo(calls));
        Assert.That((_config.Addresses.Count, _config.Routes.Count), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Teardown_KernelFailsEverything_LogsAndDoesNotThrow()
    {
        _config.ApplyIpv4(My, His, 1500);
        _config.AddRoute(Spec("default", "HISADDR"), replace: false);
        _kernel.FailWith = 19;

        Assert.DoesNotThrow(_config.Teardown);
        Assert.That(_log.Lines.Count(l => l.Level == LogLevel.Warning), Is.EqualTo(3));
    }

    [Test]
    public void ApplyIpv4_KernelRefusesAddress_Throws()
    {
        _kernel.FailWith = 1;

        Assert.Throws<NetlinkException>(() => _config.ApplyIpv4(My, His, 1500));
    }

    // ---- against the real kernel, in a namespace of its own ----

    [Test]
    public void RealKernel_StickyRoutesFollowAddressChangeAndTeardownLeavesNothing()
    {
        using var ns = new NetworkNamespace();
        ns.Run(() =>
        {
            using TunDevice tun = TunDevice.Open(0);
            using RtNetlink netlink = RtNetlink.Open();
            var config = new InterfaceConfigurator(netlink, _log, tun.Name, tun.IfIndex);
            Assert.That(config.AddRoute(Spec("default", "HISADDR"), replace: false).Succeeded, Is.True);
            Assert.That(config.AddRoute(Spec("10.20.0.0/16", "HISADDR"), replace: false).Succeeded, Is.True);
            Assert.That(config.AddRoute(Spec("2001:db8::/32", "HISADDR6"), replace: false).Succeeded, Is.True);

            config.ApplyIpv4(My, His, 1400);
            config.ApplyIpv6(My6, His6);
            Assert.That(ns.IpIn("-4", "route", "show", "dev", "ppp0"), Does.Contain("default").And.Contain("10.20.0.0/16"));
            Assert.That(ns.IpIn("-6", "route", "show", "dev", "ppp0"), Does.Contain("2001:db8::/32"));
            Assert.That(ns.IpIn("link", "show", "ppp0"), Does.Contain("mtu 1400"));

            config.ApplyIpv4(IPAddress.Parse("10.0.0.5"), His, 1400);
            Assert.That(netlink.GetAddresses(tun.IfIndex).Where(a => a.Local.AddressFamily == AddressFamily.InterNetwork),
                Is.EqualTo(new[] { new InterfaceAddress(IPAddress.Parse("10.0.0.5"), 32, His) }));
            Assert.That(netlink.GetRoutes(AddressFamily.InterNetwork).Where(r => r.IfIndex == tun.IfIndex).Select(r => r.Destination.ToString()),
                Is.SupersetOf(new[] { "0.0.0.0/0", "10.20.0.0/16" }));

            config.Teardown();
            Assert.That(netlink.GetAddresses(tun.IfIndex).Where(a => a.Local.Equals(My6) || a.Local.AddressFamily == AddressFamily.InterNetwork), Is.Empty);
            Assert.That(netlink.GetRoutes(AddressFamily.InterNetwork).Where(r => r.IfIndex == tun.IfIndex), Is.Empty);
            Assert.That(netlink.GetRoutes(AddressFamily.InterNetworkV6).Where(r => r.Destination.ToString() == "2001:db8::/32"), Is.Empty);
            Assert.That(ns.IpIn("link", "show", "ppp0"), Does.Not.Contain(",UP"));
        });
        Assert.That(_log.Lines.Where(l => l.Level >= LogLevel.Warning), Is.Empty);
    }

    [Test]
    public void RealKernel_IfaceNameWhileUp_KeepsRoutesUnderNewName()
    {
        using var ns = new NetworkNamespace();
        ns.Run(() =>
        {
            using TunDevice tun = TunDevice.Open(0);
            using RtNetlink netlink = RtNetlink.Open();
            var config = new InterfaceConfigurator(netlink, _log, tun.Name, tun.IfIndex);
            config.ApplyIpv4(My, His, 1500);
            config.ApplyIpv6(My6, His6);
            config.AddRoute(Spec("10.20.0.0/16", "HISADDR"), replace: false);

            Assert.That(config.IfaceName("uplink0").Succeeded, Is.True);

            Assert.That(tun.Name, Is.EqualTo("uplink0"));
            Assert.That(ns.IpIn("route", "show", "dev", "uplink0"), Does.Contain("10.20.0.0/16"));
            Assert.That(ns.IpIn("-6", "addr", "show", "dev", "uplink0"), Does.Contain("fe80::1 peer fe80::2/64"));
        });
    }

    private static RouteSpec Spec(string destination, string? gateway) => new(End(destination), gateway is null ? default : End(gateway));

    private static RouteEnd End(string text)
    {
        if (char.IsLetter(text[0]) && !text.Contains(':', StringComparison.Ordinal))
            return RouteEnd.Named(text);
        if (text.Contains('/', StringComparison.Ordinal))
            return RouteEnd.Literal(IPNetwork.Parse(text));
        IPAddress address = IPAddress.Parse(text);
        return RouteEnd.Literal(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
    }
}
