using System.Text;
using NUnit.Framework;
using Ppp.ModemSim.At;

namespace Ppp.ModemSim.Tests.At;

[TestFixture]
public sealed class EscapeDetectorTests
{
    private const long Guard = 1000;
    private static readonly byte[] s_plus = "+"u8.ToArray();

    [Test]
    public void Escaped_PauseThreePlusesPause_IsAnEscape()
    {
        var detector = new EscapeDetector(0);
        detector.Feed(Encoding.ASCII.GetBytes("data"), 100, (byte)'+', Guard);

        detector.Feed(s_plus, 1200, (byte)'+', Guard);
        detector.Feed(s_plus, 1300, (byte)'+', Guard);
        detector.Feed(s_plus, 1400, (byte)'+', Guard);

        Assert.Multiple(() =>
        {
            Assert.That(detector.Escaped(2300, Guard), Is.False, "before the trailing guard time");
            Assert.That(detector.Escaped(2400, Guard), Is.True);
            Assert.That(detector.Escaped(2500, Guard), Is.False, "re-armed");
        });
    }

    [Test]
    public void Escaped_PlusesRightAfterData_IsNoEscape()
    {
        var detector = new EscapeDetector(0);
        detector.Feed(Encoding.ASCII.GetBytes("x+++"), 5000, (byte)'+', Guard);

        Assert.That(detector.Escaped(9000, Guard), Is.False);
    }

    [Test]
    public void Escaped_DataAfterThePluses_IsNoEscape()
    {
        var detector = new EscapeDetector(0);
        detector.Feed("+++"u8, 2000, (byte)'+', Guard);
        detector.Feed("y"u8, 2500, (byte)'+', Guard);

        Assert.That(detector.Escaped(5000, Guard), Is.False);
    }

    [Test]
    public void Escaped_PlusesFurtherApartThanTheGuardTime_IsNoEscape()
    {
        var detector = new EscapeDetector(0);
        detector.Feed(s_plus, 2000, (byte)'+', Guard);
        detector.Feed(s_plus, 3500, (byte)'+', Guard);
        detector.Feed(s_plus, 3600, (byte)'+', Guard);

        Assert.That(detector.Escaped(9000, Guard), Is.False);
    }
}
