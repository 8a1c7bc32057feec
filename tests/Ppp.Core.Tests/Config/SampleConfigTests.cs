using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Tests.Support;

namespace Ppp.Core.Tests.Config;

/// <summary>The files in conf/ are what users copy: every label must load with no error.</summary>
[TestFixture]
public sealed class SampleConfigTests
{
    private static string ConfDirectory()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "conf");
            if (File.Exists(Path.Combine(candidate, "ppp.conf")) && File.Exists(Path.Combine(dir.FullName, "global.json")))
                return candidate;
        }
        throw new InvalidOperationException("conf/ppp.conf not found above the test directory");
    }

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    [TestCase("tcp-client")]
    [TestCase("tcp-server")]
    [TestCase("cellular")]
    [TestCase("null-modem")]
    [TestCase("dialin")]
    public void PppConf_Label_LoadsWithoutErrors(string label)
    {
        string conf = Path.Combine(ConfDirectory(), "ppp.conf");
        var settings = new BundleSettings();
        var interpreter = new CommandInterpreter(settings, runtime: null, new CapturingLoggerFactory(),
            new CommandInterpreterOptions { ConfigPath = conf, ReadFile = Read });
        var errors = interpreter.LoadSystem([label], TextWriter.Null);
        Assert.That(errors, Is.Empty);
        Assert.That(settings.Label, Is.EqualTo(label));
    }

    [Test]
    public void PppConf_Cellular_DialScriptKeepsChatEscapes()
    {
        string conf = Path.Combine(ConfDirectory(), "ppp.conf");
        var settings = new BundleSettings();
        var interpreter = new CommandInterpreter(settings, null, new CapturingLoggerFactory(),
            new CommandInterpreterOptions { ConfigPath = conf, ReadFile = Read });
        Assert.That(interpreter.LoadSystem(["cellular"], TextWriter.Null), Is.Empty);
        Assert.That(settings.DialScript, Does.Contain("NO\\sCARRIER").And.Contain("AT+CGDCONT=1,\\\"IP\\\",\\\"internet\\\"").And.Contain("\\dATD\\T"));
        Assert.That(settings.ToIpcpConfig().EnableDns, Is.True);
    }

    [Test]
    public void PppConf_Dialin_RequiresChap()
    {
        string conf = Path.Combine(ConfDirectory(), "ppp.conf");
        var settings = new BundleSettings();
        var interpreter = new CommandInterpreter(settings, null, new CapturingLoggerFactory(),
            new CommandInterpreterOptions { ConfigPath = conf, ReadFile = Read });
        Assert.That(interpreter.LoadSystem(["dialin"], TextWriter.Null), Is.Empty);
        Assert.That(settings.ToLcpConfig().RequirePeerAuthentication, Is.EqualTo(new[] { AuthProtocol.ChapMd5, AuthProtocol.MsChapV2 }));
        Assert.That(settings.IfAddr.HasPool, Is.True);
    }

    [Test]
    public void PppSecret_ParsesWithoutErrors()
    {
        string path = Path.Combine(ConfDirectory(), "ppp.secret");
        var secrets = SecretsFile.Parse(path, File.ReadAllText(path));
        Assert.That(secrets.Errors, Is.Empty);
        Assert.That(secrets.TryGetEntry("alice", out var alice) ? alice.Label : null, Is.EqualTo("dialin-alice"));
    }

    [TestCase("ppp.linkup")]
    [TestCase("ppp.linkdown")]
    public void LinkFiles_EveryLineExecutes(string name)
    {
        string path = Path.Combine(ConfDirectory(), name);
        var file = ConfigFile.Load(path, Read);
        Assert.That(file.Errors, Is.Empty);
        var interpreter = new CommandInterpreter(new BundleSettings(), null, new CapturingLoggerFactory());
        var words = new Dictionary<string, string> { ["MYADDR"] = "10.0.0.1", ["HISADDR"] = "10.0.0.2", ["INTERFACE"] = "ppp0" };
        foreach (var line in file.Sections.SelectMany(s => s.Lines))
        {
            var (argv, error) = CommandLine.Split(line.Text);
            Assert.That(error, Is.Null);
            var result = interpreter.Execute(Substitution.Substitute(argv, words), CommandOrigin.File(line.File, line.Line), TextWriter.Null);
            Assert.That(result.Error, Is.Null);
        }
    }
}
