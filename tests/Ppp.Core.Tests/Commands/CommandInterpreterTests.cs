using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Fsm;
using Ppp.Core.Link;

namespace Ppp.Core.Tests.Commands;

[TestFixture]
public sealed class CommandInterpreterTests
{
    [TestCase("sh ipc")]
    [TestCase("SHOW IPCP")]
    [TestCase("show ipcp")]
    public void Execute_UniquePrefixOrCase_RunsCommand(string line)
    {
        var f = new InterpreterFixture();
        f.Ok(line);
        Assert.That(f.Output.ToString(), Does.Contain("IPCP ["));
    }

    [Test]
    public void Execute_AmbiguousPrefix_NamesCandidates()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error("s"), Is.EqualTo("ambiguous command: s (set, shell, show)"));
    }

    [Test]
    public void Execute_AmbiguousSubcommand_NamesPathAndCandidates()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error("set m 1500"), Is.EqualTo("ambiguous command: set m (metrics, mru, mtu)"));
    }

    [Test]
    public void Execute_ExactMatchAlsoPrefixOfAnother_ExactWins()
    {
        // "set log" is exact for log and a prefix of login.
        var f = new InterpreterFixture();
        f.Ok("set log +lcp");
        Assert.That(f.Settings.LogLevels, Does.Contain("LCP"));
    }

    [Test]
    public void Execute_UnknownCommand_NamesWord()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error("frobnicate"), Is.EqualTo("unknown command: frobnicate"));
        Assert.That(f.Error("set frobnicate 1"), Is.EqualTo("unknown command: set frobnicate"));
    }

    [TestCase("nat enable yes", "nat: NAT is not planned")]
    [TestCase("set vj slots 16", "set vj: Van Jacobson compression is not implemented")]
    [TestCase("link 1 set mode auto", "link: multilink (RFC 1990) is not implemented")]
    [TestCase("clone 1,2", "clone: multilink")]
    [TestCase("set radius /etc/radius.conf", "set radius: RADIUS is not implemented")]
    [TestCase("set cbcp", "set cbcp: CBCP callback is not implemented")]
    [TestCase("allow users fred", "allow: access control")]
    public void Execute_Ppp8CommandNotImplemented_SaysWhy(string line, string expected)
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error(line), Does.StartWith(expected));
    }

    [TestCase("quit", "Quit(False)")]
    [TestCase("bye all", "Quit(True)")]
    [TestCase("dial", "Dial()")]
    [TestCase("call", "Dial()")]
    [TestCase("open", "Open()")]
    [TestCase("open ipcp", "Open(ipcp)")]
    [TestCase("close lcp", "Close(lcp)")]
    [TestCase("down IPV6CP", "Down(ipv6cp)")]
    [TestCase("term", "Terminal()")]
    public void Execute_LinkCommand_CallsRuntime(string line, string call)
    {
        var f = new InterpreterFixture();
        f.Ok(line);
        Assert.That(f.Runtime!.Calls, Is.EqualTo(new[] { call }));
    }

    [Test]
    public void Execute_QuitFromFile_StopsEverything()
    {
        var f = new InterpreterFixture();
        var result = f.Interpreter.Execute("quit", CommandOrigin.File("/etc/ppp/ppp.conf", 3), f.Output);
        Assert.That(result.Success, Is.True);
        Assert.That(f.Runtime!.Calls, Is.EqualTo(new[] { "Quit(True)" }));
    }

    [Test]
    public void Execute_TermNotFromPrompt_RefusedWithoutRuntimeCall()
    {
        var f = new InterpreterFixture();
        var fromFile = f.Interpreter.Execute("term", CommandOrigin.File("/etc/ppp/ppp.conf", 4), f.Output);
        var fromSocket = f.Interpreter.Execute("term", CommandOrigin.Socket, f.Output);
        Assert.That(fromFile.Error, Is.EqualTo("/etc/ppp/ppp.conf:4: term: only from the interactive prompt"));
        Assert.That(fromSocket.Error, Is.EqualTo("term: only from the interactive prompt"));
        Assert.That(f.Error("term now"), Is.EqualTo("term: takes no arguments"));
        Assert.That(f.Runtime!.Calls, Is.Empty);
    }

    [TestCase("open ccp", "open: ccp: CCP compression is not implemented")]
    [TestCase("close foo", "close: \"foo\" is not lcp, ipcp or ipv6cp")]
    [TestCase("quit now", "quit: \"now\" is not all; usage: quit [all]")]
    public void Execute_BadLayer_Error(string line, string expected)
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error(line), Is.EqualTo(expected));
        Assert.That(f.Runtime!.Calls, Is.Empty);
    }

    [Test]
    public void Execute_RuntimeFails_ReturnsItsError()
    {
        var f = new InterpreterFixture();
        f.Runtime!.NextError = "no device";
        Assert.That(f.Error("dial"), Is.EqualTo("no device"));
    }

    [Test]
    public void Execute_NoRuntime_RuntimeCommandsOnlyValidate()
    {
        var f = new InterpreterFixture(withRuntime: false);
        f.Ok("dial");
        f.Ok("open ipcp");
        f.Ok("add default HISADDR");
        f.Ok("! echo hi");
        Assert.That(f.Error("add default nowhere"), Does.StartWith("add: \"nowhere\""));
    }

    [Test]
    public void Execute_ErrorFromFile_PrefixedWithFileAndLine()
    {
        var f = new InterpreterFixture();
        var result = f.Interpreter.Execute("set mru 99", CommandOrigin.File("/etc/ppp/ppp.conf", 12), f.Output);
        Assert.That(result.Error, Is.EqualTo("/etc/ppp/ppp.conf:12: set mru: 99 is out of range (296 to 16384)"));
    }

    [Test]
    public void Execute_UnterminatedQuote_Error()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error("set authname \"abc"), Is.EqualTo("unterminated quote (\")"));
    }

    [Test]
    public void Execute_BlankOrComment_Succeeds()
    {
        var f = new InterpreterFixture();
        f.Ok("");
        f.Ok("   # nothing");
        Assert.That(f.Runtime!.Calls, Is.Empty);
    }

    [Test]
    public void Execute_SettingsCommand_TellsRuntime()
    {
        var f = new InterpreterFixture();
        f.Ok("set timeout 60");
        f.Ok("enable echo");
        f.Ok("show lcp");
        Assert.That(f.Runtime!.SettingsChangedCount, Is.EqualTo(2));
    }

    [Test]
    public void Execute_FailedSettingsCommand_DoesNotTellRuntime()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Run("set timeout x").Success, Is.False);
        Assert.That(f.Runtime!.SettingsChangedCount, Is.Zero);
    }

    [Test]
    public void Execute_SetAuthkey_MaskedInLogsAndNeverPrinted()
    {
        var f = new InterpreterFixture();
        f.Ok("set authname alice");
        f.Ok("set authkey \"s3cr3t pass\"");
        f.Ok("set key s3cr3t");
        f.Ok("set authk s3cr3t");
        f.Ok("show bundle");
        f.Ok("show link");
        Assert.That(f.Run("set authkey s3cr3t extra").Success, Is.False);
        var logs = string.Join('\n', f.Logs.Text);
        Assert.That(logs, Does.Contain("set authkey ********"));
        Assert.That(logs, Does.Not.Contain("s3cr3t"));
        Assert.That(f.Output.ToString(), Does.Not.Contain("s3cr3t"));
        Assert.That(f.Output.ToString(), Does.Contain("********"));
        Assert.That(f.Settings.ToString(), Does.Not.Contain("s3cr3t"));
        Assert.That(f.Settings.AuthKey, Is.EqualTo("s3cr3t"));
    }

    [Test]
    public void Execute_MistypedCommandWithSecret_DoesNotLogArguments()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Run("set authkeyy s3cr3t").Success, Is.False);
        Assert.That(string.Join('\n', f.Logs.Text), Does.Not.Contain("s3cr3t"));
    }

    [Test]
    public void Execute_Command_LoggedUnderCommandCategory()
    {
        var f = new InterpreterFixture();
        f.Ok("set mru 1492");
        Assert.That(f.Logs.Lines.Select(l => (l.Category, l.Text.Split(" | ")[0])),
            Does.Contain(("Command", "prompt: set mru 1492")));
    }

    [Test]
    public void Help_NoArgument_ListsTopLevelCommands()
    {
        var f = new InterpreterFixture();
        f.Ok("help");
        string text = f.Output.ToString();
        Assert.That(text, Does.Contain("quit|bye [all]"));
        Assert.That(text, Does.Contain("dial|call"));
        Assert.That(text, Does.Contain("nat"));
    }

    [Test]
    public void Help_Command_PrintsUsage()
    {
        var f = new InterpreterFixture();
        f.Ok("help set mru");
        Assert.That(f.Output.ToString(), Does.StartWith("usage: set mru [max[imum]] [value]"));
    }

    [TestCase("set ?")]
    [TestCase("set help")]
    [TestCase("help set")]
    public void Help_SetTable_ListsVariables(string line)
    {
        var f = new InterpreterFixture();
        f.Ok(line);
        Assert.That(f.Output.ToString(), Does.Contain("authkey|key value"));
        Assert.That(f.Output.ToString(), Does.Contain("ifaddr"));
    }

    [Test]
    public void Help_QuestionMark_SameAsHelp()
    {
        var a = new InterpreterFixture();
        var b = new InterpreterFixture();
        a.Ok("help");
        b.Ok("?");
        Assert.That(b.Output.ToString(), Is.EqualTo(a.Output.ToString()));
    }

    [Test]
    public void Help_Unknown_Error()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error("help frob"), Is.EqualTo("unknown command: frob"));
    }

    [Test]
    public void Shell_SubstitutesWordsBeforeRunning()
    {
        var f = new InterpreterFixture();
        f.Runtime!.Words["HISADDR"] = "10.0.0.2";
        f.Runtime.Words["INTERFACE"] = "ppp0";
        f.Ok("! ping -c1 HISADDR");
        f.Ok("bg /bin/echo INTERFACE:HISADDR");
        f.Ok("!bg true");
        Assert.That(f.Runtime.Calls, Is.EqualTo(new[]
        {
            "RunProgram(ping -c1 10.0.0.2, False)",
            "RunProgram(/bin/echo ppp0:10.0.0.2, True)",
            "RunProgram(true, True)",
        }));
    }

    [Test]
    public void Shell_NoCommand_Error()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error("shell"), Does.StartWith("shell: missing command"));
    }

    [Test]
    public void Resolv_Mode_SetsSettingsAndActionCallsHook()
    {
        var actions = new List<ResolvAction>();
        var settings = new BundleSettings();
        var interpreter = new CommandInterpreter(settings, new FakeBundleRuntime(), new Support.CapturingLoggerFactory(),
            new CommandInterpreterOptions { Resolv = a => { actions.Add(a); return CommandOutcome.Ok; } });
        Assert.That(interpreter.Execute("resolv readonly", CommandOrigin.Prompt, TextWriter.Null).Success, Is.True);
        Assert.That(settings.ResolvMode, Is.EqualTo(ResolvMode.ReadOnly));
        Assert.That(interpreter.Execute("resolv rewrite", CommandOrigin.Prompt, TextWriter.Null).Success, Is.True);
        Assert.That(interpreter.Execute("resolv rest", CommandOrigin.Prompt, TextWriter.Null).Success, Is.True);
        Assert.That(actions, Is.EqualTo(new[] { ResolvAction.Rewrite, ResolvAction.Restore }));
        Assert.That(interpreter.Execute("resolv bogus", CommandOrigin.Prompt, TextWriter.Null).Error, Is.EqualTo("unknown command: resolv bogus"));
    }

    [Test]
    public void Load_LabelsFromConfig_RunsDefaultThenLabels()
    {
        var f = new InterpreterFixture(files: new()
        {
            ["/etc/ppp/ppp.conf"] = "default:\n set mru 1400\nfoo:\n set mru 1300\n set timeout 5\nbar:\n set timeout 7\n",
        });
        var errors = f.Interpreter.LoadSystem(["foo"], f.Output);
        Assert.That(errors, Is.Empty);
        Assert.That(f.Settings.Mru, Is.EqualTo(1300));
        Assert.That(f.Settings.Label, Is.EqualTo("foo"));
        Assert.That(f.Settings.LoadedLabels, Is.EqualTo(new[] { "default", "foo" }));
        f.Ok("load bar");
        Assert.That(f.Settings.IdleTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(f.Settings.Label, Is.EqualTo("bar"));
    }

    [Test]
    public void Load_UnknownLabel_Error()
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = "default:\n set mru 1400\n" });
        var errors = f.Interpreter.LoadSystem(["foo"], f.Output);
        Assert.That(errors, Is.EqualTo(new[] { "ppp: label \"foo\" not found in /etc/ppp/ppp.conf" }));
    }

    [Test]
    public void Load_EveryBadLine_ReportedWithFileAndLine()
    {
        var f = new InterpreterFixture(files: new()
        {
            ["/etc/ppp/ppp.conf"] = "default:\n set mru 10\n\nfoo:\n bogus\n set timeout 5\nbad line\n set speed fast\n",
        });
        var errors = f.Interpreter.LoadSystem(["foo"], f.Output);
        Assert.That(errors, Is.EqualTo(new[]
        {
            "/etc/ppp/ppp.conf:7: \"bad\": not a label (labels end with ':'; commands must be indented with a space or a tab)",
            "/etc/ppp/ppp.conf:2: set mru: 10 is out of range (296 to 16384)",
            "/etc/ppp/ppp.conf:5: unknown command: bogus",
            "/etc/ppp/ppp.conf:8: set speed: \"fast\" is not a tty speed (50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000) or sync",
        }));
        Assert.That(f.Settings.IdleTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Load_LabelLoadingItself_StopsWithError()
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = "loop:\n load loop\n" });
        var errors = f.Interpreter.LoadSystem(["loop"], f.Output);
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("more than 8 deep"));
    }

    [Test]
    public void Load_MissingConfig_ErrorNamingThePathEvenForDefault()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Interpreter.LoadSystem([], f.Output), Is.EqualTo(new[] { "/etc/ppp/ppp.conf: cannot be read" }));
        Assert.That(f.Interpreter.LoadSystem(["x"], f.Output), Is.EqualTo(new[] { "/etc/ppp/ppp.conf: cannot be read" }));
    }

    [Test]
    public void Load_FileWithoutDefault_NoError()
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = "isp:\n set mru 1400\n" });
        Assert.That(f.Interpreter.LoadSystem([], f.Output), Is.Empty);
    }

    [Test]
    public void Load_UnknownLabelFromAFileLine_CarriesThatLine()
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = "default:\n set mru 1400\nfoo:\n set timeout 5\n load nosuch\n" });
        var errors = f.Interpreter.LoadSystem(["foo"], f.Output);
        Assert.That(errors, Is.EqualTo(new[] { "/etc/ppp/ppp.conf:5: load: label \"nosuch\" not found in /etc/ppp/ppp.conf" }));
    }

    [Test]
    public void Load_TooDeep_CarriesTheLoadLine()
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = "loop:\n set mru 1400\n load loop\n" });
        var errors = f.Interpreter.LoadSystem(["loop"], f.Output);
        Assert.That(errors, Is.EqualTo(new[] { "/etc/ppp/ppp.conf:3: load loop: labels load each other more than 8 deep" }));
    }

    [Test]
    public void Load_UnknownLabelFromPrompt_NoLocation()
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = "default:\n set mru 1400\n" });
        Assert.That(f.Interpreter.Execute("load nosuch", CommandOrigin.Prompt, f.Output).Error,
            Is.EqualTo("ppp: label \"nosuch\" not found in /etc/ppp/ppp.conf"));
    }

    [TestCase("isp", "ISP:\n set mru 1400\n", "(labels are case-sensitive: did you mean ISP?)")]
    [TestCase("default", "Default:\n set mru 1400\n", "(labels are case-sensitive: did you mean Default?)")]
    public void Load_LabelDifferingOnlyByCase_Hints(string asked, string conf, string hint)
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = conf });
        var errors = f.Interpreter.LoadSystem(asked == "default" ? [] : [asked], f.Output);
        Assert.That(errors, Is.EqualTo(new[] { $"ppp: label \"{asked}\" not found in /etc/ppp/ppp.conf {hint}" }));
    }

    [Test]
    public void Load_CapitalDefaultAskedFor_NoHint()
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = "Default:\n set mru 1400\n" });
        Assert.That(f.Interpreter.LoadSystem(["Default"], f.Output), Is.Empty);
    }

    [Test]
    public void Dial_WithLabel_LoadsThenDials()
    {
        var f = new InterpreterFixture(files: new() { ["/etc/ppp/ppp.conf"] = "isp:\n set timeout 9\n" });
        f.Ok("dial isp");
        Assert.That(f.Settings.IdleTimeout, Is.EqualTo(TimeSpan.FromSeconds(9)));
        Assert.That(f.Runtime!.Calls, Is.EqualTo(new[] { "Dial()" }));
    }

    [TestCase(LinkPhase.Dead, null, "ppp ON host> ")]
    [TestCase(LinkPhase.Establish, null, "ppp ON host> ")]
    [TestCase(LinkPhase.Authenticate, null, "Ppp ON host> ")]
    [TestCase(LinkPhase.Network, null, "PPp ON host> ")]
    [TestCase(LinkPhase.Network, FsmState.Opened, "PPP ON host> ")]
    [TestCase(LinkPhase.Terminate, null, "ppp ON host> ")]
    public void Prompt_Phase_CaseShowsProgress(LinkPhase phase, FsmState? ipcp, string expected)
    {
        var f = new InterpreterFixture();
        f.Runtime!.Phase = phase;
        f.Runtime.Status = f.Runtime.Status with { Phase = phase, IpcpState = ipcp ?? FsmState.RequestSent };
        Assert.That(f.Interpreter.Prompt("host"), Is.EqualTo(expected));
    }

    [Test]
    public void Prompt_NoRuntime_Lowercase()
    {
        var f = new InterpreterFixture(withRuntime: false);
        Assert.That(f.Interpreter.Prompt("awfulhak"), Is.EqualTo("ppp ON awfulhak> "));
    }

    [Test]
    public void Execute_RandomLines_NeverThrow()
    {
        var random = new Random(1234);
        string[] pieces =
        [
            "set", "show", "add", "delete", "iface", "enable", "deny", "!", "\"", "\\", "#", "mru", "log", "+lcp", "-all",
            "0", "999999999999", "-1", "10.0.0.1/33", "::1/129", "default", "HISADDR", "ALL", "ifaddr", "a-b,c", "max",
            "redial", "1+2-3.4", "random", "phone", "|", ":", "device", "!cmd", "host:0/tcp", "[::1]:1", "help", "?",
            "add!", "iface add!", "cd", "5!", "escape", "0xfff", "accmap", "ffffffffff", "load", "dial", "resolv", "x",
        ];
        for (int i = 0; i < 5000; i++)
        {
            var f = new InterpreterFixture(withRuntime: i % 2 == 0);
            int count = random.Next(0, 6);
            string line = string.Join(random.Next(3) == 0 ? "" : " ", Enumerable.Range(0, count).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.DoesNotThrow(() => f.Interpreter.Execute(line, CommandOrigin.Prompt, TextWriter.Null), line);
        }
    }

    [Test]
    public void LogLevelsChanged_SetLog_Raised()
    {
        var f = new InterpreterFixture();
        int raised = 0;
        f.Interpreter.LogLevelsChanged += (_, _) => raised++;
        f.Ok("set log local +command");
        Assert.That(raised, Is.EqualTo(1));
        Assert.That(f.Interpreter.LocalLogLevels, Does.Contain("Command"));
    }
}
