using System.Text;
using NUnit.Framework;
using Ppp.Chat.Tests.Support;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Tests.Support;

namespace Ppp.Chat.Tests;

/// <summary>
/// Realistic scripts written in ppp.conf, read by the real command interpreter (which strips one
/// level of backslashes), parsed by <see cref="ChatScript"/> and run against a scripted modem:
/// the double-escaping rule of ppp(8) proven end to end.
/// </summary>
public sealed partial class ChatRunnerTests
{
    private const string ConfPath = "/etc/ppp/ppp.conf";

    private const string PppConf = """
        # FreeBSD ppp.conf.sample style
        sample:
         set phone "1234567|2345678:3456789"
         set dial "ABORT BUSY ABORT NO\\sCARRIER TIMEOUT 5 \"\" AT OK-AT-OK ATE1Q0 OK \\dATDT\\T TIMEOUT 40 CONNECT"
         set login "TIMEOUT 5 \"\" \"\" ogin:--ogin: ppp word: ppp"

        # ppp(8)'s own example, split over lines, with the password from set authkey
        manpage:
         set phone 5551234
         set authname awfulhak
         set authkey MySecret
         set dial "ABORT BUSY ABORT NO\\sCARRIER TIMEOUT 4 \"\" \
            ATZ OK-ATZ-OK ATDT\\T TIMEOUT 60 CONNECT"
         set login "TIMEOUT 15 login:-\\r-login: \\U \
            word: \\P ocol: PPP HELLO"

        # a cellular vendor's chat file pasted in: single quotes, eight ABORTs, CONNECT \d\c
        vendor:
         set phone "*99***1#"
         set dial "ABORT 'BUSY' ABORT 'NO CARRIER' ABORT 'VOICE' ABORT 'NO DIALTONE' \
            ABORT 'NO DIAL TONE' ABORT 'NO ANSWER' ABORT 'DELAYED' ABORT 'ERROR' TIMEOUT 30 \
            '' ATZ OK ATE0 OK 'AT+CGDCONT=1,\"IP\",\"internet\"' OK ATDT\\T CONNECT \\d\\c"

        # conf/ppp.conf's cellular label: quotes inside a word need \\\" in ppp.conf
        cellular:
         set phone "*99#"
         set dial "ABORT BUSY ABORT NO\\sCARRIER TIMEOUT 10 \
            \"\" AT OK-AT-OK ATZ OK AT+CGDCONT=1,\\\"IP\\\",\\\"internet\\\" \
            OK \\dATD\\T TIMEOUT 40 CONNECT"

        # chat(8)'s extras through ppp.conf
        report:
         set phone 42
         set dial "REPORT CONNECT SAY \"dialling \\T\\n\" ABORT BUSY \"\" ATZ OK ATD\\T CONNECT"
        """;

    private static BundleSettings Load(string label)
    {
        var settings = new BundleSettings();
        var interpreter = new CommandInterpreter(settings, null, new CapturingLoggerFactory(),
            new CommandInterpreterOptions { ConfigPath = ConfPath, ReadFile = p => p == ConfPath ? PppConf : null });
        Assert.That(interpreter.LoadSystem([label], TextWriter.Null), Is.Empty);
        return settings;
    }

    private static ChatScript Script(string? text)
    {
        Assert.That(ChatScript.TryParse(text, out var script, out string? error), Is.True, error);
        Assert.That(script!.Warnings, Is.Empty);
        return script;
    }

    private static ChatContext Context(BundleSettings settings, PhoneSchedule phones) =>
        new() { PhoneNumber = phones.Next(), AuthName = settings.AuthName ?? "", AuthKey = settings.AuthKey ?? "" };

    private static ChatResult Run(ChatHarness h, ChatScript script, ChatContext context) =>
        h.Finish(h.Runner.RunAsync(script, context, h.Input.Reader, h.Output.Writer));

    [Test]
    public void PppConf_SampleBusyThenBackupNumber_ConnectsAndLogsIn()
    {
        var settings = Load("sample");
        var phones = new PhoneSchedule(settings.PhoneNumbers);
        var dial = Script(settings.DialScript);

        var first = new ChatHarness().On(c => c == "AT", n => n == 1 ? null : "\r\nOK\r\n").On("ATE1Q0", "ATE1Q0\r\r\nOK\r\n").On("ATDT1234567", "\r\nBUSY\r\n");
        var busy = Run(first, dial, Context(settings, phones));
        Assert.That((busy.Outcome, busy.Detail, busy.ExitCode), Is.EqualTo((ChatOutcome.Aborted, "BUSY", 4)));
        Assert.That(first.Commands, Is.EqualTo(new[]
        {
            ("AT", TimeSpan.Zero), ("AT", TimeSpan.FromSeconds(5)), ("ATE1Q0", TimeSpan.FromSeconds(5)), ("ATDT1234567", TimeSpan.FromSeconds(7)),
        }));

        var second = new ChatHarness().On("AT", "OK\r\n").On("ATE1Q0", "OK\r\n").On("ATDT2345678", "\r\nCONNECT 33600\r\n")
            .On("", "\r\nlogin: ").On(c => c == "ppp", n => n == 1 ? "ppp\r\nPassword:" : "\r\n~\xff\x7d\x23\xc0\x21");
        Assert.That(Run(second, dial, Context(settings, phones)).Succeeded, Is.True);
        phones.Connected();
        Assert.That(Run(second, Script(settings.LoginScript), new ChatContext()).Succeeded, Is.True);
        Assert.That(second.Sent.ToString(), Is.EqualTo("AT\rATE1Q0\rATDT2345678\r\rppp\rppp\r"));
        Assert.That(second.Leftover(), Is.EqualTo("\r\n~\xff\x7d\x23\xc0\x21"));
        Assert.That(phones.Next(), Is.EqualTo("3456789"));
    }

    [Test]
    public void PppConf_ManPageLogin_SubSendReturnAndPasswordNeverLogged()
    {
        var settings = Load("manpage");
        var phones = new PhoneSchedule(settings.PhoneNumbers);
        var h = new ChatHarness().On("ATZ", "OK\r\n").On("ATDT5551234", "CONNECT\r\n")
            .On(c => c.Length == 0, n => n == 2 ? "\r\nlogin: " : null).On("awfulhak", "Password:").On("MySecret", "\r\nProtocol: ").On("PPP", "HELLO");
        var context = Context(settings, phones);
        Assert.That(Run(h, Script(settings.DialScript), context).Succeeded, Is.True);
        var login = Run(h, Script(settings.LoginScript), context);
        Assert.That(login.Succeeded, Is.True);
        Assert.That(h.Commands.Select(c => (c.Command, c.At.TotalSeconds)), Is.EqualTo(new[]
        {
            ("ATZ", 0.0), ("ATDT5551234", 0), ("", 15), ("", 15), ("awfulhak", 15), ("MySecret", 15), ("PPP", 15),
        }).AsCollection, "login: timed out once, then \\r and the carriage return: two empty lines");
        Assert.That(h.Logs.Text, Has.None.Contains("MySecret"));
        Assert.That(h.ChatLog, Does.Contain(@"Chat: Send: \P"));
    }

    [TestCase("\r\nCONNECT 150000000\r\n", "Success", 0)]
    [TestCase("\r\nNO CARRIER\r\n", "Aborted", 5)]
    [TestCase("\r\nNO DIAL TONE\r\n", "Aborted", 8)]
    [TestCase("\r\nERROR\r\n", "Aborted", 11)]
    [TestCase("", "Timeout", 3)]
    public void PppConf_VendorScript_OutcomeAndChatExitCode(string reply, string outcome, int exitCode)
    {
        var settings = Load("vendor");
        var h = new ChatHarness().On("ATZ", "OK\r\n").On("ATE0", "OK\r\n").On("AT+CGDCONT=1,\"IP\",\"internet\"", "OK\r\n").On("ATDT*99***1#", reply);
        var result = Run(h, Script(settings.DialScript), Context(settings, new PhoneSchedule(settings.PhoneNumbers)));
        Assert.That((result.Outcome, result.ExitCode), Is.EqualTo((Enum.Parse<ChatOutcome>(outcome), exitCode)));
        Assert.That(h.Sent.ToString(), Is.EqualTo("ATZ\rATE0\rAT+CGDCONT=1,\"IP\",\"internet\"\rATDT*99***1#\r"));
        if (result.Succeeded)
            Assert.That(h.Elapsed, Is.EqualTo(TimeSpan.FromSeconds(2)), "CONNECT \\d\\c: two seconds, nothing sent");
    }

    [Test]
    public void PppConf_CellularSample_QuotesReachTheModem()
    {
        var settings = Load("cellular");
        var h = new ChatHarness().On("AT", "OK\r\n").On("ATZ", "OK\r\n").On("AT+CGDCONT=1,\"IP\",\"internet\"", "OK\r\n").On("ATD*99#", "CONNECT\r\n~");
        Assert.That(Run(h, Script(settings.DialScript), Context(settings, new PhoneSchedule(settings.PhoneNumbers))).Succeeded, Is.True);
        Assert.That(h.Sent.ToString(), Is.EqualTo("AT\rATZ\rAT+CGDCONT=1,\"IP\",\"internet\"\rATD*99#\r"));
        Assert.That(h.Leftover(), Is.EqualTo("\r\n~"));
    }

    [Test]
    public void PppConf_ReportAndSay_ChatExtras()
    {
        var settings = Load("report");
        var said = new StringBuilder();
        var h = new ChatHarness().On("ATZ", "OK\r\n").On("ATD42", "CONNECT 9600/ARQ\r\n");
        var context = new ChatContext { PhoneNumber = new PhoneSchedule(settings.PhoneNumbers).Next(), Display = s => said.Append(s) };
        var result = Run(h, Script(settings.DialScript), context);
        Assert.That((result.Succeeded, result.Reports.Single()), Is.EqualTo((true, "CONNECT 9600/ARQ")));
        Assert.That(said.ToString(), Is.EqualTo("dialling 42\n"));
    }
}
