using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppp.Core.Framing;

/// <summary>
/// Carry-less multiply (PCLMULQDQ) folding for reflected CRCs of width 16 or 32, the method of
/// Gopal et al., "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ" (Intel, 2009).
/// </summary>
/// <remarks>
/// Bit order. A reflected CRC consumes each octet least significant bit first, so the first bit
/// on the wire is bit 0 of octet 0. We read a 16-octet block little-endian into a 128-bit
/// register and let register bit k stand for the coefficient of x^(127-k): the first bit sent
/// is the highest power, as in the CRC's polynomial division.
///
/// <code>
///   register:  | lane 0 (octets 0-7)  | lane 1 (octets 8-15) |
///   degree:    | x^127 ....... x^64   | x^63 ........ x^0    |
///   block A(x) = H(x)·x^64 + L(x)
/// </code>
///
/// Folding forward by D bits replaces A(x)·x^D with a 128-bit value congruent to it modulo P:
/// H·x^(D+64) + L·x^D ≡ H·(x^(D+64) mod P) + L·(x^D mod P), each product at most 95 bits.
/// A carry-less multiply of two lanes read in this reflected order yields x·a(x)·b(x) (the
/// 127-bit product lands one bit short of the top), so the constants are x^(D+63) mod P and
/// x^(D-1) mod P. They are computed here from the polynomial at start-up rather than written as
/// magic numbers, so the derivation is the documentation and a test checks the result.
///
/// After folding, the 16-octet remainder has the same CRC as everything folded into it; the
/// caller finishes it (and any tail shorter than a block) with its table. An initial CRC value c
/// is the same as c xor-ed into the first octets of the message, which is how it enters here.
/// </remarks>
internal sealed class CrcFolding
{
    private readonly Vector128<ulong> _by4; // D = 512: four accumulators, one 64-octet stride
    private readonly Vector128<ulong> _by3; // D = 384
    private readonly Vector128<ulong> _by2; // D = 256
    private readonly Vector128<ulong> _by1; // D = 128

    /// <param name="width">CRC width in bits (16 or 32).</param>
    /// <param name="reflectedPolynomial">Polynomial in reflected form without the x^width term (0x8408, 0xEDB88320).</param>
    public CrcFolding(int width, uint reflectedPolynomial)
    {
        uint normal = ReverseBits(reflectedPolynomial, width);
        _by4 = Constants(512, width, normal);
        _by3 = Constants(384, width, normal);
        _by2 = Constants(256, width, normal);
        _by1 = Constants(128, width, normal);
    }

    /// <summary>Smallest input worth folding; shorter inputs go to the table.</summary>
    public const int MinimumLength = 64;

    public static bool IsSupported => Pclmulqdq.IsSupported && Sse2.IsSupported;

    /// <summary>
    /// Folds the whole 16-octet blocks of <paramref name="data"/> (at least <see cref="MinimumLength"/>
    /// octets) with <paramref name="initial"/> applied, and returns the number of octets consumed
    /// and the 16-octet remainder whose plain CRC (initial value 0) continues the computation.
    /// </summary>
    public int Fold(ReadOnlySpan<byte> data, uint initial, out Vector128<byte> remainder)
    {
        if (!IsSupported || data.Length < MinimumLength)
        {
            throw new InvalidOperationException("Carry-less folding needs PCLMULQDQ and at least 64 octets.");
        }

        ref byte start = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        Vector128<ulong> x0 = Vector128.LoadUnsafe(ref start).AsUInt64() ^ Vector128.CreateScalar((ulong)initial);
        Vector128<ulong> x1 = Vector128.LoadUnsafe(ref start, 16).AsUInt64();
        Vector128<ulong> x2 = Vector128.LoadUnsafe(ref start, 32).AsUInt64();
        Vector128<ulong> x3 = Vector128.LoadUnsafe(ref start, 48).AsUInt64();
        nuint offset = 64;

        // Four independent chains hide the multiplier's latency.
        while (offset + 64 <= length)
        {
            x0 = FoldInto(x0, _by4, Vector128.LoadUnsafe(ref start, offset).AsUInt64());
            x1 = FoldInto(x1, _by4, Vector128.LoadUnsafe(ref start, offset + 16).AsUInt64());
            x2 = FoldInto(x2, _by4, Vector128.LoadUnsafe(ref start, offset + 32).AsUInt64());
            x3 = FoldInto(x3, _by4, Vector128.LoadUnsafe(ref start, offset + 48).AsUInt64());
            offset += 64;
        }

        Vector128<ulong> x = FoldInto(x0, _by3, FoldInto(x1, _by2, FoldInto(x2, _by1, x3)));
        while (offset + 16 <= length)
        {
            x = FoldInto(x, _by1, Vector128.LoadUnsafe(ref start, offset).AsUInt64());
            offset += 16;
        }

        remainder = x.AsByte();
        return (int)offset;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> FoldInto(Vector128<ulong> x, Vector128<ulong> k, Vector128<ulong> next) =>
        Pclmulqdq.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, k, 0x11) ^ next;

    // Lane 0 multiplies the high-degree half H, lane 1 the low half L (see remarks).
    private static Vector128<ulong> Constants(int distance, int width, uint normal) =>
        Vector128.Create(
            Reflect64(XPowerMod(distance + 63, width, normal)),
            Reflect64(XPowerMod(distance - 1, width, normal)));

    /// <summary>x^n mod P in normal bit order (bit d = coefficient of x^d).</summary>
    internal static ulong XPowerMod(int n, int width, uint normal)
    {
        ulong top = 1UL << width;
        ulong full = top | normal;
        ulong r = 1;
        for (int i = 0; i < n; i++)
        {
            r <<= 1;
            if ((r & top) != 0)
            {
                r ^= full;
            }
        }

        return r;
    }

    /// <summary>Places coefficient d of a degree &lt; 64 polynomial at bit 63-d, the lane order above.</summary>
    private static ulong Reflect64(ulong polynomial)
    {
        ulong k = 0;
        for (int d = 0; d < 64; d++)
        {
            if (((polynomial >> d) & 1) != 0)
            {
                k |= 1UL << (63 - d);
            }
        }

        return k;
    }

    private static uint ReverseBits(uint value, int width)
    {
        uint r = 0;
        for (int i = 0; i < width; i++)
        {
            r = (r << 1) | ((value >> i) & 1);
        }

        return r;
    }
}
