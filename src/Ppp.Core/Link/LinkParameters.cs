using Ppp.Core.Framing;

namespace Ppp.Core.Link;

/// <summary>
/// What the data path needs to frame and unframe, as LCP last agreed: an immutable snapshot.
/// The link loop builds a new one whenever the lower layer comes up or LCP opens or goes down,
/// and publishes it with <see cref="Volatile.Write{T}(ref T, T)"/>; the device writer reads the
/// transmit half before each batch it encodes, the device reader the receive half before each
/// read it decodes. Nobody edits a published instance, so neither thread ever sees half of a
/// change.
/// </summary>
public sealed record LinkParameters
{
    /// <summary>Before LCP has agreed anything (RFC 1661 §6, RFC 1662 §7.1 defaults).</summary>
    public static LinkParameters Default { get; } = new();

    /// <summary>Control characters escaped in data frames we send (the peer's ACCM).</summary>
    public uint TransmitAccm { get; init; } = Accm.All;

    /// <summary>Omit ff 03 on data frames we send (the peer acked ACFC).</summary>
    public bool AddressControlCompression { get; init; }

    /// <summary>One-octet protocol field on data frames we send (the peer acked PFC).</summary>
    public bool ProtocolCompression { get; init; }

    /// <summary>Octets escaped on transmit beyond the ACCM (ppp(8) <c>set escape</c>).</summary>
    public ReadOnlyMemory<byte> ExtraEscapes { get; init; }

    /// <summary>Synchronous framing: no flags, escapes or FCS (PPP over UDP).</summary>
    public bool Synchronous { get; init; }

    /// <summary>Unescaped control characters the decoder discards as line noise (see <see cref="HdlcDecoder.ReceiveAccm"/>).</summary>
    public uint ReceiveAccm { get; init; }

    /// <summary>Most protocol + information octets the decoder accepts: our MRU plus the protocol field.</summary>
    public int MaxReceiveFrame { get; init; } = 1500 + 2;

    /// <summary>Most information octets a network packet we send may carry: the peer's MRU.</summary>
    public int PeerMru { get; init; } = 1500;

    /// <summary>
    /// Counts lower-layer ups: a snapshot of a new epoch tells the reader to drop any frame it
    /// had half decoded and hunt for a flag, as on a line that just came up.
    /// </summary>
    public int Epoch { get; init; }
}
