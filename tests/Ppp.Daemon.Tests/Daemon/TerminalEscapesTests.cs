using System.Buffers;
using System.Text;
using NUnit.Framework;
using Ppp.Daemon.Daemon;

namespace Ppp.Daemon.Tests.Daemon;

[TestFixture]
public sealed class TerminalEscapesTests
{
    [Test]
    public void Process_PlainText_AllToDeviceNoEscape()
    {
        var (sent, used, escape) = Run(new TerminalEscapes(), "ATDT123\r");

        Assert.That(sent, Is.EqualTo("ATDT123\r"));
        Assert.That(used, Is.EqualTo(8));
        Assert.That(escape, Is.EqualTo(TerminalEscape.None));
    }

    [TestCase("~.", "Leave")]
    [TestCase("~p", "PacketMode")]
    [TestCase("~t", "Timers")]
    [TestCase("~m", "Memory")]
    [TestCase("~?", "Help")]
    public void Process_EscapeAtStartOfInput_Recognised(string typed, string expected)
    {
        var (sent, used, escape) = Run(new TerminalEscapes(), typed);

        Assert.That(escape.ToString(), Is.EqualTo(expected));
        Assert.That(sent, Is.Empty);
        Assert.That(used, Is.EqualTo(2));
    }

    [TestCase("AT\r~.")]
    [TestCase("AT\n~.")]
    [TestCase("AT\r\n~.")]
    public void Process_EscapeAfterLineEnd_RecognisedAndTextBeforeSent(string typed)
    {
        var (sent, used, escape) = Run(new TerminalEscapes(), typed);

        Assert.That(escape, Is.EqualTo(TerminalEscape.Leave));
        Assert.That(sent, Is.EqualTo(typed[..^2]));
        Assert.That(used, Is.EqualTo(typed.Length));
    }

    [Test]
    public void Process_BytesAfterEscape_LeftForTheCaller()
    {
        var (sent, used, escape) = Run(new TerminalEscapes(), "AT\r~.\nshow version\n");

        Assert.That(escape, Is.EqualTo(TerminalEscape.Leave));
        Assert.That(sent, Is.EqualTo("AT\r"));
        Assert.That(used, Is.EqualTo(5));
    }

    [Test]
    public void Process_TildeMidLine_SentAsTyped()
    {
        var (sent, _, escape) = Run(new TerminalEscapes(), "cd ~.\r");

        Assert.That(escape, Is.EqualTo(TerminalEscape.None));
        Assert.That(sent, Is.EqualTo("cd ~.\r"));
    }

    [Test]
    public void Process_DoubleTildeAtLineStart_SendsOneTilde()
    {
        var (sent, _, escape) = Run(new TerminalEscapes(), "~~.\r");

        Assert.That(escape, Is.EqualTo(TerminalEscape.None));
        Assert.That(sent, Is.EqualTo("~.\r"));
    }

    [Test]
    public void Process_TildeThenOrdinaryByte_SendsBoth()
    {
        var (sent, _, escape) = Run(new TerminalEscapes(), "~x~.");

        // "~x" is no escape, and the "~." after it is mid-line.
        Assert.That(escape, Is.EqualTo(TerminalEscape.None));
        Assert.That(sent, Is.EqualTo("~x~."));
    }

    [Test]
    public void Process_TildeThenLineEnd_SendsBothAndStaysAtLineStart()
    {
        var escapes = new TerminalEscapes();
        var (sent, _, _) = Run(escapes, "~\r");
        var (_, _, escape) = Run(escapes, "~.");

        Assert.That(sent, Is.EqualTo("~\r"));
        Assert.That(escape, Is.EqualTo(TerminalEscape.Leave));
    }

    [Test]
    public void Process_EscapeSplitAcrossCalls_Recognised()
    {
        var escapes = new TerminalEscapes();
        var (firstSent, _, first) = Run(escapes, "AT\r~");
        var (secondSent, used, second) = Run(escapes, ".");

        Assert.That(first, Is.EqualTo(TerminalEscape.None));
        Assert.That(firstSent, Is.EqualTo("AT\r"));
        Assert.That(second, Is.EqualTo(TerminalEscape.Leave));
        Assert.That(secondSent, Is.Empty);
        Assert.That(used, Is.EqualTo(1));
    }

    [Test]
    public void Process_AfterLocalEscape_NextTildeIsAnEscapeToo()
    {
        var escapes = new TerminalEscapes();
        var (_, used, first) = Run(escapes, "~?~.");
        var (_, _, second) = Run(escapes, "~.");

        Assert.That(first, Is.EqualTo(TerminalEscape.Help));
        Assert.That(used, Is.EqualTo(2));
        Assert.That(second, Is.EqualTo(TerminalEscape.Leave));
    }

    [Test]
    public void Process_MidLineAcrossCalls_TildeNotAnEscape()
    {
        var escapes = new TerminalEscapes();
        Run(escapes, "AT");
        var (sent, _, escape) = Run(escapes, "~.");

        Assert.That(escape, Is.EqualTo(TerminalEscape.None));
        Assert.That(sent, Is.EqualTo("~."));
    }

    [Test]
    public void HelpText_ListsEveryEscape()
    {
        Assert.That(TerminalEscapes.HelpText, Does.Contain("~.").And.Contain("~p").And.Contain("~t").And.Contain("~m").And.Contain("~?"));
    }

    private static (string Sent, int Used, TerminalEscape Escape) Run(TerminalEscapes escapes, string typed)
    {
        var device = new ArrayBufferWriter<byte>();
        int used = escapes.Process(Encoding.ASCII.GetBytes(typed), device, out var escape);
        return (Encoding.ASCII.GetString(device.WrittenSpan), used, escape);
    }
}
