using System.Net;

namespace Ppp.Core.Protocols.Ipcp;

/// <summary>
/// What an opened IPCP layer agreed (the link configures the tun and resolv.conf from it).
/// <see cref="LocalAddress"/> or <see cref="RemoteAddress"/> is null when neither negotiation
/// nor `set ifaddr` produced one (a peer that rejects IP-Address and no address of our own, or
/// a peer that sends none while hisaddr is 0.0.0.0/0); the link decides whether it can run so.
/// The name servers are those the peer gave us (`enable dns`), null when not negotiated.
/// </summary>
public sealed record IpcpResult(
    IPAddress? LocalAddress,
    IPAddress? RemoteAddress,
    IPAddress? PrimaryDns,
    IPAddress? SecondaryDns,
    IPAddress? PrimaryNbns,
    IPAddress? SecondaryNbns);
