using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Ppp.Core.Protocols.Ipcp;

/// <summary>
/// An IPv4 address with the number of leading bits that matter, as ppp(8) writes it in
/// `set ifaddr` ("a.b.c.d/nn"): the address is the one we prefer, and any address sharing its
/// first <see cref="PrefixLength"/> bits is acceptable. "/0" accepts anything; "/32" only the
/// address itself.
/// </summary>
public readonly record struct Ipv4Range
{
    public Ipv4Range(uint value, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        Value = value;
        PrefixLength = prefixLength;
    }

    public Ipv4Range(IPAddress address, int prefixLength)
        : this(Ipv4.ToUInt32(address), prefixLength)
    {
    }

    /// <summary>0.0.0.0/0: no preference, anything the peer gives.</summary>
    public static Ipv4Range Any => default;

    /// <summary>The preferred address in host order.</summary>
    public uint Value { get; }

    public int PrefixLength { get; }

    public IPAddress Address => Ipv4.ToAddress(Value);

    /// <summary>True when the preferred address is 0.0.0.0 (we have no address of our own to offer).</summary>
    public bool IsUnspecified => Value == 0;

    public bool Contains(uint address) => ((address ^ Value) & Ipv4.Mask(PrefixLength)) == 0;

    public bool Contains(IPAddress address) =>
        address is { AddressFamily: AddressFamily.InterNetwork } && Contains(Ipv4.ToUInt32(address));

    public override string ToString() => $"{Ipv4.Format(Value)}/{PrefixLength}";
}

/// <summary>An inclusive run of IPv4 addresses in a `set ifaddr` pool ("10.0.1.2-10.0.1.10").</summary>
public readonly record struct Ipv4Block
{
    public Ipv4Block(uint first, uint last)
    {
        if (last < first)
            throw new ArgumentException("The last address precedes the first.", nameof(last));
        First = first;
        Last = last;
    }

    public uint First { get; }

    public uint Last { get; }

    public bool Contains(uint address) => address >= First && address <= Last;

    public override string ToString() => First == Last ? Ipv4.Format(First) : $"{Ipv4.Format(First)}-{Ipv4.Format(Last)}";
}

/// <summary>IPv4 conversions; addresses travel as big-endian uint on the wire and host-order uint inside.</summary>
internal static class Ipv4
{
    public static uint Mask(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);

    public static uint ToUInt32(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("Not an IPv4 address.", nameof(address));
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static string Format(uint value) =>
        $"{value >> 24}.{(value >> 16) & 0xff}.{(value >> 8) & 0xff}.{value & 0xff}";

    /// <summary>
    /// A host may use this address as its own or its peer's: not 0.0.0.0/8 ("this network"),
    /// 127/8 (loopback), 224/4 (multicast) nor 240/4 (reserved, and the broadcast address)
    /// (RFC 1122 §3.2.1.3, RFC 5735).
    /// </summary>
    public static bool IsUsableHost(uint value)
    {
        uint first = value >> 24;
        return first is not (0 or 127) && first < 224;
    }

    /// <summary>
    /// Parses exactly four decimal octets ("10.0.0.1"), or the lone "0" ppp(8) accepts for
    /// 0.0.0.0. Stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>, which
    /// reads "1" as 0.0.0.1 and accepts hex and octal parts.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        if (text is "0")
            return true;
        int parts = 0;
        while (true)
        {
            int dot = text.IndexOf('.');
            var part = dot < 0 ? text : text[..dot];
            if (part.IsEmpty || part.Length > 3)
                return false;
            int octet = 0;
            foreach (char c in part)
            {
                if (c is < '0' or > '9')
                    return false;
                octet = (octet * 10) + (c - '0');
            }
            if (octet > 255)
                return false;
            value = (value << 8) | (uint)octet;
            parts++;
            if (dot < 0)
                return parts == 4;
            if (parts == 4)
                return false;
            text = text[(dot + 1)..];
        }
    }
}
