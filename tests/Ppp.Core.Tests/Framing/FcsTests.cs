using System.Text;
using NUnit.Framework;
using Ppp.Core.Framing;

namespace Ppp.Core.Tests.Framing;

[TestFixture]
public sealed class FcsTests
{
    private static readonly byte[] s_check = Encoding.ASCII.GetBytes("123456789");

    [Test]
    public void Fcs16Compute_CheckString_Is906E() => Assert.That(Fcs16.Compute(s_check), Is.EqualTo(0x906E));

    [Test]
    public void Fcs32Compute_CheckString_IsCBF43926() => Assert.That(Fcs32.Compute(s_check), Is.EqualTo(0xCBF43926u));

    [Test]
    public void Fcs16Update_DataFollowedByItsFcs_LeavesGoodResidue()
    {
        ushort fcs = Fcs16.Compute(s_check);
        byte[] frame = [.. s_check, (byte)fcs, (byte)(fcs >> 8)];
        Assert.That(Fcs16.Update(Fcs16.Initial, frame), Is.EqualTo(Fcs16.GoodResidue).And.EqualTo(0xF0B8));
    }

    [Test]
    public void Fcs32Update_DataFollowedByItsFcs_LeavesGoodResidue()
    {
        uint fcs = Fcs32.Compute(s_check);
        byte[] frame = [.. s_check, (byte)fcs, (byte)(fcs >> 8), (byte)(fcs >> 16), (byte)(fcs >> 24)];
        Assert.That(Fcs32.Update(Fcs32.Initial, frame), Is.EqualTo(Fcs32.GoodResidue).And.EqualTo(0xDEBB20E3u));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(1500)]
    public void Fcs16Update_SplitAnywhere_EqualsOneUpdate(int split)
    {
        byte[] data = RandomBytes(new Random(split), 1500);
        ushort whole = Fcs16.Update(Fcs16.Initial, data);
        ushort parts = Fcs16.Update(Fcs16.Update(Fcs16.Initial, data.AsSpan(0, split)), data.AsSpan(split));
        Assert.That(parts, Is.EqualTo(whole));
    }

    [Test]
    public void Fcs16Paths_RandomDataEveryLength0To300_MatchTable()
    {
        var random = new Random(16);
        byte[] buffer = RandomBytes(random, 300 + 64);
        for (int length = 0; length <= 300; length++)
        {
            int offset = random.Next(64);
            ushort initial = (ushort)random.Next(0x10000);
            ReadOnlySpan<byte> data = buffer.AsSpan(offset, length);
            ushort expected = Fcs16.UpdateTable(initial, data);
            Assert.That(Fcs16.UpdateSliced(initial, data), Is.EqualTo(expected), $"sliced, length {length}, offset {offset}");
            Assert.That(Fcs16.Update(initial, data), Is.EqualTo(expected), $"dispatch, length {length}, offset {offset}");
            if (CrcFoldingAvailable && length >= 64)
            {
                Assert.That(Fcs16.UpdateFolded(initial, data), Is.EqualTo(expected), $"folded, length {length}, offset {offset}");
            }
        }
    }

    [Test]
    public void Fcs32Paths_RandomDataEveryLength0To300_MatchTable()
    {
        var random = new Random(32);
        byte[] buffer = RandomBytes(random, 300 + 64);
        for (int length = 0; length <= 300; length++)
        {
            int offset = random.Next(64);
            uint initial = (uint)random.NextInt64(0x1_0000_0000);
            ReadOnlySpan<byte> data = buffer.AsSpan(offset, length);
            uint expected = Fcs32.UpdateTable(initial, data);
            Assert.That(Fcs32.UpdateSliced(initial, data), Is.EqualTo(expected), $"sliced, length {length}, offset {offset}");
            Assert.That(Fcs32.Update(initial, data), Is.EqualTo(expected), $"dispatch, length {length}, offset {offset}");
            if (CrcFoldingAvailable && length >= 64)
            {
                Assert.That(Fcs32.UpdateFolded(initial, data), Is.EqualTo(expected), $"folded, length {length}, offset {offset}");
            }
        }
    }

    [Test]
    public void CrcFolding_OnThisMachine_IsAvailable()
    {
        // Not a requirement of the code (the sliced path is the fallback), but the benchmarks and
        // the tests above assume the folded path is exercised here; say so if it is not.
        if (!CrcFoldingAvailable)
        {
            Assert.Ignore("PCLMULQDQ not available: only the portable FCS paths were tested.");
        }

        Assert.That(CrcFoldingAvailable, Is.True);
    }

    [TestCase(16, 0x1021u, 16, 0x1021u)] // x^16 mod P = P's low terms
    [TestCase(16, 0x1021u, 3, 0x8u)]
    [TestCase(32, 0x04C11DB7u, 32, 0x04C11DB7u)]
    public void CrcFoldingXPowerMod_KnownPowers_AreReduced(int width, uint normal, int power, uint expected) =>
        Assert.That(CrcFolding.XPowerMod(power, width, normal), Is.EqualTo((ulong)expected));

#pragma warning disable NUnit1027 // FsCheck generates the arguments, not NUnit attributes.
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public bool Fcs32Update_AnyBytesAnyInitial_MatchesTable(byte[] data, uint initial) =>
        Fcs32.Update(initial, data) == Fcs32.UpdateTable(initial, data);
#pragma warning restore NUnit1027

    private static bool CrcFoldingAvailable => CrcFolding.IsSupported;

    internal static byte[] RandomBytes(Random random, int length)
    {
        byte[] data = new byte[length];
        random.NextBytes(data);
        return data;
    }
}
