using Ppp.Core.Protocols.Lcp;

namespace Ppp.Core.Config;

/// <summary>
/// One option of ppp(8)'s <c>enable|disable|accept|deny</c>. <see cref="Negotiated"/> options have
/// both switches; the others only enable/disable. An option with <see cref="NotImplemented"/> set
/// exists in ppp(8) but not here: turning it on is an error giving that reason, turning it off is
/// accepted (it is off), so configurations written for ppp(8) that disable it still load.
/// <see cref="CannotTurnOff"/> is the reverse: behaviour that is always on here.
/// </summary>
public sealed record NegotiationOption(
    string Name,
    IReadOnlyList<string> Aliases,
    bool Negotiated,
    OptionPolicy Default,
    string Description,
    string? NotImplemented = null,
    string? CannotTurnOff = null);

/// <summary>The option table, with ppp(8)'s defaults ("Default: Enabled and Accepted", ...).</summary>
public static class NegotiationOptions
{
    public const string AcfComp = "acfcomp";
    public const string ProtoComp = "protocomp";
    public const string Pap = "pap";
    public const string Chap = "chap05";
    public const string MsChapV2 = "mschapv2";
    public const string Dns = "dns";
    public const string Echo = "echo";
    public const string IdCheck = "idcheck";
    public const string Ipcp = "ipcp";
    public const string Ipv6cp = "ipv6cp";
    public const string Loopback = "loopback";
    public const string StickyRoutes = "sroutes";
    public const string MssFixup = "mssfixup";
    public const string Throughput = "throughput";
    public const string ForceScripts = "force-scripts";
    public const string ResetAlways = "resetalways";

    private const string NoCcp = "CCP compression is not implemented";
    private const string NoMultilink = "multilink (RFC 1990) is not implemented";
    private const string NoRadius = "RADIUS is not implemented";

    public static IReadOnlyList<NegotiationOption> All { get; } =
    [
        new(AcfComp, [], true, OptionPolicy.Both, "Address and Control Field Compression (RFC 1661 §6.6)"),
        new(Chap, ["chap"], true, OptionPolicy.Accept, "CHAP with MD5 (RFC 1994); enable: the peer must authenticate with it"),
        new("deflate", [], true, OptionPolicy.None, "Deflate compression (CCP)", NoCcp),
        new("deflate24", [], true, OptionPolicy.None, "pppd's Deflate variant (CCP)", NoCcp),
        new(Dns, [], true, OptionPolicy.None, "DNS server negotiation (RFC 1877); enable: ask the peer, accept: answer the peer"),
        new("enddisc", [], true, OptionPolicy.None, "Endpoint Discriminator (multilink)", NoMultilink),
        new("lanman", ["chap80lm"], true, OptionPolicy.None, "MS-CHAP v1 LANMan responses", "MS-CHAP v1 (LANMan) is not supported; use mschapv2 (chap81)"),
        new("lqr", [], true, OptionPolicy.None, "Link Quality Reports (RFC 1989)", "LQR is not implemented; use enable echo with set echoperiod"),
        new("mppe", [], true, OptionPolicy.None, "Microsoft Point-to-Point Encryption (CCP)", "MPPE is not implemented"),
        new(MsChapV2, ["chap81"], true, OptionPolicy.Accept, "MS-CHAP-V2 (RFC 2759); enable: the peer must authenticate with it"),
        new("mschap", ["chap80nt", "chap80"], true, OptionPolicy.None, "MS-CHAP v1", "MS-CHAP v1 (chap80) is not supported; use mschapv2 (chap81)"),
        new(Pap, [], true, OptionPolicy.Accept, "PAP (RFC 1334); enable: the peer must authenticate with it"),
        new("pred1", ["predictor1"], true, OptionPolicy.None, "Predictor-1 compression (CCP)", NoCcp),
        new(ProtoComp, [], true, OptionPolicy.Both, "Protocol Field Compression (RFC 1661 §6.5)"),
        new("shortseq", [], true, OptionPolicy.None, "multilink short sequence numbers", NoMultilink),
        new("vjcomp", ["vj"], true, OptionPolicy.None, "Van Jacobson TCP/IP header compression", "Van Jacobson compression is not implemented"),

        new(Echo, [], false, OptionPolicy.None, "send LCP Echo-Requests every echoperiod seconds; the link drops after the periods set echoperiod allows without a frame (default 5)"),
        new("filter-decapsulation", [], false, OptionPolicy.None, "filter PPP-in-UDP payloads", "filtering the IP packets inside PPP-in-UDP frames is not implemented"),
        new(ForceScripts, [], false, OptionPolicy.None, "run chat scripts in -direct and -dedicated modes too"),
        new(ResetAlways, [], false, OptionPolicy.None, "reset the modem (set reset) after every disconnect, not only after set resetafter failed dials"),
        new(IdCheck, [], false, OptionPolicy.Enable, "drop replies whose Identifier is not the request's",
            CannotTurnOff: "replies whose Identifier is not the outstanding request's are always dropped (RFC 1661 §5)"),
        new("iface-alias", [], false, OptionPolicy.None, "add addresses to the interface instead of replacing them", "iface-alias needs NAT, which is not planned"),
        new(Ipcp, [], false, OptionPolicy.Enable, "negotiate IPCP and carry IPv4"),
        new(Ipv6cp, [], false, OptionPolicy.Enable, "negotiate IPV6CP and carry IPv6"),
        new("keep-session", [], false, OptionPolicy.None, "keep the session owner process (multilink server)", NoMultilink),
        new(Loopback, [], false, OptionPolicy.Enable, "loop packets for the interface's own address back instead of sending them",
            CannotTurnOff: "Linux delivers packets for the interface's own address locally before they reach the tun, so they are always looped back"),
        new("nas-ip-address", [], false, OptionPolicy.None, "send NAS-IP-Address to RADIUS", NoRadius),
        new("nas-identifier", [], false, OptionPolicy.None, "send NAS-Identifier to RADIUS", NoRadius),
        new("passwdauth", [], false, OptionPolicy.None, "check PAP against the passwd database", "passwd database authentication is not implemented; list peers in ppp.secret"),
        new("proxy", [], false, OptionPolicy.None, "proxy ARP for the peer", "proxy ARP is not implemented"),
        new("proxyall", [], false, OptionPolicy.None, "proxy ARP for every routed address", "proxy ARP is not implemented"),
        new(StickyRoutes, [], false, OptionPolicy.Enable, "re-apply routes naming MYADDR, HISADDR, DNS0, ... when they change",
            CannotTurnOff: "routes naming MYADDR, HISADDR, MYADDR6, HISADDR6, DNS0, DNS1 or default are always re-applied when those change (not re-applying them is not implemented)"),
        new(MssFixup, ["tcpmssfixup"], false, OptionPolicy.Enable, "clamp the MSS of TCP SYNs to the interface MTU"),
        new(Throughput, [], false, OptionPolicy.None, "keep throughput statistics (show physical's current, peak and overall rates)",
            "throughput rates are not gathered; show physical and the JSON status give the octet and packet counters"),
        new("utmp", [], false, OptionPolicy.None, "write utmp/wtmp entries for authenticated -direct users", "utmp/wtmp entries are not written"),
    ];

    /// <summary>The option of that name or alias (case-insensitive, as ppp(8)), or null.</summary>
    public static NegotiationOption? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(o => o.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
            || o.Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase)));
    }
}
