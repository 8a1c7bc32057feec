using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Config;

namespace Ppp.Core.Tests.Config;

/// <summary>ppp(8)'s <c>$VAR</c>, <c>${VAR}</c>, <c>~</c> and <c>~user</c> in command lines and <c>!include</c> (issue 12, item 12).</summary>
[TestFixture]
public sealed class WordExpansionTests
{
    private static readonly WordExpansion s_expansion = new(
        name => name switch { "HOME" => "/home/me", "DEV" => "ttyS1", "EMPTY" => "", _ => null },
        user => user switch { null => "/home/me", "bob" => "/home/bob", _ => null });

    [TestCase("set device ${HOME}/x", new[] { "set", "device", "/home/me/x" })]
    [TestCase("set device /dev/$DEV", new[] { "set", "device", "/dev/ttyS1" })]
    [TestCase("set device \"/dev/${DEV} x\"", new[] { "set", "device", "/dev/ttyS1 x" })]
    [TestCase("a ~/x ~bob/y ~", new[] { "a", "/home/me/x", "/home/bob/y", "/home/me" })]
    [TestCase("a \"~/x\" b~c", new[] { "a", "~/x", "b~c" })]
    [TestCase("a $UNSET-b ${EMPTY}c", new[] { "a", "-b", "c" })]
    [TestCase("set login \"ogin:\" user \"$ \" x $", new[] { "set", "login", "ogin:", "user", "$ ", "x", "$" })]
    public void Split_WithExpansion_ExpandsAsPppDoes(string line, string[] words)
    {
        var (result, error) = CommandLine.Split(line, s_expansion);
        Assert.That(error, Is.Null);
        Assert.That(result, Is.EqualTo(words));
    }

    [TestCase("a ${HOME", "unterminated ${")]
    [TestCase("a ${HO ME}", "not a variable name")]
    [TestCase("a ~nobody/x", "~nobody: no such user")]
    public void Split_BadExpansion_SaysWhy(string line, string why)
    {
        var (_, error) = CommandLine.Split(line, s_expansion);
        Assert.That(error, Does.Contain(why));
    }

    [Test]
    public void Split_WithoutExpansion_KeepsTheText()
    {
        var (words, _) = CommandLine.Split("a ${HOME} ~/x $DEV");
        Assert.That(words, Is.EqualTo(new[] { "a", "${HOME}", "~/x", "$DEV" }));
    }

    [Test]
    public void Execute_DeviceWithHome_IsExpandedBeforeTheCommandSeesIt()
    {
        var settings = new BundleSettings();
        var interpreter = new CommandInterpreter(settings, null, new Support.CapturingLoggerFactory(),
            new CommandInterpreterOptions { Expansion = s_expansion });
        var result = interpreter.Execute("set device ${HOME}/modem", CommandOrigin.File("/etc/ppp/ppp.conf", 3), TextWriter.Null);
        Assert.That(result.Error, Is.Null);
        Assert.That(settings.Devices.Select(d => d.Text), Is.EqualTo(new[] { "/home/me/modem" }));
    }

    [Test]
    public void Include_Tilde_ReadsFromHome()
    {
        var files = new Dictionary<string, string>
        {
            ["/etc/ppp/ppp.conf"] = "default:\n !include ~/isp.conf\n",
            ["/home/me/isp.conf"] = " set mru 1400\nisp:\n set timeout 9\n",
        };
        var file = ConfigFile.Load("/etc/ppp/ppp.conf", p => files.GetValueOrDefault(p), s_expansion);
        Assert.That(file.Errors, Is.Empty);
        Assert.That(file.Find("default")!.Lines.Select(l => l.Text), Is.EqualTo(new[] { "set mru 1400" }));
        Assert.That(file.Find("isp"), Is.Not.Null);
    }
}
