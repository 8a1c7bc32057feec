namespace Ppp.Core.Framing;

/// <summary>
/// Which frame check sequence a link uses (RFC 1662 §3.1 and Appendix C; FCS-32 is negotiated
/// with the LCP FCS-Alternatives option, RFC 1570). FCS-16 is the default on every PPP link.
/// </summary>
public enum FcsKind
{
    /// <summary>16-bit CCITT FCS, reflected polynomial 0x8408, two octets on the wire.</summary>
    Fcs16,

    /// <summary>32-bit FCS (the Ethernet CRC), reflected polynomial 0xEDB88320, four octets on the wire.</summary>
    Fcs32,
}

/// <summary>Helpers for <see cref="FcsKind"/>.</summary>
public static class FcsKinds
{
    /// <summary>Number of FCS octets that follow the information field on the wire.</summary>
    public static int Length(this FcsKind kind) => kind == FcsKind.Fcs32 ? 4 : 2;
}
