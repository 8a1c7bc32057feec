using System.Text;
using NUnit.Framework;
using Ppp.Core.Protocols.Auth;

namespace Ppp.Core.Tests.Protocols.Auth;

/// <summary>
/// RFC 2759 §9.2 sample data, every intermediate value. The values were taken from the RFC and
/// PasswordHash, PasswordHashHash, Challenge and the first NT-Response block were re-derived
/// with `openssl dgst -md4/-sha1` and `openssl enc -des-ecb` when the tests were written.
/// </summary>
public class MsChapV2CryptoTests
{
    private const string UserName = "User";
    private const string Password = "clientPass";
    private static readonly byte[] AuthenticatorChallenge = Convert.FromHexString("5B5D7C7D7B3F2F3E3C2C602132262628");
    private static readonly byte[] PeerChallenge = Convert.FromHexString("21402324255E262A28295F2B3A337C7E");
    private const string Challenge = "D02E4386BCE91226";
    private const string PasswordHash = "44EBBA8D5312B8D611474411F56989AE";
    private const string NtResponse = "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
    private const string PasswordHashHash = "41C00C584BD2D91C4017A2A12FA59F3F";
    private const string AuthenticatorResponse = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

    private static byte[] User => Encoding.ASCII.GetBytes(UserName);

    [Test]
    public void NtPasswordHash_Rfc2759Sample_MatchesPasswordHash()
    {
        byte[] hash = new byte[16];

        MsChapV2Crypto.NtPasswordHash(Password, hash);

        Assert.That(Convert.ToHexString(hash), Is.EqualTo(PasswordHash));
    }

    [Test]
    public void NtPasswordHash_HashesUtf16LittleEndian_SameAsMd4OfUnicodeBytes()
    {
        byte[] hash = new byte[16];

        MsChapV2Crypto.NtPasswordHash("pässwörd€", hash);

        Assert.That(hash, Is.EqualTo(Md4.HashData(Encoding.Unicode.GetBytes("pässwörd€"))));
    }

    [Test]
    public void HashNtPasswordHash_Rfc2759Sample_MatchesPasswordHashHash()
    {
        byte[] hashHash = new byte[16];

        MsChapV2Crypto.HashNtPasswordHash(Convert.FromHexString(PasswordHash), hashHash);

        Assert.That(Convert.ToHexString(hashHash), Is.EqualTo(PasswordHashHash));
    }

    [Test]
    public void ChallengeHash_Rfc2759Sample_MatchesChallenge()
    {
        byte[] challenge = new byte[8];

        MsChapV2Crypto.ChallengeHash(PeerChallenge, AuthenticatorChallenge, User, challenge);

        Assert.That(Convert.ToHexString(challenge), Is.EqualTo(Challenge));
    }

    [Test]
    public void ChallengeHash_DomainPrefixedName_HashesOnlyTheUserName()
    {
        byte[] challenge = new byte[8];

        MsChapV2Crypto.ChallengeHash(PeerChallenge, AuthenticatorChallenge, Encoding.ASCII.GetBytes(@"CORP\User"), challenge);

        Assert.That(Convert.ToHexString(challenge), Is.EqualTo(Challenge));
    }

    [Test]
    public void ChallengeResponse_Rfc2759Sample_MatchesNtResponse()
    {
        byte[] response = new byte[24];

        MsChapV2Crypto.ChallengeResponse(Convert.FromHexString(Challenge), Convert.FromHexString(PasswordHash), response);

        Assert.That(Convert.ToHexString(response), Is.EqualTo(NtResponse));
    }

    [Test]
    public void GenerateNtResponse_Rfc2759Sample_MatchesNtResponse()
    {
        byte[] response = new byte[24];

        MsChapV2Crypto.GenerateNtResponse(AuthenticatorChallenge, PeerChallenge, User, Password, response);

        Assert.That(Convert.ToHexString(response), Is.EqualTo(NtResponse));
    }

    [Test]
    public void GenerateAuthenticatorResponse_Rfc2759Sample_MatchesAuthenticatorResponse()
    {
        byte[] response = new byte[20];

        MsChapV2Crypto.GenerateAuthenticatorResponse(Password, Convert.FromHexString(NtResponse), PeerChallenge, AuthenticatorChallenge, User, response);

        Assert.That(MsChapV2Crypto.FormatAuthenticatorResponse(response), Is.EqualTo(AuthenticatorResponse));
        Assert.That(AuthenticatorResponse, Has.Length.EqualTo(MsChapV2Crypto.AuthenticatorResponseTextLength));
    }

    [TestCase(AuthenticatorResponse, true)]
    [TestCase("S=407a5589115fd0d6209f510fe9c04566932cda56", true)]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA57", false)]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA5", false)]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDA566", false)]
    [TestCase("s=407A5589115FD0D6209F510FE9C04566932CDA56", false)]
    [TestCase("S=407A5589115FD0D6209F510FE9C04566932CDAZZ", false)]
    [TestCase("", false)]
    public void CheckAuthenticatorResponse_Received_AcceptsOnlyTheRightValue(string received, bool expected)
    {
        bool ok = MsChapV2Crypto.CheckAuthenticatorResponse(
            Password, Convert.FromHexString(NtResponse), PeerChallenge, AuthenticatorChallenge, User, received);

        Assert.That(ok, Is.EqualTo(expected));
    }

    [Test]
    public void CheckAuthenticatorResponse_WrongPassword_Rejects()
    {
        bool ok = MsChapV2Crypto.CheckAuthenticatorResponse(
            "clientPasS", Convert.FromHexString(NtResponse), PeerChallenge, AuthenticatorChallenge, User, AuthenticatorResponse);

        Assert.That(ok, Is.False);
    }

    [Test]
    public void ChallengeResponse_HashEndingInTwoZeroOctets_ThirdKeyIsWeakAndStillEncrypts()
    {
        // One password in 65536 has an NT hash ending in 00 00, which makes the third DES key the
        // all-zero weak key that System DES refuses. Find one and check the third block against
        // DES(0101010101010101, Challenge) from openssl (see DesBlockTests).
        byte[] hash = new byte[16];
        string? password = null;
        for (int i = 0; i < 2_000_000 && password is null; i++)
        {
            string candidate = "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            MsChapV2Crypto.NtPasswordHash(candidate, hash);
            if (hash[14] == 0 && hash[15] == 0)
                password = candidate;
        }
        Assert.That(password, Is.Not.Null);
        byte[] response = new byte[24];

        MsChapV2Crypto.ChallengeResponse(Convert.FromHexString(Challenge), hash, response);

        Assert.That(Convert.ToHexString(response[16..]), Is.EqualTo("651B607991F4DB3F"));
    }
}
