using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Ppp.Core.Framing;

/// <summary>
/// The 32-bit frame check sequence of RFC 1662 §3.1 and Appendix C.2 (the Ethernet CRC,
/// reflected polynomial 0xEDB88320, initial value 0xffffffff, transmitted complemented, least
/// significant octet first), used when LCP negotiates it (RFC 1570 FCS-Alternatives).
/// </summary>
/// <remarks>
/// <code>
///   sender:   fcs = ~Update(0xffffffff, address..information)  -> 4 octets, low first
///   receiver: Update(0xffffffff, address..information, fcs)   == 0xdebb20e3
/// </code>
/// Same structure as <see cref="Fcs16"/>: folding, slicing-by-8, and a per-octet table.
/// </remarks>
public static class Fcs32
{
    /// <summary>Initial FCS value (RFC 1662 Appendix C.2 PPPINITFCS32).</summary>
    public const uint Initial = 0xffffffff;

    /// <summary>Value <see cref="Update"/> leaves after a frame that includes its own correct FCS.</summary>
    public const uint GoodResidue = 0xdebb20e3;

    private const uint ReflectedPolynomial = 0xedb88320;

    private static readonly uint[] s_slices = BuildSlices();
    private static readonly CrcFolding s_folding = new(32, ReflectedPolynomial);

    /// <summary>Continues an FCS computation over <paramref name="data"/>.</summary>
    public static uint Update(uint fcs, ReadOnlySpan<byte> data)
    {
        if (data.Length >= CrcFolding.MinimumLength && CrcFolding.IsSupported)
        {
            return UpdateFolded(fcs, data);
        }

        return UpdateSliced(fcs, data);
    }

    /// <summary>The FCS field for <paramref name="data"/> as transmitted (complemented), low octet first.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(Initial, data);

    internal static uint UpdateTable(uint fcs, ReadOnlySpan<byte> data)
    {
        uint[] table = s_slices;
        foreach (byte b in data)
        {
            fcs = (fcs >> 8) ^ table[(byte)(fcs ^ b)];
        }

        return fcs;
    }

    internal static uint UpdateSliced(uint fcs, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<uint> t = s_slices;
        while (data.Length >= 8)
        {
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(data) ^ fcs;
            fcs =
                t[(7 * 256) + (int)(v & 0xff)] ^
                t[(6 * 256) + (int)((v >> 8) & 0xff)] ^
                t[(5 * 256) + (int)((v >> 16) & 0xff)] ^
                t[(4 * 256) + (int)((v >> 24) & 0xff)] ^
                t[(3 * 256) + (int)((v >> 32) & 0xff)] ^
                t[(2 * 256) + (int)((v >> 40) & 0xff)] ^
                t[256 + (int)((v >> 48) & 0xff)] ^
                t[(int)(v >> 56)];
            data = data[8..];
        }

        return UpdateTable(fcs, data);
    }

    internal static uint UpdateFolded(uint fcs, ReadOnlySpan<byte> data)
    {
        int consumed = s_folding.Fold(data, fcs, out Vector128<byte> remainder);
        Span<byte> block = stackalloc byte[16];
        remainder.CopyTo(block);
        uint r = UpdateSliced(0, block);
        return UpdateSliced(r, data[consumed..]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint[] BuildSlices()
    {
        var t = new uint[8 * 256];
        for (int b = 0; b < 256; b++)
        {
            uint v = (uint)b;
            for (int bit = 0; bit < 8; bit++)
            {
                v = (v & 1) != 0 ? (v >> 1) ^ ReflectedPolynomial : v >> 1;
            }

            t[b] = v;
        }

        for (int k = 1; k < 8; k++)
        {
            for (int b = 0; b < 256; b++)
            {
                uint prev = t[((k - 1) * 256) + b];
                t[(k * 256) + b] = (prev >> 8) ^ t[prev & 0xff];
            }
        }

        return t;
    }
}
