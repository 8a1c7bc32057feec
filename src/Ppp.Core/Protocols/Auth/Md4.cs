using System.Buffers.Binary;
using System.Numerics;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// MD4 message digest (RFC 1320), needed only for MS-CHAPv2's NtPasswordHash (RFC 2759 §8.3):
/// .NET ships no MD4. MD4 is broken as a general-purpose hash; do not use it for anything else.
/// </summary>
internal static class Md4
{
    public const int HashSizeInBytes = 16;
    private const int BlockSize = 64;

    /// <summary>Hashes <paramref name="source"/> into the first 16 octets of <paramref name="destination"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashSizeInBytes);

        // RFC 1320 §3.3: the four-word buffer starts at these values (written low-order octet first in the RFC).
        Span<uint> state = [0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u];

        int whole = source.Length - (source.Length % BlockSize);
        for (int offset = 0; offset < whole; offset += BlockSize)
            Compress(state, source.Slice(offset, BlockSize));

        // RFC 1320 §3.1-3.2: a single 1 bit, zeros up to 56 mod 64, then the bit length as a
        // 64-bit little-endian number. The tail fits in one or two blocks.
        Span<byte> tail = stackalloc byte[2 * BlockSize];
        tail.Clear();
        ReadOnlySpan<byte> rest = source[whole..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        int tailLength = rest.Length + 1 + 8 <= BlockSize ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[(tailLength - 8)..], (ulong)source.Length * 8);
        for (int offset = 0; offset < tailLength; offset += BlockSize)
            Compress(state, tail.Slice(offset, BlockSize));

        for (int i = 0; i < 4; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(destination[(4 * i)..], state[i]);
    }

    public static byte[] HashData(ReadOnlySpan<byte> source)
    {
        var hash = new byte[HashSizeInBytes];
        HashData(source, hash);
        return hash;
    }

    // RFC 1320 §3.4: three rounds of sixteen operations each over the block's sixteen words.
    private static void Compress(Span<uint> state, ReadOnlySpan<byte> block)
    {
        Span<uint> x = stackalloc uint[16];
        for (int i = 0; i < 16; i++)
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * i)..]);

        uint a = state[0], b = state[1], c = state[2], d = state[3];

        ReadOnlySpan<int> shifts1 = [3, 7, 11, 19];
        for (int i = 0; i < 16; i++)
        {
            uint f = (b & c) | (~b & d);
            (a, b, c, d) = (d, BitOperations.RotateLeft(a + f + x[i], shifts1[i % 4]), b, c);
        }

        ReadOnlySpan<int> order2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
        ReadOnlySpan<int> shifts2 = [3, 5, 9, 13];
        for (int i = 0; i < 16; i++)
        {
            uint g = (b & c) | (b & d) | (c & d);
            (a, b, c, d) = (d, BitOperations.RotateLeft(a + g + x[order2[i]] + 0x5a827999u, shifts2[i % 4]), b, c);
        }

        ReadOnlySpan<int> order3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
        ReadOnlySpan<int> shifts3 = [3, 9, 11, 15];
        for (int i = 0; i < 16; i++)
        {
            uint h = b ^ c ^ d;
            (a, b, c, d) = (d, BitOperations.RotateLeft(a + h + x[order3[i]] + 0x6ed9eba1u, shifts3[i % 4]), b, c);
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        x.Clear();
    }
}
