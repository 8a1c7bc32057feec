using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// Single-block DES encryption as MS-CHAPv2 uses it (RFC 2759 §8.5-8.6): a 56-bit key given as
/// seven octets, one 8-octet block, ECB, no padding.
/// </summary>
/// <remarks>
/// .NET's <see cref="DES"/> refuses weak and semi-weak keys, but MS-CHAPv2 cannot avoid them:
/// the third key is the last two octets of the NT hash followed by zeros, so one password in
/// 65536 yields the all-zero (weak) key. Such keys go through <see cref="EncryptReference"/>, a
/// plain FIPS 46-3 implementation that the tests check against <see cref="DES"/> on random keys.
/// </remarks>
internal static class DesBlock
{
    public const int BlockSize = 8;
    public const int KeySize7 = 7;

    /// <summary>Encrypts one block with a 7-octet key (parity bits are inserted, RFC 2759 §8.6).</summary>
    // DES is what RFC 2759 specifies; this is protocol compatibility, not a choice of cipher.
#pragma warning disable CA5351
    public static void Encrypt(ReadOnlySpan<byte> key7, ReadOnlySpan<byte> clear, Span<byte> cypher)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(key7.Length, KeySize7);
        ArgumentOutOfRangeException.ThrowIfNotEqual(clear.Length, BlockSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(cypher.Length, BlockSize);

        var key8 = new byte[BlockSize];
        ExpandKey(key7, key8);
        try
        {
            if (DES.IsWeakKey(key8) || DES.IsSemiWeakKey(key8))
            {
                EncryptReference(key8, clear, cypher);
                return;
            }
            using var des = DES.Create();
            des.Key = key8;
            des.EncryptEcb(clear, cypher, PaddingMode.None);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key8);
        }
    }
#pragma warning restore CA5351

    /// <summary>
    /// Spreads 56 key bits over eight octets, seven bits each in the high bits, and sets the low
    /// bit of each octet for odd parity (DES ignores it, but some implementations check it).
    /// </summary>
    public static void ExpandKey(ReadOnlySpan<byte> key7, Span<byte> key8)
    {
        ulong bits = 0;
        for (int i = 0; i < KeySize7; i++)
            bits = (bits << 8) | key7[i];
        for (int i = 0; i < BlockSize; i++)
        {
            int seven = (int)(bits >> (49 - (7 * i))) & 0x7f;
            int octet = seven << 1;
            if ((System.Numerics.BitOperations.PopCount((uint)seven) & 1) == 0)
                octet |= 1;
            key8[i] = (byte)octet;
        }
    }

    // FIPS 46-3 tables. Entries are 1-based bit positions counted from the most significant bit.
    private static ReadOnlySpan<byte> InitialPermutation =>
    [
        58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
        62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
        57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
        61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
    ];

    private static ReadOnlySpan<byte> FinalPermutation =>
    [
        40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31,
        38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29,
        36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27,
        34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25,
    ];

    private static ReadOnlySpan<byte> Expansion =>
    [
        32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17,
        16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
    ];

    private static ReadOnlySpan<byte> RoundPermutation =>
    [
        16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
        2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
    ];

    private static ReadOnlySpan<byte> PermutedChoice1 =>
    [
        57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
        10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
        63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
        14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
    ];

    private static ReadOnlySpan<byte> PermutedChoice2 =>
    [
        14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
        41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
    ];

    private static ReadOnlySpan<byte> KeyShifts => [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

    // Eight S-boxes, four rows of sixteen each.
    private static ReadOnlySpan<byte> SBoxes =>
    [
        14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
        0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
        4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
        15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,

        15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
        3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
        0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
        13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,

        10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
        13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
        13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
        1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,

        7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
        13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
        10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
        3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,

        2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
        14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
        4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
        11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,

        12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
        10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
        9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
        4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,

        4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
        13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
        1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
        6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,

        13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
        1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
        7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
        2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
    ];

    /// <summary>
    /// FIPS 46-3 DES on one block with an 8-octet key, any key accepted. Bit-at-a-time and
    /// slow; it only runs for the rare weak keys <see cref="DES"/> refuses.
    /// </summary>
    internal static void EncryptReference(ReadOnlySpan<byte> key8, ReadOnlySpan<byte> clear, Span<byte> cypher)
    {
        ulong key = BinaryPrimitives.ReadUInt64BigEndian(key8);
        ulong cd = Permute(key, 64, PermutedChoice1);
        uint c = (uint)(cd >> 28) & 0x0fffffff;
        uint d = (uint)cd & 0x0fffffff;

        ulong block = Permute(BinaryPrimitives.ReadUInt64BigEndian(clear), 64, InitialPermutation);
        uint left = (uint)(block >> 32);
        uint right = (uint)block;

        for (int round = 0; round < 16; round++)
        {
            int shift = KeyShifts[round];
            c = ((c << shift) | (c >> (28 - shift))) & 0x0fffffff;
            d = ((d << shift) | (d >> (28 - shift))) & 0x0fffffff;
            ulong subkey = Permute(((ulong)c << 28) | d, 56, PermutedChoice2);

            ulong mixed = Permute(right, 32, Expansion) ^ subkey;
            uint substituted = 0;
            for (int box = 0; box < 8; box++)
            {
                int six = (int)(mixed >> (42 - (6 * box))) & 0x3f;
                int row = ((six >> 4) & 2) | (six & 1);
                int column = (six >> 1) & 0xf;
                substituted = (substituted << 4) | SBoxes[(box * 64) + (row * 16) + column];
            }
            uint f = (uint)Permute(substituted, 32, RoundPermutation);
            (left, right) = (right, left ^ f);
        }

        ulong preOutput = ((ulong)right << 32) | left;
        BinaryPrimitives.WriteUInt64BigEndian(cypher, Permute(preOutput, 64, FinalPermutation));
    }

    private static ulong Permute(ulong input, int inputBits, ReadOnlySpan<byte> table)
    {
        ulong output = 0;
        foreach (byte position in table)
            output = (output << 1) | ((input >> (inputBits - position)) & 1);
        return output;
    }
}
