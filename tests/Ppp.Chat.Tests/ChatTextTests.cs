using System.Text;
using NUnit.Framework;

namespace Ppp.Chat.Tests;

[TestFixture]
public sealed class ChatTextTests
{
    private static readonly ChatContext Context = new() { PhoneNumber = "5551234", AuthName = "alice", AuthKey = "k3y" };

    private static ChatText Parse(string word)
    {
        var text = ChatText.Parse(word, out string? error);
        Assert.That(error, Is.Null);
        return text!;
    }

    private static string Bytes(string word) => Encoding.Latin1.GetString(Parse(word).ExpandFlat(Context).Bytes);

    [TestCase("ATZ", "ATZ")]
    [TestCase(@"a\nb", "a\nb")]
    [TestCase(@"a\rb", "a\rb")]
    [TestCase(@"NO\sCARRIER", "NO CARRIER")]
    [TestCase(@"a\tb", "a\tb")]
    [TestCase(@"a\bb", "a\bb")]
    [TestCase(@"a\Nb", "a\0b")]
    [TestCase(@"a\\b", @"a\b")]
    [TestCase(@"say\""hi\""", "say\"hi\"")]
    [TestCase(@"a\-b", "a-b")]
    [TestCase(@"ATDT\T", "ATDT5551234")]
    [TestCase(@"\U", "alice")]
    [TestCase(@"\P", "k3y")]
    [TestCase(@"\101\7\0", "A\a\0")]
    [TestCase(@"\1011", "A1")]
    [TestCase("^C^m", "\u0003\r")]
    [TestCase("x^", "x^")]
    [TestCase(@"\^C", "^C")]
    [TestCase("!!bang", "!bang")]
    [TestCase("", "")]
    public void Parse_Escape_ExpandsToBytes(string word, string expected) => Assert.That(Bytes(word), Is.EqualTo(expected));

    [Test]
    public void Parse_Utf8Text_EncodedAsUtf8() => Assert.That(Parse("café").ExpandFlat(Context).Bytes, Is.EqualTo(Encoding.UTF8.GetBytes("café")));

    [Test]
    public void Parse_BackslashC_NoReturnAndNoBytes()
    {
        var text = Parse(@"ATDT\c");
        Assert.That((text.NoReturn, Bytes(@"ATDT\c")), Is.EqualTo((true, "ATDT")));
        Assert.That(Parse("ATDT").NoReturn, Is.False);
    }

    [Test]
    public void Parse_DelayAndPause_SplitTheSendWhereTheyStand()
    {
        var segments = Parse(@"AT\dDT\pX").Expand(Context);
        Assert.That(segments.Select(s => (Encoding.ASCII.GetString(s.Bytes), s.Pause)), Is.EqualTo(new[]
        {
            ("AT", TimeSpan.Zero), ("", TimeSpan.FromSeconds(2)), ("DT", TimeSpan.Zero), ("", TimeSpan.FromMilliseconds(250)), ("X", TimeSpan.Zero),
        }));
        Assert.That(Parse(@"\d\pOK").ExpandFlat(Context).Pause, Is.EqualTo(TimeSpan.FromMilliseconds(2250)));
    }

    [TestCase(@"AT\", "\"AT\\\" ends with a lone backslash (write \\\\ for a backslash)")]
    [TestCase(@"\777", "\"\\777\": octal escape \\777 is more than one byte (\\377)")]
    public void Parse_Bad_Error(string word, string error)
    {
        Assert.That(ChatText.Parse(word, out string? message), Is.Null);
        Assert.That(message, Is.EqualTo(error));
    }

    [Test]
    public void Parse_Bang_IsCommandWithEscapesRead()
    {
        var text = Parse(@"!sh \-c ""echo\sx""");
        Assert.That(text.IsCommand, Is.True);
        Assert.That(text.NoReturn, Is.True);
        Assert.That(Bytes(@"!sh \-c ""echo\sx"""), Is.EqualTo("sh -c \"echo x\""));
    }

    [TestCase(@"ATDT\T", "ATDT5551234")]
    [TestCase(@"pass\P", @"pass\P")]
    [TestCase(@"a\qb", "********")]
    [TestCase(@"OK\r\n", "OK^M^J")]
    [TestCase("xk3yx", "x********x")]
    public void Display_Forms_NeverShowTheKey(string word, string shown) => Assert.That(Parse(word).Display(Context), Is.EqualTo(shown));
}
