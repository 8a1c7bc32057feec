using NUnit.Framework;
using Ppp.Core.Config;

namespace Ppp.Core.Tests.Config;

[TestFixture]
public sealed class ConfigFileTests
{
    [Test]
    public void Parse_LabelsCommandsComments_KeepLineNumbers()
    {
        var file = ConfigFile.Parse("ppp.conf", "# head\ndefault:\n set log Phase\n\n  # indented comment\nisp:  # trailing\n\tset device /dev/ttyS0\n");
        Assert.That(file.Errors, Is.Empty);
        Assert.That(file.Sections.Select(s => (s.Label, s.Line)), Is.EqualTo(new[] { ("default", 2), ("isp", 6) }));
        Assert.That(file.Find("isp")!.Lines, Is.EqualTo(new[] { new ConfigLine("ppp.conf", 7, "set device /dev/ttyS0") }));
    }

    [Test]
    public void Parse_Continuation_JoinsAndKeepsFirstLine()
    {
        var file = ConfigFile.Parse("ppp.conf", "a:\n set dial \"ABORT BUSY \\\n   ATZ OK\"\n set mru 1500\n");
        Assert.That(file.Errors, Is.Empty);
        Assert.That(file.Find("a")!.Lines, Is.EqualTo(new[]
        {
            new ConfigLine("ppp.conf", 2, "set dial \"ABORT BUSY    ATZ OK\""),
            new ConfigLine("ppp.conf", 4, "set mru 1500"),
        }));
    }

    [Test]
    public void Parse_EscapedBackslashAtEnd_NotContinuation()
    {
        var file = ConfigFile.Parse("ppp.conf", "a:\n x \\\\\n y\n");
        Assert.That(file.Find("a")!.Lines.Select(l => l.Text), Is.EqualTo(new[] { "x \\\\", "y" }));
    }

    [Test]
    public void Parse_CrLf_Accepted()
    {
        var file = ConfigFile.Parse("ppp.conf", "a:\r\n set mru 1500\r\n");
        Assert.That(file.Errors, Is.Empty);
        Assert.That(file.Find("a")!.Lines[0].Text, Is.EqualTo("set mru 1500"));
    }

    [Test]
    public void Parse_Errors_AllReportedWithFileAndLine()
    {
        var file = ConfigFile.Parse("/etc/ppp/ppp.conf", " set mru 1500\nnot a label\nx:\nfoo\nx:\n");
        Assert.That(file.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "/etc/ppp/ppp.conf:1: \"set\": command outside any label (put a label such as \"default:\" above it)",
            "/etc/ppp/ppp.conf:2: \"not\": not a label (labels end with ':'; commands must be indented with a space or a tab)",
            "/etc/ppp/ppp.conf:4: \"foo\": not a label (labels end with ':'; commands must be indented with a space or a tab)",
            "/etc/ppp/ppp.conf:5: label \"x\" is already defined at /etc/ppp/ppp.conf:3",
        }));
    }

    [Test]
    public void Parse_Include_RelativeToFileAndMerged()
    {
        var files = new Dictionary<string, string>
        {
            ["/etc/ppp/common.conf"] = " set timeout 0\nshared:\n set mru 1400\n",
        };
        var file = ConfigFile.Parse("/etc/ppp/ppp.conf", "default:\n !include common.conf\n set log Phase\nisp:\n set mru 1500\n", p => files.GetValueOrDefault(p));
        Assert.That(file.Errors, Is.Empty);
        Assert.That(file.Find("default")!.Lines, Is.EqualTo(new[]
        {
            new ConfigLine("/etc/ppp/common.conf", 1, "set timeout 0"),
            new ConfigLine("/etc/ppp/ppp.conf", 3, "set log Phase"),
        }));
        Assert.That(file.Find("shared")!.Lines[0], Is.EqualTo(new ConfigLine("/etc/ppp/common.conf", 3, "set mru 1400")));
    }

    [Test]
    public void Parse_IncludeLoop_Error()
    {
        var files = new Dictionary<string, string>
        {
            ["/etc/ppp/a.conf"] = "!include b.conf\n",
            ["/etc/ppp/b.conf"] = "!include a.conf\n",
        };
        var file = ConfigFile.Load("/etc/ppp/a.conf", p => files.GetValueOrDefault(p));
        Assert.That(file.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "/etc/ppp/b.conf:1: !include: \"a.conf\": include loop (/etc/ppp/a.conf -> /etc/ppp/b.conf -> /etc/ppp/a.conf)",
        }));
    }

    [Test]
    public void Parse_IncludeProblems_Errors()
    {
        var file = ConfigFile.Parse("/etc/ppp/ppp.conf", "!include missing.conf\n!include\n!include ~/.ppp.conf\n", _ => null);
        Assert.That(file.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "/etc/ppp/ppp.conf:1: !include: \"/etc/ppp/missing.conf\" cannot be read",
            "/etc/ppp/ppp.conf:2: !include: expects exactly one file name",
            "/etc/ppp/ppp.conf:3: !include: \"~/.ppp.conf\": '~' is not expanded; give a path relative to /etc/ppp",
        }));
        Assert.That(ConfigFile.Parse("x", "!include y\n").Errors[0].Message, Is.EqualTo("!include: \"y\": includes cannot be read here"));
    }

    [Test]
    public void Load_Unreadable_OneError() =>
        Assert.That(ConfigFile.Load("/nope", _ => null).Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "/nope: cannot be read" }));

    [Test]
    public void Parse_RandomText_NeverThrows()
    {
        var random = new Random(99);
        const string alphabet = "ab: \t\n\\\"#!include\r";
        for (int i = 0; i < 3000; i++)
        {
            string text = new([.. Enumerable.Range(0, random.Next(60)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            Assert.DoesNotThrow(() => ConfigFile.Parse("/x/ppp.conf", text, _ => text), text);
        }
    }
}
