using System.Security.Cryptography;
using System.Text;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// The MS-CHAPv2 computations of RFC 2759 §8, named as the RFC names them so each can be checked
/// against the §9.2 sample data. Intermediate values are password-equivalent: callers zero them.
/// </summary>
internal static class MsChapV2Crypto
{
    public const int ChallengeSize = 16;
    public const int NtResponseSize = 24;
    public const int PasswordHashSize = 16;
    public const int AuthenticatorResponseSize = 20;

    /// <summary>"S=" and 40 upper-case hex digits.</summary>
    public const int AuthenticatorResponseTextLength = 42;

    // RFC 2759 §8.7 Magic1 (39 octets) and Magic2 (41 octets).
    private static ReadOnlySpan<byte> Magic1 => "Magic server to client signing constant"u8;
    private static ReadOnlySpan<byte> Magic2 => "Pad to make it do more than one iteration"u8;

    /// <summary>RFC 2759 §8.1 GenerateNTResponse.</summary>
    public static void GenerateNtResponse(
        ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> peerChallenge,
        ReadOnlySpan<byte> userName, string password, Span<byte> response)
    {
        Span<byte> challenge = stackalloc byte[8];
        Span<byte> passwordHash = stackalloc byte[PasswordHashSize];
        ChallengeHash(peerChallenge, authenticatorChallenge, userName, challenge);
        NtPasswordHash(password, passwordHash);
        ChallengeResponse(challenge, passwordHash, response);
        CryptographicOperations.ZeroMemory(passwordHash);
    }

    /// <summary>
    /// RFC 2759 §8.2 ChallengeHash: the first 8 octets of SHA1(PeerChallenge || AuthenticatorChallenge || UserName).
    /// Only the user name without any "DOMAIN\" prefix is hashed (see <see cref="StripDomain"/>).
    /// </summary>
    public static void ChallengeHash(
        ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge,
        ReadOnlySpan<byte> userName, Span<byte> challenge)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(peerChallenge.Length, ChallengeSize);
        ArgumentOutOfRangeException.ThrowIfNotEqual(authenticatorChallenge.Length, ChallengeSize);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(peerChallenge);
        sha.AppendData(authenticatorChallenge);
        sha.AppendData(StripDomain(userName));
        Span<byte> digest = stackalloc byte[20];
        sha.GetHashAndReset(digest);
        digest[..8].CopyTo(challenge);
    }

    /// <summary>RFC 2759 §8.2: a name sent as "DOMAIN\user" is hashed as "user".</summary>
    public static ReadOnlySpan<byte> StripDomain(ReadOnlySpan<byte> userName)
    {
        int slash = userName.LastIndexOf((byte)'\\');
        return slash < 0 ? userName : userName[(slash + 1)..];
    }

    /// <summary>RFC 2759 §8.3 NtPasswordHash: MD4 of the password in UTF-16 little-endian.</summary>
    public static void NtPasswordHash(string password, Span<byte> passwordHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] unicode = Encoding.Unicode.GetBytes(password);
        try
        {
            Md4.HashData(unicode, passwordHash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(unicode);
        }
    }

    /// <summary>RFC 2759 §8.4 HashNtPasswordHash: MD4 of the 16-octet hash.</summary>
    public static void HashNtPasswordHash(ReadOnlySpan<byte> passwordHash, Span<byte> passwordHashHash) =>
        Md4.HashData(passwordHash, passwordHashHash);

    /// <summary>
    /// RFC 2759 §8.5 ChallengeResponse: the hash padded with zeros to 21 octets gives three DES
    /// keys of 7 octets; each encrypts the 8-octet challenge.
    /// </summary>
    public static void ChallengeResponse(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> passwordHash, Span<byte> response)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(challenge.Length, 8);
        ArgumentOutOfRangeException.ThrowIfNotEqual(passwordHash.Length, PasswordHashSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(response.Length, NtResponseSize);
        Span<byte> keys = stackalloc byte[21];
        keys.Clear();
        passwordHash.CopyTo(keys);
        for (int i = 0; i < 3; i++)
            DesBlock.Encrypt(keys.Slice(7 * i, 7), challenge, response.Slice(8 * i, 8));
        CryptographicOperations.ZeroMemory(keys);
    }

    /// <summary>RFC 2759 §8.7 GenerateAuthenticatorResponse: the 20 octets behind "S=".</summary>
    public static void GenerateAuthenticatorResponse(
        string password, ReadOnlySpan<byte> ntResponse, ReadOnlySpan<byte> peerChallenge,
        ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> userName, Span<byte> authenticatorResponse)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(ntResponse.Length, NtResponseSize);
        Span<byte> passwordHash = stackalloc byte[PasswordHashSize];
        Span<byte> passwordHashHash = stackalloc byte[PasswordHashSize];
        Span<byte> digest = stackalloc byte[20];
        Span<byte> challenge = stackalloc byte[8];
        NtPasswordHash(password, passwordHash);
        HashNtPasswordHash(passwordHash, passwordHashHash);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(passwordHashHash);
        sha.AppendData(ntResponse);
        sha.AppendData(Magic1);
        sha.GetHashAndReset(digest);

        ChallengeHash(peerChallenge, authenticatorChallenge, userName, challenge);
        sha.AppendData(digest);
        sha.AppendData(challenge);
        sha.AppendData(Magic2);
        sha.GetHashAndReset(authenticatorResponse);

        CryptographicOperations.ZeroMemory(passwordHash);
        CryptographicOperations.ZeroMemory(passwordHashHash);
    }

    /// <summary>"S=" followed by the response in upper-case hex, as carried in a Success message.</summary>
    public static string FormatAuthenticatorResponse(ReadOnlySpan<byte> authenticatorResponse) =>
        "S=" + Convert.ToHexString(authenticatorResponse);

    /// <summary>
    /// RFC 2759 §8.8 CheckAuthenticatorResponse: recomputes the expected response and compares it
    /// with <paramref name="received"/> (the text "S=" + 40 hex digits) in constant time.
    /// Hex case is not significant.
    /// </summary>
    public static bool CheckAuthenticatorResponse(
        string password, ReadOnlySpan<byte> ntResponse, ReadOnlySpan<byte> peerChallenge,
        ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> userName, ReadOnlySpan<char> received)
    {
        Span<byte> receivedBytes = stackalloc byte[AuthenticatorResponseSize];
        if (!TryParseAuthenticatorResponse(received, receivedBytes))
            return false;
        Span<byte> expected = stackalloc byte[AuthenticatorResponseSize];
        GenerateAuthenticatorResponse(password, ntResponse, peerChallenge, authenticatorChallenge, userName, expected);
        return CryptographicOperations.FixedTimeEquals(expected, receivedBytes);
    }

    /// <summary>Parses "S=" + 40 hex digits into 20 octets.</summary>
    public static bool TryParseAuthenticatorResponse(ReadOnlySpan<char> text, Span<byte> response)
    {
        if (text.Length != AuthenticatorResponseTextLength || text[0] != 'S' || text[1] != '=')
            return false;
        return Convert.FromHexString(text[2..], response, out _, out int written) == System.Buffers.OperationStatus.Done
            && written == AuthenticatorResponseSize;
    }
}
