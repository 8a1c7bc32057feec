using System.Buffers.Binary;
using System.Globalization;

namespace Ppp.Core.Protocols.Ipcp;

/// <summary>IPCP configuration options (RFC 1332 §3, RFC 1877 §1).</summary>
public enum IpcpOption : byte
{
    /// <summary>RFC 1172's pair of addresses, deprecated by RFC 1332 §3.1: always rejected.</summary>
    IpAddresses = 1,
    /// <summary>RFC 1332 §3.2 (Van Jacobson TCP/IP header compression): not implemented, rejected.</summary>
    IpCompressionProtocol = 2,
    /// <summary>RFC 1332 §3.3.</summary>
    IpAddress = 3,
    /// <summary>RFC 1877 §1.1.</summary>
    PrimaryDns = 129,
    /// <summary>RFC 1877 §1.2.</summary>
    PrimaryNbns = 130,
    /// <summary>RFC 1877 §1.3.</summary>
    SecondaryDns = 131,
    /// <summary>RFC 1877 §1.4.</summary>
    SecondaryNbns = 132,
}

/// <summary>
/// Log text of IPCP options, named as ppp(8) prints them. Every address option shares one
/// layout (RFC 1332 §3.3, RFC 1877 §1.1-1.4), with Type 3, 129, 130, 131 or 132:
/// <code>
///  0                   1                   2                   3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type      |    Length=6   |           Address
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///         Address (cont)          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// IP-Compression-Protocol (RFC 1332 §3.2; RFC 1144 adds Max-Slot-Id and Comp-Slot-Id for VJ):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type=2      |   Length>=4   |   IP-Compression-Protocol     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Max-Slot-Id  | Comp-Slot-Id  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal static class IpcpOptions
{
    public const int AddressDataLength = 4;

    /// <summary>Reads the 4-octet address of an address option; false on any other length.</summary>
    public static bool TryReadAddress(ReadOnlySpan<byte> data, out uint address)
    {
        address = 0;
        if (data.Length != AddressDataLength)
            return false;
        address = BinaryPrimitives.ReadUInt32BigEndian(data);
        return true;
    }

    public static bool IsNameServer(byte type) => type is >= (byte)IpcpOption.PrimaryDns and <= (byte)IpcpOption.SecondaryNbns;

    public static string Name(byte type) => (IpcpOption)type switch
    {
        IpcpOption.IpAddresses => "IPADDRS",
        IpcpOption.IpCompressionProtocol => "COMPPROTO",
        IpcpOption.IpAddress => "IPADDR",
        IpcpOption.PrimaryDns => "PRIDNS",
        IpcpOption.PrimaryNbns => "PRINBNS",
        IpcpOption.SecondaryDns => "SECDNS",
        IpcpOption.SecondaryNbns => "SECNBNS",
        _ => $"OPT{type}",
    };

    public static (string Name, string Value) Describe(byte type, ReadOnlySpan<byte> data)
    {
        string name = Name(type);
        switch ((IpcpOption)type)
        {
            case IpcpOption.IpAddress or IpcpOption.PrimaryDns or IpcpOption.PrimaryNbns
                or IpcpOption.SecondaryDns or IpcpOption.SecondaryNbns:
                return TryReadAddress(data, out uint address)
                    ? (name, Ipv4.Format(address))
                    : (name, BadLength(data));
            case IpcpOption.IpAddresses:
                return data.Length == 8
                    ? (name, $"{Ipv4.Format(BinaryPrimitives.ReadUInt32BigEndian(data))} {Ipv4.Format(BinaryPrimitives.ReadUInt32BigEndian(data[4..]))}")
                    : (name, BadLength(data));
            case IpcpOption.IpCompressionProtocol:
                if (data.Length < 2)
                    return (name, BadLength(data));
                ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(data);
                if (protocol == 0x002d && data.Length == 4)
                {
                    string slotCompression = data[3] != 0 ? "with" : "without";
                    return (name, $"VJ {data[2] + 1} slots {slotCompression} slot compression");
                }
                return (name, $"0x{protocol:x4} {Hex(data[2..])}".TrimEnd());
            default:
                return (name, Hex(data));
        }
    }

    public static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexString(data).ToLower(CultureInfo.InvariantCulture);

    private static string BadLength(ReadOnlySpan<byte> data) => $"[bad length {data.Length + 2}] {Hex(data)}".TrimEnd();
}
