using NUnit.Framework;
namespace Ppp.Core.Tests.Commands;

[TestFixture]
public sealed class RouteCommandsTests
{
    [TestCase("add default HISADDR", "AddRoute(default, HISADDR, False)")]
    [TestCase("add! default HISADDR", "AddRoute(default, HISADDR, True)")]
    [TestCase("add ! default HISADDR", "AddRoute(default, HISADDR, True)")]
    [TestCase("add 0 0 HISADDR", "AddRoute(default, HISADDR, False)")]
    [TestCase("add 10.0.9.0/24 HISADDR", "AddRoute(10.0.9.0/24, HISADDR, False)")]
    [TestCase("add 10.0.9.7/24 hisaddr", "AddRoute(10.0.9.0/24, HISADDR, False)")]
    [TestCase("add 10.0.9.0 255.255.255.0 10.0.0.2", "AddRoute(10.0.9.0/24, 10.0.0.2/32, False)")]
    [TestCase("add 192.168.1.1 10.0.0.2", "AddRoute(192.168.1.1/32, 10.0.0.2/32, False)")]
    [TestCase("add MYADDR HISADDR", "AddRoute(MYADDR, HISADDR, False)")]
    [TestCase("add DNS0 HISADDR", "AddRoute(DNS0, HISADDR, False)")]
    [TestCase("add 2001:db8::/32 HISADDR6", "AddRoute(2001:db8::/32, HISADDR6, False)")]
    [TestCase("add default HISADDR6", "AddRoute(default, HISADDR6, False)")]
    [TestCase("delete default", "DeleteRoute(default, False)")]
    [TestCase("delete! 10.0.9.0/24", "DeleteRoute(10.0.9.0/24, True)")]
    [TestCase("delete ALL", "DeleteRoute(ALL, False)")]
    [TestCase("delete! all", "DeleteRoute(ALL, True)")]
    [TestCase("iface add 10.0.0.1 10.0.0.2", "IfaceAdd(10.0.0.1/32, 10.0.0.2, False)")]
    [TestCase("iface add! 10.0.0.1/32 10.0.0.2", "IfaceAdd(10.0.0.1/32, 10.0.0.2, True)")]
    [TestCase("iface add 10.0.0.0 255.255.255.0 10.0.0.2", "IfaceAdd(10.0.0.0/24, 10.0.0.2, False)")]
    [TestCase("iface add fe80::1/128 fe80::2", "IfaceAdd(fe80::1/128, fe80::2, False)")]
    [TestCase("iface add 10.0.0.1", "IfaceAdd(10.0.0.1/32, , False)")]
    [TestCase("iface add 10.0.0.1/24", "IfaceAdd(10.0.0.1/24, , False)")]
    [TestCase("iface delete 10.0.0.1", "IfaceDelete(10.0.0.1, False)")]
    [TestCase("iface rm! 10.0.0.1", "IfaceDelete(10.0.0.1, True)")]
    [TestCase("iface clear", "IfaceClear()")]
    [TestCase("iface clear INET6", "IfaceClear(InterNetworkV6)")]
    [TestCase("iface name wan0", "IfaceName(wan0)")]
    [TestCase("iface description uplink to ISP", "IfaceDescription(uplink to ISP)")]
    public void Command_Parsed_IntoRuntimeCall(string line, string call)
    {
        var f = new InterpreterFixture();
        f.Ok(line);
        Assert.That(f.Runtime!.Calls, Is.EqualTo(new[] { call }));
    }

    [Test]
    public void Add_Word_IsSticky()
    {
        var f = new InterpreterFixture();
        f.Ok("add 10.1.0.0/16 HISADDR");
        f.Ok("add 10.2.0.0/16 10.0.0.2");
        Assert.That(f.Runtime!.Routes.Select(r => r!.IsSticky), Is.EqualTo(new[] { true, false }));
    }

    [TestCase("add default", "add: want 2 or 3 arguments, got 1; usage: add [!] dest[/nn] [mask] gateway")]
    [TestCase("add 10.0.0.0/33 HISADDR", "add: \"10.0.0.0/33\": 33 is out of range (0 to 32) (prefix length)")]
    [TestCase("add 10.0.0.0 255.0.255.0 HISADDR", "add: mask: 255.0.255.0 is not contiguous")]
    [TestCase("add 10.0.0.0/8 255.0.0.0 HISADDR", "add: \"255.0.0.0\": give either /nn or a mask, not both")]
    [TestCase("add 10.0.0.0/8 HISADDR6", "add: 10.0.0.0/8 and HISADDR6 are of different address families")]
    [TestCase("add 10.0.0.0/8 somewhere", "add: \"somewhere\": gateway is not an address, HISADDR or HISADDR6")]
    [TestCase("add 10.1/8 HISADDR", "add: \"10.1/8\" is not an address (a.b.c.d[/nn] or an IPv6 address[/nn])")]
    [TestCase("delete", "delete: want 1 argument, got 0; usage: delete [!] dest[/nn]|ALL")]
    [TestCase("iface add 10.0.0.1 fe80::1", "iface add: 10.0.0.1 and fe80::1 are of different address families")]
    [TestCase("iface clear INET4", "iface clear: \"INET4\" is not INET or INET6")]
    [TestCase("iface name this/is/bad", "iface name: \"this/is/bad\" is not a valid interface name (1 to 15 characters, no '/', ':' or blanks)")]
    [TestCase("iface frob", "unknown command: iface frob")]
    [TestCase("iface show!", "show!: '!' is not allowed after iface show")]
    public void Command_Bad_ErrorAndNoCall(string line, string error)
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error(line), Is.EqualTo(error));
        Assert.That(f.Runtime!.Calls, Is.Empty);
    }

    [Test]
    public void Add_RuntimeRefuses_ErrorReturned()
    {
        var f = new InterpreterFixture();
        f.Runtime!.NextError = "route exists";
        Assert.That(f.Error("add 10.0.0.0/8 HISADDR"), Is.EqualTo("route exists"));
    }
}
