namespace Ppp.Core.Framing;

/// <summary>
/// The Async-Control-Character-Map of RFC 1662 §7.1: bit n (least significant = 0) set means
/// control character n (0x00-0x1f) is sent escaped. Until LCP agrees otherwise a sender escapes
/// all 32 (the default map 0xffffffff); LCP frames always use that default.
/// </summary>
/// <remarks>
/// <code>
///   bit 31 ............................ bit 0
///   0x1f ............................... 0x00     (0x000a0000 = XON 0x11 and XOFF 0x13)
/// </code>
/// </remarks>
public static class Accm
{
    /// <summary>All 32 control characters escaped: the default map and the map of every LCP frame.</summary>
    public const uint All = 0xffffffff;

    /// <summary>No control character escaped, as pppd and ppp(8) usually negotiate on clean links.</summary>
    public const uint None = 0;

    /// <summary>True when <paramref name="value"/> is a control character flagged in <paramref name="map"/>.</summary>
    public static bool Contains(uint map, byte value) => value < 0x20 && ((map >> value) & 1) != 0;
}
