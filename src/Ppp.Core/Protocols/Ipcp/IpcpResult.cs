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
    IPAddress? SecondaryNbns)
{
    /// <summary>As ppp(8) logs an interface coming up: <c>myaddr 10.0.0.1 hisaddr = 10.0.0.2</c>, then the name servers there are.</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder()
            .Append("myaddr ").Append(LocalAddress?.ToString() ?? "none")
            .Append(" hisaddr = ").Append(RemoteAddress?.ToString() ?? "none");
        Append(text, "DNS0", PrimaryDns);
        Append(text, "DNS1", SecondaryDns);
        Append(text, "NBNS0", PrimaryNbns);
        Append(text, "NBNS1", SecondaryNbns);
        return text.ToString();
    }

    private static void Append(System.Text.StringBuilder text, string name, IPAddress? address)
    {
        if (address is not null)
            text.Append(' ').Append(name).Append(' ').Append(address);
    }
}
