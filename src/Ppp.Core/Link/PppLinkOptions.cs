using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Core.Link;

/// <summary>
/// A network control protocol the link runs once authentication is done, and the data
/// protocol it enables (IPCP enables IPv4, IPV6CP enables IPv6).
/// </summary>
public sealed record NetworkProtocolSpec(IControlProtocolHandler Handler, ushort DataProtocol, FsmOptions? Fsm = null);

/// <summary>Everything one link needs to run: the configuration half of ppp(8)'s `set` commands.</summary>
public sealed record PppLinkOptions
{
    public string Name { get; init; } = "deflink";
    public LcpConfig Lcp { get; init; } = new();
    public FsmOptions LcpFsm { get; init; } = FsmOptions.Default;
    public required AuthOptions Auth { get; init; }
    public IReadOnlyList<NetworkProtocolSpec> NetworkProtocols { get; init; } = [];

    /// <summary>Extra octets escaped on transmit (ppp(8) `set escape`).</summary>
    public byte[] ExtraEscapes { get; init; } = [];

    /// <summary>Synchronous framing (no flags, escapes or FCS; PPP over UDP).</summary>
    public bool Synchronous { get; init; }
}
