using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ppp.Core.Framing;

/// <summary>
/// The set of octets a sender escapes (RFC 1662 §4.2): Flag 0x7e and Control Escape 0x7d always,
/// control characters flagged in the ACCM, and any extra octets from ppp(8) `set escape`.
/// Immutable; built when the configuration changes, never per frame.
/// </summary>
/// <remarks>
/// <code>
///   raw:     41 7e 42 7d 43 11 44        (ACCM 0x000a0000: XON 0x11 escaped)
///   escaped: 41 7d 5e 42 7d 5d 43 7d 31 44
/// </code>
/// Three copy loops give the same bytes: a Vector128 scan when the set lies inside
/// {0x00-0x1f, 0x7d, 0x7e} (every ACCM without odd extras), a SearchValues scan for any other
/// set, and a byte loop that the tests use as the reference.
/// </remarks>
internal sealed class HdlcEscapeSet
{
    internal const byte Flag = 0x7e;
    internal const byte ControlEscape = 0x7d;
    internal const byte EscapeXor = 0x20;

    private readonly bool[] _escaped = new bool[256];
    private readonly SearchValues<byte> _values;

    public HdlcEscapeSet(uint accm, ReadOnlySpan<bool> extra)
    {
        Accm = accm;
        _escaped[Flag] = true;
        _escaped[ControlEscape] = true;
        bool inVectorSet = true;
        for (int b = 0; b < 256; b++)
        {
            if (b < 0x20 && ((accm >> b) & 1) != 0)
            {
                _escaped[b] = true;
            }

            if (!extra.IsEmpty && extra[b])
            {
                _escaped[b] = true;
                inVectorSet &= b < 0x20 || b == Flag || b == ControlEscape;
            }
        }

        AnyControl = false;
        var list = new List<byte>();
        for (int b = 0; b < 256; b++)
        {
            if (_escaped[b])
            {
                list.Add((byte)b);
                AnyControl |= b < 0x20;
            }
        }

        _values = SearchValues.Create(list.ToArray());
        VectorScan = inVectorSet;
    }

    public uint Accm { get; }

    /// <summary>True when some octet below 0x20 is escaped, so the vector scan must look at them.</summary>
    public bool AnyControl { get; }

    /// <summary>True when the Vector128 scan's candidates (0x00-0x1f, 0x7d, 0x7e) cover the set.</summary>
    public bool VectorScan { get; }

    public bool Contains(byte value) => _escaped[value];

    /// <summary>
    /// Writes <paramref name="source"/> escaped at <paramref name="offset"/> and returns the new
    /// offset. The caller guarantees room for the worst case, two octets per source octet.
    /// </summary>
    public int Write(ReadOnlySpan<byte> source, Span<byte> destination, int offset, bool scalar)
    {
        if (scalar)
        {
            return WriteScalar(source, destination, offset);
        }

        if (VectorScan && Vector128.IsHardwareAccelerated)
        {
            return WriteVector(source, destination, offset);
        }

        return WriteSearch(source, destination, offset);
    }

    internal int WriteScalar(ReadOnlySpan<byte> source, Span<byte> destination, int offset)
    {
        bool[] escaped = _escaped;
        foreach (byte b in source)
        {
            if (escaped[b])
            {
                destination[offset++] = ControlEscape;
                destination[offset++] = (byte)(b ^ EscapeXor);
            }
            else
            {
                destination[offset++] = b;
            }
        }

        return offset;
    }

    private int WriteSearch(ReadOnlySpan<byte> source, Span<byte> destination, int offset)
    {
        while (!source.IsEmpty)
        {
            int next = source.IndexOfAny(_values);
            int run = next < 0 ? source.Length : next;
            source[..run].CopyTo(destination[offset..]);
            offset += run;
            if (next < 0)
            {
                break;
            }

            destination[offset++] = ControlEscape;
            destination[offset++] = (byte)(source[next] ^ EscapeXor);
            source = source[(next + 1)..];
        }

        return offset;
    }

    // Each 16-octet block is compared against the candidates and stored whole; when a candidate
    // appears, the output offset only advances to it, the candidate is written (escaped or, for
    // an unflagged control character, as is) and the scan resumes just after it. The whole-block
    // store is safe because the destination has room for the remaining input escaped in full
    // (2 octets each), which is at least 16 while 16 input octets remain.
    private int WriteVector(ReadOnlySpan<byte> source, Span<byte> destination, int offset)
    {
        int length = source.Length;
        Debug.Assert(destination.Length - offset >= 2 * length, "destination sized for the worst case");
        if (destination.Length - offset < 2 * length)
        {
            return WriteSearch(source, destination, offset);
        }

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        bool[] escaped = _escaped;
        bool control = AnyControl;
        Vector128<byte> flag = Vector128.Create(Flag);
        Vector128<byte> escape = Vector128.Create(ControlEscape);
        Vector128<byte> space = Vector128.Create((byte)0x20);
        int i = 0;
        while (i + 16 <= length)
        {
            Vector128<byte> v = Vector128.LoadUnsafe(ref src, (nuint)i);
            Vector128<byte> hit = Vector128.Equals(v, flag) | Vector128.Equals(v, escape);
            if (control)
            {
                hit |= Vector128.LessThan(v, space);
            }

            v.StoreUnsafe(ref dst, (nuint)offset);
            uint bits = hit.ExtractMostSignificantBits();
            if (bits == 0)
            {
                i += 16;
                offset += 16;
                continue;
            }

            int skip = BitOperations.TrailingZeroCount(bits);
            i += skip;
            offset += skip;
            byte b = source[i++];
            if (escaped[b])
            {
                destination[offset++] = ControlEscape;
                destination[offset++] = (byte)(b ^ EscapeXor);
            }
            else
            {
                destination[offset++] = b;
            }
        }

        return WriteScalar(source[i..], destination, offset);
    }
}
