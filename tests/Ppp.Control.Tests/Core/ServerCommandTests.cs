using NUnit.Framework;
using Ppp.Core.Control;

namespace Ppp.Control.Tests.Core;

[TestFixture]
public sealed class ServerCommandTests
{
    [TestCase("+3000 pw", "tcp loopback:+3000")]
    [TestCase("3000 pw", "tcp loopback:3000")]
    [TestCase("0.0.0.0:3000 pw", "tcp 0.0.0.0:3000")]
    [TestCase("[::1]:+3000 pw", "tcp [::1]:+3000")]
    [TestCase("/run/ppp%d.sock", "local /run/ppp%d.sock (mask 0177)")]
    [TestCase("/run/ppp.sock pw 0117", "local /run/ppp.sock (mask 0117)")]
    public void Parse_ValidEndpoint_Describes(string args, string expected)
    {
        var (command, error) = ServerCommand.Parse(args.Split(' '));
        Assert.That(error, Is.Null);
        Assert.That(command!.Action, Is.EqualTo(ServerAction.Listen));
        Assert.That(command.Endpoint!.ToString(), Is.EqualTo(expected));
    }

    [TestCase("none", ServerAction.None)]
    [TestCase("OPEN", ServerAction.Open)]
    [TestCase("closed", ServerAction.Closed)]
    public void Parse_Word_GivesItsAction(string word, ServerAction action)
    {
        Assert.That(ServerCommand.Parse([word]).Command!.Action, Is.EqualTo(action));
    }

    [TestCase("3000", "needs a password")]
    [TestCase("3000 pw 0177", "local socket only")]
    [TestCase("70000 pw", "neither an absolute path nor a TCP port")]
    [TestCase("relative/path pw", "neither an absolute path")]
    [TestCase("gateway:3000 pw", "is not an IP address")]
    [TestCase("http pw", "neither an absolute path nor a TCP port")]
    [TestCase("/run/s pw 0999", "not an octal mask")]
    [TestCase("none extra", "takes no other argument")]
    [TestCase("/run/s pw 0177 extra", "too many arguments")]
    public void Parse_Invalid_SaysWhy(string args, string why)
    {
        var (command, error) = ServerCommand.Parse(args.Split(' '));
        Assert.That(command, Is.Null);
        Assert.That(error, Does.Contain(why));
    }

    [Test]
    public void Parse_Empty_IsAnError()
    {
        Assert.That(ServerCommand.Parse([]).Error, Is.EqualTo("missing argument"));
    }

    [Test]
    public void ToString_WithPassword_NeverPrintsIt()
    {
        var (command, _) = ServerCommand.Parse(["+3000", "sekrit"]);
        Assert.That(command!.ToString(), Does.Not.Contain("sekrit").And.Contain("********"));
    }

    [TestCase("/run/ppp%d.sock", 3, "/run/ppp3.sock")]
    [TestCase("/run/ppp.sock", 3, "/run/ppp.sock")]
    public void ResolvePath_ReplacesTheFirstPercentD(string path, int unit, string expected)
    {
        Assert.That(new ServerEndpoint { LocalPath = path }.ResolvePath(unit), Is.EqualTo(expected));
    }

    [TestCase(3000, true, 2, 3002)]
    [TestCase(3000, false, 2, 3000)]
    [TestCase(65535, true, 1, null)]
    public void ResolvePort_AddsTheUnitWhenAsked(int port, bool addUnit, int unit, int? expected)
    {
        Assert.That(new ServerEndpoint { Port = port, AddUnit = addUnit }.ResolvePort(unit), Is.EqualTo(expected));
    }
}
