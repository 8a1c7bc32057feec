using NUnit.Framework;
using Ppp.Core.Config;

namespace Ppp.Core.Tests.Config;

[TestFixture]
public sealed class CommandLineTests
{
    [TestCase("set  mru\t1500", new[] { "set", "mru", "1500" })]
    [TestCase("set authname \"my name\"", new[] { "set", "authname", "my name" })]
    [TestCase("set dial \"\"", new[] { "set", "dial", "" })]
    [TestCase("a\"b c\"d", new[] { "ab cd" })]
    [TestCase("say \"a \\\"q\\\" b\"", new[] { "say", "a \"q\" b" })]
    [TestCase("x \\\\T \\d", new[] { "x", "\\T", "\\d" })]
    [TestCase("set mru 1500 # comment", new[] { "set", "mru", "1500" })]
    [TestCase("set phone 123#4", new[] { "set", "phone", "123#4" })]
    [TestCase("set authkey \"a#b\"", new[] { "set", "authkey", "a#b" })]
    [TestCase("# all comment", new string[0])]
    [TestCase("", new string[0])]
    public void Split_Line_Words(string line, string[] expected)
    {
        var (words, error) = CommandLine.Split(line);
        Assert.That(error, Is.Null);
        Assert.That(words, Is.EqualTo(expected));
    }

    [Test]
    public void Split_UnterminatedQuote_Error() =>
        Assert.That(CommandLine.Split("set dial \"ATZ").Error, Is.EqualTo("unterminated quote (\")"));

    [TestCase("plain")]
    [TestCase("")]
    [TestCase("two words")]
    [TestCase("q\"uote")]
    [TestCase("back\\slash")]
    [TestCase("#hash")]
    public void Quote_RoundTrips(string word) =>
        Assert.That(CommandLine.Split(CommandLine.Quote(word)).Words, Is.EqualTo(new[] { word }));
}
