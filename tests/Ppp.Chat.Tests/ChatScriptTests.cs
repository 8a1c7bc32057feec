using NUnit.Framework;

namespace Ppp.Chat.Tests;

[TestFixture]
public sealed class ChatScriptTests
{
    private static ChatScript Parse(string text)
    {
        Assert.That(ChatScript.TryParse(text, out var script, out string? error), Is.True, error);
        return script!;
    }

    private static string Error(string text)
    {
        Assert.That(ChatScript.TryParse(text, out _, out string? error), Is.False);
        return error!;
    }

    /// <summary>A compact picture of the steps: E(a|s|b) for an expect chain, S(x) a send, and keywords by name.</summary>
    private static string Shape(ChatScript script) => string.Join(' ', script.Steps.Select(step => step switch
    {
        ExpectStep e => "E(" + string.Join('|', e.Expects.Zip(e.SubSends.Append(null), (x, s) => s is null ? x.Source : x.Source + "|" + s.Source)) + ")",
        SendStep s => $"S({s.Text.Source})",
        AbortStep a => $"ABORT({a.Text.Source})",
        ClearAbortStep a => $"CLR_ABORT({a.Text.Source})",
        ReportStep r => $"REPORT({r.Text.Source})",
        ClearReportStep r => $"CLR_REPORT({r.Text.Source})",
        TimeoutStep t => $"TIMEOUT({t.Seconds})",
        SayStep s => $"SAY({s.Text.Source})",
        HangupStep h => $"HANGUP({h.On})",
        EchoStep e => $"ECHO({e.On})",
        _ => "?",
    }));

    [TestCase("", "")]
    [TestCase("   ", "")]
    [TestCase(@""""" AT OK ATDT\T CONNECT", @"E() S(AT) E(OK) S(ATDT\T) E(CONNECT)")]
    [TestCase(@"ABORT BUSY ABORT NO\sCARRIER TIMEOUT 5 """" AT", @"ABORT(BUSY) ABORT(NO\sCARRIER) TIMEOUT(5) E() S(AT)")]
    [TestCase("ogin:--ogin: ppp", "E(ogin:||ogin:) S(ppp)")]
    [TestCase("OK-AT-OK ATDT", "E(OK|AT|OK) S(ATDT)")]
    [TestCase(@"login:-\r-login: name", @"E(login:|\r|login:) S(name)")]
    [TestCase("a-b-c-d-e x", "E(a|b|c|d|e) S(x)")]
    [TestCase(@"AT\-X-AT-OK y", @"E(AT\-X|AT|OK) S(y)")]
    [TestCase(@""""" AT OK ABORT BUSY ATDT", "E() S(AT) E(OK) ABORT(BUSY) S(ATDT)")]
    [TestCase(@"""a b"" c""d e""f", "E(a b) S(cd ef)")]
    [TestCase("'NO CARRIER' x", "E(NO CARRIER) S(x)")]
    [TestCase(@"""it's"" x", "E(it's) S(x)")]
    [TestCase(@"AT+CGDCONT=1,\""IP\"" OK", @"E(AT+CGDCONT=1,\""IP\"") S(OK)")]
    [TestCase("REPORT CONNECT CLR_REPORT CONNECT CLR_ABORT BUSY SAY hi", "REPORT(CONNECT) CLR_REPORT(CONNECT) CLR_ABORT(BUSY) SAY(hi)")]
    [TestCase("HANGUP OFF ECHO on x", "HANGUP(False) ECHO(True) E(x)")]
    [TestCase("a\tb\nc", "E(a) S(b) E(c)")]
    [TestCase(@"""!chat -v -f /etc/chatscripts/x""", "E(!chat -v -f /etc/chatscripts/x)")]
    public void TryParse_Script_Steps(string text, string shape) => Assert.That(Shape(Parse(text)), Is.EqualTo(shape));

    [TestCase("# generated\n'' ATZ\n  # indented comment\nOK ATDT*99#", "E() S(ATZ) E(OK) S(ATDT*99#)")]
    [TestCase("'' ATDT*99#", "E() S(ATDT*99#)")]
    public void TryParseFile_CommentLines_Dropped(string text, string shape)
    {
        Assert.That(ChatScript.TryParseFile(text, out var script, out string? error), Is.True, error);
        Assert.That(Shape(script!), Is.EqualTo(shape));
    }

    [Test]
    public void TryParse_Null_Empty() => Assert.That(ChatScript.TryParse(null, out var script, out _) && script.Steps.Count == 0, Is.True);

    [Test]
    public void TryParse_OddDashes_LiteralWithWarning()
    {
        var script = Parse("CONNECT-OK x");
        Assert.That(Shape(script), Is.EqualTo("E(CONNECT-OK) S(x)"));
        Assert.That(script.Warnings, Is.EqualTo(new[] { "\"CONNECT-OK\": uneven number of '-' characters, all taken literally" }));
    }

    [TestCase("TIMEOUT 0 x")]
    [TestCase("TIMEOUT -3 x")]
    public void TryParse_TimeoutNotPositive_DefaultWithWarning(string text)
    {
        var script = Parse(text);
        Assert.That(Shape(script), Is.EqualTo("TIMEOUT(30) E(x)"));
        Assert.That(script.Warnings, Has.Count.EqualTo(1));
    }

    [TestCase(@"ABORT BUSY """" ATZ ""OK", "unterminated quote (\") in the chat script")]
    [TestCase("'NO CARRIER x", "unterminated quote (') in the chat script")]
    [TestCase(@"""""  AT OK ABORT", "ABORT at the end of the script has no argument")]
    [TestCase("TIMEOUT", "TIMEOUT at the end of the script has no argument")]
    [TestCase("TIMEOUT 5s OK", "TIMEOUT \"5s\" is not a number of seconds")]
    [TestCase("TIMEOUT five OK", "TIMEOUT \"five\" is not a number of seconds")]
    [TestCase("HANGUP maybe", "HANGUP \"maybe\" is not ON or OFF")]
    [TestCase("ECHO 1", "ECHO \"1\" is not ON or OFF")]
    [TestCase(@"ABORT """" x", "ABORT needs a non-empty string")]
    [TestCase(@"REPORT \d x", "REPORT needs a non-empty string")]
    [TestCase("ABORT !cmd x", "ABORT \"!cmd\": a !command is allowed only as an expect or send string")]
    [TestCase(@"OK ATZ\", "chat string \"ATZ\\\" ends with a lone backslash (write \\\\ for a backslash)")]
    [TestCase(@"OK-\400-OK", "chat string \"\\400\": octal escape \\400 is more than one byte (\\377)")]
    public void TryParse_Malformed_ClearError(string text, string error) => Assert.That(Error(text), Is.EqualTo(error));
}
