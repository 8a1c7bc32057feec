using System.Text;
using NUnit.Framework;

namespace Ppp.Chat.Tests;

[TestFixture]
public sealed class MatchWindowTests
{
    [Test]
    public void EndsWith_AfterManyBytes_StillSeesPatternsAndStaysSmall()
    {
        var window = new MatchWindow();
        window.Reset(10);
        byte[] noise = Encoding.ASCII.GetBytes(new string('x', 100_000));
        foreach (byte b in noise)
            window.Append(b);
        foreach (byte b in "NO CARRIER"u8)
            window.Append(b);
        Assert.That(window.EndsWith("NO CARRIER"u8), Is.True);
        Assert.That(window.EndsWith("CARRIER"u8), Is.True);
        Assert.That(window.Capacity, Is.EqualTo(64));
    }

    [Test]
    public void EndsWith_PatternSpanningTheShift_Found()
    {
        var window = new MatchWindow();
        window.Reset(40);
        for (int start = 0; start < 100; start++)
        {
            window.Reset(40);
            for (int i = 0; i < start; i++)
                window.Append((byte)'-');
            foreach (byte b in Encoding.ASCII.GetBytes(new string('A', 39) + "B"))
                window.Append(b);
            Assert.That(window.EndsWith(Encoding.ASCII.GetBytes(new string('A', 39) + "B")), Is.True, $"after {start} bytes");
        }
        Assert.That(window.Capacity, Is.EqualTo(80));
    }

    [Test]
    public void EndsWith_EmptyOrAfterReset_False()
    {
        var window = new MatchWindow();
        window.Reset(2);
        window.Append((byte)'O');
        window.Append((byte)'K');
        Assert.That(window.EndsWith([]), Is.False);
        window.Reset(2);
        Assert.That(window.EndsWith("OK"u8), Is.False);
    }
}
