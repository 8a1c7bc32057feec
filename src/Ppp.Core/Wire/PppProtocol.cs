namespace Ppp.Core.Wire;

/// <summary>PPP protocol field values (RFC 1661 §2, IANA "PPP DLL Protocol Numbers").</summary>
public enum PppProtocol : ushort
{
    Ip = 0x0021,
    VjCompressedTcp = 0x002d,
    VjUncompressedTcp = 0x002f,
    Ipv6 = 0x0057,
    Ipcp = 0x8021,
    Ipv6cp = 0x8057,
    Ccp = 0x80fd,
    Lcp = 0xc021,
    Pap = 0xc023,
    Lqr = 0xc025,
    Chap = 0xc223,
}

/// <summary>Helpers for protocol numbers.</summary>
public static class PppProtocols
{
    /// <summary>Short upper-case name as ppp(8) and pppd log it, or hex for unknown numbers.</summary>
    public static string Name(ushort protocol) => (PppProtocol)protocol switch
    {
        PppProtocol.Ip => "IP",
        PppProtocol.VjCompressedTcp => "VJ-COMP",
        PppProtocol.VjUncompressedTcp => "VJ-UNCOMP",
        PppProtocol.Ipv6 => "IPV6",
        PppProtocol.Ipcp => "IPCP",
        PppProtocol.Ipv6cp => "IPV6CP",
        PppProtocol.Ccp => "CCP",
        PppProtocol.Lcp => "LCP",
        PppProtocol.Pap => "PAP",
        PppProtocol.Lqr => "LQR",
        PppProtocol.Chap => "CHAP",
        _ => $"0x{protocol:x4}",
    };

    /// <summary>RFC 1661 §2: protocol numbers are odd in the low octet and even in the high octet.</summary>
    public static bool IsValid(ushort protocol) => (protocol & 0x0101) == 0x0001;

    /// <summary>RFC 1661 §2: 0x8000-0xbfff are network control protocols.</summary>
    public static bool IsNetworkControl(ushort protocol) => protocol is >= 0x8000 and <= 0xbfff;
}
