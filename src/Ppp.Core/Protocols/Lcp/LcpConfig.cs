using Ppp.Core.Protocols.Auth;

namespace Ppp.Core.Protocols.Lcp;

/// <summary>
/// ppp(8)'s two switches per option: <c>enable</c>/<c>disable</c> says whether we request it
/// from the peer, <c>accept</c>/<c>deny</c> whether we agree when the peer requests it.
/// </summary>
[Flags]
public enum OptionPolicy
{
    None = 0,
    Enable = 1,
    Accept = 2,
    Both = Enable | Accept,
}

/// <summary>LCP option types (RFC 1661 §6, RFC 1570).</summary>
public enum LcpOption : byte
{
    MaximumReceiveUnit = 1,
    AsyncControlCharacterMap = 2,
    AuthenticationProtocol = 3,
    QualityProtocol = 4,
    MagicNumber = 5,
    ProtocolFieldCompression = 7,
    AddressControlFieldCompression = 8,
}

/// <summary>
/// What we want and what we allow in LCP, as ppp(8)'s `set mru`, `set accmap`, `enable|accept
/// acfcomp|protocomp|pap|chap|mschapv2|loopback|echo`, `set echoperiod` configure it.
/// </summary>
public sealed record LcpConfig
{
    /// <summary>The MRU we ask for (ppp(8) `set mru`); 1500 is the RFC default.</summary>
    public ushort Mru { get; init; } = 1500;

    /// <summary>Largest MRU we accept from a peer's Nak of ours.</summary>
    public ushort MaxMru { get; init; } = 16384;

    /// <summary>
    /// Largest MRU the peer may ask for (ppp(8) <c>set mtu max</c>: larger requests are Nak'd
    /// down to this); null leaves the peer's MRU alone.
    /// </summary>
    public ushort? MaxPeerMru { get; init; }

    /// <summary>Smallest MRU we accept from a peer (smaller requests are Nak'd up to this).</summary>
    public ushort MinMru { get; init; } = 128;

    /// <summary>The ACCM we ask the peer to use towards us (ppp(8) `set accmap`, default 0).</summary>
    public uint Accm { get; init; }

    public OptionPolicy AddressControlCompression { get; init; } = OptionPolicy.Both;

    public OptionPolicy ProtocolCompression { get; init; } = OptionPolicy.Both;

    /// <summary>
    /// Loopback detection through the Magic-Number option (RFC 1661 §6.4), always on in ppp(8)
    /// (its <c>enable loopback</c> is about IP packets for our own address, see NegotiationOptions).
    /// </summary>
    public OptionPolicy Loopback { get; init; } = OptionPolicy.Both;

    /// <summary>How many Magic-Number collisions in a row mean the line is looped back.</summary>
    public int MaxMagicCollisions { get; init; } = 5;

    /// <summary>
    /// Protocols we require the peer to authenticate with, in order of preference (ppp(8)
    /// `enable pap|chap|mschapv2`). Empty: we do not authenticate the peer.
    /// </summary>
    public IReadOnlyList<AuthProtocol> RequirePeerAuthentication { get; init; } = [];

    /// <summary>
    /// Protocols we agree to authenticate ourselves with, in order of preference (ppp(8)
    /// `accept pap|chap|mschapv2`; all three by default, as ppp(8)).
    /// </summary>
    public IReadOnlyList<AuthProtocol> AcceptOwnAuthentication { get; init; } =
        [AuthProtocol.MsChapV2, AuthProtocol.ChapMd5, AuthProtocol.Pap];

    /// <summary>LCP Echo-Request period (ppp(8) `enable echo`, `set echoperiod`); zero disables.</summary>
    public TimeSpan EchoPeriod { get; init; }

    /// <summary>Periods in a row with no frame from the peer before the link is declared dead.</summary>
    public int EchoFailures { get; init; } = 5;
}

/// <summary>
/// What LCP negotiated, read by the framing and the link when LCP comes up. "Transmit" values
/// are what the peer asked of us (we obey them when sending); "receive" values are what the
/// peer agreed to for frames it sends us.
/// </summary>
public sealed record LcpResult
{
    /// <summary>Largest packet we may send: the peer's MRU, 1500 if it sent none.</summary>
    public ushort PeerMru { get; init; } = 1500;

    /// <summary>The MRU the peer acknowledged for frames it sends us.</summary>
    public ushort OurMru { get; init; } = 1500;

    public uint TransmitAccm { get; init; } = 0xffffffff;
    public uint ReceiveAccm { get; init; } = 0xffffffff;
    public bool TransmitAddressControlCompression { get; init; }
    public bool TransmitProtocolCompression { get; init; }
    public bool ReceiveAddressControlCompression { get; init; }
    public bool ReceiveProtocolCompression { get; init; }

    /// <summary>How the peer must prove itself to us (our acknowledged Authentication-Protocol).</summary>
    public AuthProtocol AuthenticatePeerWith { get; init; }

    /// <summary>How we must prove ourselves to the peer (its Authentication-Protocol we acknowledged).</summary>
    public AuthProtocol AuthenticateOurselvesWith { get; init; }

    public uint OurMagic { get; init; }
    public uint PeerMagic { get; init; }
}
