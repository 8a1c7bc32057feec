using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Ppp.Core.Framing;

/// <summary>
/// The 16-bit frame check sequence of RFC 1662 §3.1 and Appendix C.1 (CCITT CRC-16, reflected
/// polynomial x^16 + x^12 + x^5 + 1 = 0x8408, initial value 0xffff, transmitted complemented,
/// least significant octet first).
/// </summary>
/// <remarks>
/// <code>
///   sender:   fcs = ~Update(0xffff, address..information)   -> octets fcs &amp; 0xff, fcs >> 8
///   receiver: Update(0xffff, address..information, fcs)    == 0xf0b8 (the good residue)
/// </code>
/// <see cref="Update"/> picks the fastest path available: carry-less multiply folding for long
/// inputs where the CPU has PCLMULQDQ, slicing-by-8 tables otherwise, one table per octet for
/// short tails. All paths give identical results; the internal entry points exist so tests
/// can hold each one against the plain table.
/// </remarks>
public static class Fcs16
{
    /// <summary>Initial FCS value (RFC 1662 Appendix C.1 PPPINITFCS16).</summary>
    public const ushort Initial = 0xffff;

    /// <summary>Value <see cref="Update"/> leaves after a frame that includes its own correct FCS.</summary>
    public const ushort GoodResidue = 0xf0b8;

    private const ushort ReflectedPolynomial = 0x8408;

    // Slice k holds the CRC of octet b followed by k zero octets; slice 0 is the classic table.
    private static readonly ushort[] s_slices = BuildSlices();
    private static readonly CrcFolding s_folding = new(16, ReflectedPolynomial);

    /// <summary>Continues an FCS computation over <paramref name="data"/>.</summary>
    public static ushort Update(ushort fcs, ReadOnlySpan<byte> data)
    {
        if (data.Length >= CrcFolding.MinimumLength && CrcFolding.IsSupported)
        {
            return UpdateFolded(fcs, data);
        }

        return UpdateSliced(fcs, data);
    }

    /// <summary>
    /// The FCS field for <paramref name="data"/> as transmitted: the complement of the running
    /// value. Sent least significant octet first.
    /// </summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => (ushort)~Update(Initial, data);

    /// <summary>One table lookup per octet: the reference every faster path is tested against.</summary>
    internal static ushort UpdateTable(ushort fcs, ReadOnlySpan<byte> data)
    {
        ushort[] table = s_slices;
        foreach (byte b in data)
        {
            fcs = (ushort)((fcs >> 8) ^ table[(byte)(fcs ^ b)]);
        }

        return fcs;
    }

    /// <summary>Eight octets per step through eight tables, then single octets.</summary>
    internal static ushort UpdateSliced(ushort fcs, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<ushort> t = s_slices;
        while (data.Length >= 8)
        {
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(data) ^ fcs;
            fcs = (ushort)(
                t[(7 * 256) + (int)(v & 0xff)] ^
                t[(6 * 256) + (int)((v >> 8) & 0xff)] ^
                t[(5 * 256) + (int)((v >> 16) & 0xff)] ^
                t[(4 * 256) + (int)((v >> 24) & 0xff)] ^
                t[(3 * 256) + (int)((v >> 32) & 0xff)] ^
                t[(2 * 256) + (int)((v >> 40) & 0xff)] ^
                t[256 + (int)((v >> 48) & 0xff)] ^
                t[(int)(v >> 56)]);
            data = data[8..];
        }

        return UpdateTable(fcs, data);
    }

    /// <summary>Carry-less multiply folding; requires <see cref="CrcFolding.IsSupported"/> and 64 octets.</summary>
    internal static ushort UpdateFolded(ushort fcs, ReadOnlySpan<byte> data)
    {
        int consumed = s_folding.Fold(data, fcs, out Vector128<byte> remainder);
        Span<byte> block = stackalloc byte[16];
        remainder.CopyTo(block);
        ushort r = UpdateSliced(0, block);
        return UpdateSliced(r, data[consumed..]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ushort[] BuildSlices()
    {
        var t = new ushort[8 * 256];
        for (int b = 0; b < 256; b++)
        {
            uint v = (uint)b;
            for (int bit = 0; bit < 8; bit++)
            {
                v = (v & 1) != 0 ? (v >> 1) ^ ReflectedPolynomial : v >> 1;
            }

            t[b] = (ushort)v;
        }

        for (int k = 1; k < 8; k++)
        {
            for (int b = 0; b < 256; b++)
            {
                ushort prev = t[((k - 1) * 256) + b];
                t[(k * 256) + b] = (ushort)((prev >> 8) ^ t[prev & 0xff]);
            }
        }

        return t;
    }
}
