using System.Security.Cryptography;
using System.Text;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// CHAP with MD5 (RFC 1994 §4.1, algorithm 5): Response Value = MD5(Identifier || secret || Challenge Value).
/// The secret is taken as UTF-8 octets, as pppd and ppp(8) read it from their secrets files.
/// </summary>
internal static class ChapMd5
{
    public const int ResponseSize = 16;

    public static void ComputeResponse(byte identifier, string secret, ReadOnlySpan<byte> challenge, Span<byte> response)
    {
        ArgumentNullException.ThrowIfNull(secret);
        byte[] secretBytes = Encoding.UTF8.GetBytes(secret);
        try
        {
            ComputeResponse(identifier, secretBytes, challenge, response);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretBytes);
        }
    }

    public static void ComputeResponse(byte identifier, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge, Span<byte> response)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData([identifier]);
        md5.AppendData(secret);
        md5.AppendData(challenge);
        md5.GetHashAndReset(response);
    }

    /// <summary>Checks a received response value against the secret, in constant time.</summary>
    public static bool Verify(byte identifier, string secret, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> received)
    {
        if (received.Length != ResponseSize)
            return false;
        Span<byte> expected = stackalloc byte[ResponseSize];
        ComputeResponse(identifier, secret, challenge, expected);
        bool equal = CryptographicOperations.FixedTimeEquals(expected, received);
        CryptographicOperations.ZeroMemory(expected);
        return equal;
    }
}
