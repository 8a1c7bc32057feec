using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using Ppp.Core.Protocols.Auth;

namespace Ppp.Core.Tests.Protocols.Auth;

#pragma warning disable CA5351 // MD5 is what RFC 1994 specifies.
public class ChapMd5Tests
{
    // Expected values computed independently with Python:
    //   hashlib.md5(bytes([identifier]) + secret.encode() + challenge).hexdigest().upper()
    [TestCase((byte)0x01, "secret", "000102030405060708090A0B0C0D0E0F", "740E86463BDA3A4D7017D6E0FBA0699D")]
    [TestCase((byte)0xff, "clientPass", "5B5D7C7D7B3F2F3E3C2C602132262628", "4B3D8AE6A47607E39571AD10C917D102")]
    [TestCase((byte)0x2a, "pässwörd", "101112131415161718191A1B1C1D1E1F2021222324252627", "825205861D8E22EECE04B99C9FEC6C46")]
    [TestCase((byte)0x00, "", "00", "C4103F122D27677C9DB144CAE1394A66")]
    public void ComputeResponse_KnownAnswers_MatchPythonHashlib(byte identifier, string secret, string challengeHex, string expectedHex)
    {
        byte[] response = new byte[16];

        ChapMd5.ComputeResponse(identifier, secret, Convert.FromHexString(challengeHex), response);

        Assert.That(Convert.ToHexString(response), Is.EqualTo(expectedHex));
    }

    [Test]
    public void ComputeResponse_Rfc1994Section4_1_IsMd5OfIdentifierSecretChallenge()
    {
        byte[] challenge = RandomNumberGenerator.GetBytes(20);
        byte[] response = new byte[16];

        ChapMd5.ComputeResponse(7, "s3cr3t", challenge, response);

        byte[] concatenated = [7, .. Encoding.UTF8.GetBytes("s3cr3t"), .. challenge];
        Assert.That(response, Is.EqualTo(MD5.HashData(concatenated)));
    }

    [Test]
    public void Verify_IdentifierIsPartOfTheHash_OtherIdentifierFails()
    {
        byte[] challenge = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
        byte[] response = Convert.FromHexString("740E86463BDA3A4D7017D6E0FBA0699D");

        Assert.That(ChapMd5.Verify(1, "secret", challenge, response), Is.True);
        Assert.That(ChapMd5.Verify(2, "secret", challenge, response), Is.False);
        Assert.That(ChapMd5.Verify(1, "Secret", challenge, response), Is.False);
        Assert.That(ChapMd5.Verify(1, "secret", challenge, response.AsSpan(0, 15)), Is.False);
    }
}
