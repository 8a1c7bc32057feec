using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Ppp.Core.Protocols.Ipv6cp;

/// <summary>IPV6CP configuration options (RFC 5072 §4).</summary>
public enum Ipv6cpOption : byte
{
    /// <summary>RFC 5072 §4.1.</summary>
    InterfaceIdentifier = 1,
    /// <summary>RFC 5072 §4.2: not implemented, rejected.</summary>
    Ipv6CompressionProtocol = 2,
}

/// <summary>
/// IPV6CP settings. ppp(8) gives the user no control here ("IPV6CP negotiation is fully
/// automatic"); <see cref="InterfaceIdentifier"/> pins ours, as pppd's `ipv6 ::id` does.
/// </summary>
public sealed record Ipv6cpConfig
{
    /// <summary>
    /// Our Interface-Identifier; null (or zero, which RFC 5072 §4.1 forbids as a choice) picks a
    /// random one. A peer's Nak saying it collides still moves us off it: a pinned identifier is
    /// a preference, not a reason to fail the link.
    /// </summary>
    public ulong? InterfaceIdentifier { get; init; }

    public static Ipv6cpConfig Default { get; } = new();
}

/// <summary>
/// What an opened IPV6CP layer agreed: both identifiers and the fe80::/64 link-local addresses
/// built from them (RFC 5072 §5, RFC 4291 §2.5.6). The remote side is null when the peer did not
/// send an Interface-Identifier.
/// </summary>
public sealed record Ipv6cpResult(
    ulong LocalInterfaceIdentifier,
    ulong? RemoteInterfaceIdentifier,
    IPAddress LocalLinkLocal,
    IPAddress? RemoteLinkLocal);

/// <summary>
/// Interface-Identifier helpers (RFC 5072 §4.1):
/// <code>
///  0                   1                   2                   3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type=1    |   Length=10   | Interface-Identifier (MS Bytes)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///                   Interface-Identifier (cont)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// Interface-Identifier (LS Bytes) |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// IPv6-Compression-Protocol (RFC 5072 §4.2): Type=2, Length>=4, a 2-octet protocol and data.
/// </summary>
public static class InterfaceIdentifiers
{
    public const int Length = 8;

    /// <summary>fe80::/64 followed by the identifier.</summary>
    public static IPAddress LinkLocal(ulong identifier)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        bytes[0] = 0xfe;
        bytes[1] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], identifier);
        return new IPAddress(bytes);
    }

    /// <summary>Four hex groups, as ppp(8) logs them: "0123:4567:89ab:cdef".</summary>
    public static string Format(ulong identifier) => string.Create(CultureInfo.InvariantCulture,
        $"{identifier >> 48:x4}:{(identifier >> 32) & 0xffff:x4}:{(identifier >> 16) & 0xffff:x4}:{identifier & 0xffff:x4}");

    internal static bool TryRead(ReadOnlySpan<byte> data, out ulong identifier)
    {
        identifier = 0;
        if (data.Length != Length)
            return false;
        identifier = BinaryPrimitives.ReadUInt64BigEndian(data);
        return true;
    }

    internal static (string Name, string Value) Describe(byte type, ReadOnlySpan<byte> data)
    {
        string hex = Convert.ToHexString(data).ToLower(CultureInfo.InvariantCulture);
        return (Ipv6cpOption)type switch
        {
            Ipv6cpOption.InterfaceIdentifier => TryRead(data, out ulong id)
                ? ("IFACEID", Format(id))
                : ("IFACEID", $"[bad length {data.Length + 2}] {hex}".TrimEnd()),
            Ipv6cpOption.Ipv6CompressionProtocol => data.Length >= 2
                ? ("COMPPROTO", $"0x{BinaryPrimitives.ReadUInt16BigEndian(data):x4} {hex[4..]}".TrimEnd())
                : ("COMPPROTO", $"[bad length {data.Length + 2}] {hex}".TrimEnd()),
            _ => ($"OPT{type}", hex),
        };
    }
}
