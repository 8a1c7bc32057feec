using System.Security.Cryptography;
using System.Text;

namespace Ppp.Core.Protocols.Auth;

/// <summary>Compares a received password with a stored secret without leaking where they differ.</summary>
internal static class SecretComparer
{
    /// <summary>
    /// Both sides are hashed first so that the comparison also takes the same time whatever the
    /// lengths; <see cref="CryptographicOperations.FixedTimeEquals"/> compares the digests.
    /// </summary>
    public static bool PasswordMatches(string secret, ReadOnlySpan<byte> received)
    {
        ArgumentNullException.ThrowIfNull(secret);
        byte[] secretBytes = Encoding.UTF8.GetBytes(secret);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        try
        {
            SHA256.HashData(secretBytes, expected);
            SHA256.HashData(received, actual);
            return CryptographicOperations.FixedTimeEquals(expected, actual);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretBytes);
            CryptographicOperations.ZeroMemory(expected);
            CryptographicOperations.ZeroMemory(actual);
        }
    }
}
