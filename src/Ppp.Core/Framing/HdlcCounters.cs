namespace Ppp.Core.Framing;

/// <summary>
/// Receive statistics of one <see cref="HdlcDecoder"/>, as ppp(8) `show hdlc` reports them.
/// Each bad frame is counted once, under the first check it fails. Written only by the decoder,
/// which is single-threaded; readers on other threads may see slightly stale values.
/// </summary>
public sealed class HdlcCounters
{
    /// <summary>Good frames handed to the handler.</summary>
    public long Frames { get; internal set; }

    /// <summary>Protocol and information octets of the good frames (what the MRU limits).</summary>
    public long Octets { get; internal set; }

    /// <summary>Octets pushed into the decoder, as read from the line.</summary>
    public long LineOctets { get; internal set; }

    /// <summary>Frames whose FCS did not check (RFC 1662 §3.1).</summary>
    public long BadFcs { get; internal set; }

    /// <summary>Frames shorter than two octets plus the FCS, discarded without an FCS check (RFC 1662 §4.3), or with no protocol field.</summary>
    public long Runts { get; internal set; }

    /// <summary>Frames longer than the MRU (protocol + information &gt; MaxFrameSize); discarded up to the next flag.</summary>
    public long Oversize { get; internal set; }

    /// <summary>Frames ended by the abort sequence Control Escape, Flag (0x7d 0x7e; RFC 1662 §4.3).</summary>
    public long Aborted { get; internal set; }

    /// <summary>Frames that start with 0xff but are not followed by the control octet 0x03.</summary>
    public long BadAddressControl { get; internal set; }

    /// <summary>Frames whose protocol field is malformed: a two-octet field with an even low octet (RFC 1661 §2).</summary>
    public long BadProtocol { get; internal set; }

    /// <summary>Unescaped control characters dropped because they are flagged in the receive ACCM (RFC 1662 §4.2).</summary>
    public long DroppedControlCharacters { get; internal set; }

    /// <summary>All frames discarded for any reason.</summary>
    public long Errors => BadFcs + Runts + Oversize + Aborted + BadAddressControl + BadProtocol;

    /// <summary>Sets every counter back to zero.</summary>
    public void Clear()
    {
        Frames = 0;
        Octets = 0;
        LineOctets = 0;
        BadFcs = 0;
        Runts = 0;
        Oversize = 0;
        Aborted = 0;
        BadAddressControl = 0;
        BadProtocol = 0;
        DroppedControlCharacters = 0;
    }
}
