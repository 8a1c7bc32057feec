using System.Security.Cryptography;
using NUnit.Framework;
using Ppp.Core.Protocols.Auth;

namespace Ppp.Core.Tests.Protocols.Auth;

#pragma warning disable CA5351 // DES is what MS-CHAPv2 specifies.
public class DesBlockTests
{
    [Test]
    public void EncryptReference_RandomKeysAndBlocks_MatchesSystemDes()
    {
        var random = new Random(1994);
        byte[] key = new byte[8], clear = new byte[8], mine = new byte[8];
        int compared = 0;
        for (int i = 0; i < 500; i++)
        {
            random.NextBytes(key);
            random.NextBytes(clear);
            if (DES.IsWeakKey(key) || DES.IsSemiWeakKey(key))
                continue;
            using var des = DES.Create();
            des.Key = key;
            byte[] expected = des.EncryptEcb(clear, PaddingMode.None);

            DesBlock.EncryptReference(key, clear, mine);

            Assert.That(mine, Is.EqualTo(expected), $"key {Convert.ToHexString(key)} block {Convert.ToHexString(clear)}");
            compared++;
        }
        Assert.That(compared, Is.GreaterThan(490));
    }

    // The weak key whose 56 key bits are all zero, which System DES refuses. Expected values from
    // `openssl enc -des-ecb -K 0101010101010101 -nopad -provider legacy`; the first is also the
    // classic DES known answer for this key.
    [TestCase("0000000000000000", "8CA64DE9C1B123A7")]
    [TestCase("D02E4386BCE91226", "651B607991F4DB3F")]
    public void Encrypt_AllZeroKey_UsesReferenceAndMatchesOpenSsl(string clearHex, string expectedHex)
    {
        byte[] cypher = new byte[8];

        DesBlock.Encrypt(new byte[7], Convert.FromHexString(clearHex), cypher);

        Assert.That(Convert.ToHexString(cypher), Is.EqualTo(expectedHex));
    }

    [TestCase("00000000000000", "0101010101010101")]
    [TestCase("FFFFFFFFFFFFFF", "FEFEFEFEFEFEFEFE")]
    // RFC 2759 §9.2: the first 7 octets of PasswordHash 44EBBA8D5312B8D6... spread with parity.
    [TestCase("44EBBA8D5312B8", "4575EF51D5984A70")]
    public void ExpandKey_SevenOctets_SpreadsBitsWithOddParity(string key7Hex, string key8Hex)
    {
        byte[] key8 = new byte[8];

        DesBlock.ExpandKey(Convert.FromHexString(key7Hex), key8);

        Assert.That(Convert.ToHexString(key8), Is.EqualTo(key8Hex));
        Assert.That(key8.All(b => System.Numerics.BitOperations.PopCount(b) % 2 == 1), Is.True);
    }
}
