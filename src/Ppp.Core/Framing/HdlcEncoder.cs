using System.Buffers;
using System.Buffers.Binary;

namespace Ppp.Core.Framing;

/// <summary>
/// Frames PPP packets for an asynchronous line (RFC 1662 §3-4, octet stuffing) or, with
/// <see cref="Synchronous"/>, for a medium that frames by itself (PPP over UDP, a sync card):
/// then only the address/control and protocol fields are written.
/// </summary>
/// <remarks>
/// <code>
///   +------+---------+---------+----------+-------------+---------+------+
///   | Flag | Address | Control | Protocol | Information |   FCS   | Flag |
///   | 7e   | ff      | 03      | 1-2      |    ...      | 2 or 4  | 7e   |
///   +------+---------+---------+----------+-------------+---------+------+
///           \_________ FCS covers these, before escaping ____/
///           \_________ escaped (RFC 1662 §4.2) ______________________/
/// </code>
/// Each frame carries its own opening and closing flag, so back-to-back frames have two flags
/// between them. RFC 1662 §4.4.2 lets a sender share one, but a frame that opens with a flag
/// is self-contained: the encoder keeps no state between frames, any line noise queued before
/// the frame is cut off by the opening flag, and the receiver ignores the empty frame between
/// the two flags. It costs one octet per frame.
///
/// ACFC and PFC (RFC 1661 §6.5-6.6) apply only to frames that are not
/// <c>controlFrame</c>: LCP frames go out with address/control, a two-octet protocol and every
/// control character escaped (ACCM 0xffffffff, RFC 1662 §7.1), whatever was negotiated.
/// Not thread-safe: one writer per link. Encoding allocates nothing.
/// </remarks>
public sealed class HdlcEncoder
{
    private const byte AllStationsAddress = 0xff;
    private const byte UnnumberedInformation = 0x03;

    private readonly bool[] _extra = new bool[256];
    private HdlcEscapeSet _data;
    private HdlcEscapeSet _control;
    private uint _transmitAccm = Accm.All;

    public HdlcEncoder()
    {
        _data = new HdlcEscapeSet(_transmitAccm, default);
        _control = _data;
    }

    /// <summary>
    /// Control characters to escape in data frames; 0xffffffff (the RFC 1662 §7.1 default) until
    /// LCP negotiates the peer's Async-Control-Character-Map.
    /// </summary>
    public uint TransmitAccm
    {
        get => _transmitAccm;
        set
        {
            _transmitAccm = value;
            Rebuild();
        }
    }

    /// <summary>Omit address and control (ff 03) on frames other than control frames (RFC 1661 §6.6).</summary>
    public bool AddressControlCompression { get; set; }

    /// <summary>Send a one-octet protocol field when it is below 0x100 (odd by construction) on frames other than control frames (RFC 1661 §6.5).</summary>
    public bool ProtocolCompression { get; set; }

    /// <summary>FCS appended to each frame. FCS-16 unless negotiated otherwise.</summary>
    public FcsKind Fcs { get; set; }

    /// <summary>No flags, escaping or FCS: the medium frames and checks (PPP over UDP, synchronous HDLC hardware).</summary>
    public bool Synchronous { get; set; }

    /// <summary>For tests: take the byte-at-a-time reference path instead of the vector scan.</summary>
    internal bool UseScalarPath { get; set; }

    /// <summary>
    /// Octets escaped in every frame in addition to the ACCM, as ppp(8) `set escape` configures.
    /// Replaces any earlier set. 0x5d and 0x5e are refused: escaped they become 7d 7d and 7d 7e,
    /// the latter an abort sequence.
    /// </summary>
    public void SetExtraEscapes(ReadOnlySpan<byte> bytes)
    {
        ValidateExtraEscapes(bytes);
        Array.Clear(_extra);
        foreach (byte b in bytes)
        {
            _extra[b] = true;
        }

        Rebuild();
    }

    /// <summary>
    /// Throws when <paramref name="bytes"/> holds an octet <see cref="SetExtraEscapes"/> refuses,
    /// so a configuration can be checked where it is made rather than where frames are encoded.
    /// </summary>
    public static void ValidateExtraEscapes(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is 0x5d or 0x5e)
            {
                throw new ArgumentOutOfRangeException(nameof(bytes), $"0x{b:x2} cannot be escaped: it would be sent as 0x7d 0x{b ^ HdlcEscapeSet.EscapeXor:x2}.");
            }
        }
    }

    /// <summary>
    /// Worst-case encoded size of a frame with <paramref name="informationLength"/> octets of
    /// information: two flags, and address, control, a two-octet protocol, the information and
    /// a four-octet FCS all escaped.
    /// </summary>
    public static int MaxEncodedLength(int informationLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(informationLength);
        return 2 + (2 * (2 + 2 + informationLength + 4));
    }

    /// <summary>
    /// Encodes one frame into <paramref name="destination"/>, which must hold
    /// <see cref="MaxEncodedLength"/> octets, and returns the octets written.
    /// </summary>
    public int Encode(ushort protocol, ReadOnlySpan<byte> information, Span<byte> destination, bool controlFrame = false)
    {
        Span<byte> header = stackalloc byte[4];
        int headerLength = WriteHeader(protocol, controlFrame, information.IsEmpty, header);
        header = header[..headerLength];

        if (Synchronous)
        {
            int length = headerLength + information.Length;
            if (destination.Length < length)
            {
                throw new ArgumentException($"Destination holds {destination.Length} octets; the frame needs {length}.", nameof(destination));
            }

            header.CopyTo(destination);
            information.CopyTo(destination[headerLength..]);
            return length;
        }

        int fcsLength = Fcs.Length();
        int worst = 2 + (2 * (headerLength + information.Length + fcsLength));
        if (destination.Length < worst)
        {
            throw new ArgumentException($"Destination holds {destination.Length} octets; size it with MaxEncodedLength ({worst} needed).", nameof(destination));
        }

        // RFC 1662 Appendix C: the FCS covers address..information unescaped, sent complemented,
        // least significant octet first.
        Span<byte> fcs = stackalloc byte[4];
        bool scalar = UseScalarPath;
        if (Fcs == FcsKind.Fcs32)
        {
            uint f = scalar ? Fcs32.UpdateTable(Fcs32.Initial, header) : Fcs32.Update(Fcs32.Initial, header);
            f = scalar ? Fcs32.UpdateTable(f, information) : Fcs32.Update(f, information);
            BinaryPrimitives.WriteUInt32LittleEndian(fcs, ~f);
        }
        else
        {
            ushort f = scalar ? Fcs16.UpdateTable(Fcs16.Initial, header) : Fcs16.Update(Fcs16.Initial, header);
            f = scalar ? Fcs16.UpdateTable(f, information) : Fcs16.Update(f, information);
            BinaryPrimitives.WriteUInt16LittleEndian(fcs, (ushort)~f);
        }

        HdlcEscapeSet set = controlFrame ? _control : _data;
        int offset = 0;
        destination[offset++] = HdlcEscapeSet.Flag;
        offset = set.WriteScalar(header, destination, offset);
        offset = set.Write(information, destination, offset, scalar);
        offset = set.WriteScalar(fcs[..fcsLength], destination, offset);
        destination[offset++] = HdlcEscapeSet.Flag;
        return offset;
    }

    /// <summary>Encodes one frame into <paramref name="output"/> (asks it for <see cref="MaxEncodedLength"/> octets).</summary>
    public void Encode(ushort protocol, ReadOnlySpan<byte> information, IBufferWriter<byte> output, bool controlFrame = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> span = output.GetSpan(MaxEncodedLength(information.Length));
        output.Advance(Encode(protocol, information, span, controlFrame));
    }

    //   ACFC off or control frame:  ff 03 | PFC on, protocol < 0x100: pp | else: hh ll
    // With ACFC and PFC an empty packet would make a 3-octet frame (protocol + FCS-16), which
    // RFC 1662 §4.3 tells the receiver to discard as too short; it keeps its 2-octet protocol.
    private int WriteHeader(ushort protocol, bool controlFrame, bool emptyInformation, Span<byte> header)
    {
        int n = 0;
        if (controlFrame || !AddressControlCompression)
        {
            header[n++] = AllStationsAddress;
            header[n++] = UnnumberedInformation;
        }

        bool runt = n == 0 && emptyInformation;
        // Protocol 0x00ff is reserved as "compression inefficient": compressed behind an
        // omitted address/control field its single octet 0xff reads as the address field.
        bool ambiguous = protocol == 0x00ff && n == 0;
        if (!controlFrame && ProtocolCompression && protocol < 0x100 && (protocol & 1) != 0 && !runt && !ambiguous)
        {
            header[n++] = (byte)protocol;
        }
        else
        {
            header[n++] = (byte)(protocol >> 8);
            header[n++] = (byte)protocol;
        }

        return n;
    }

    private void Rebuild()
    {
        _data = new HdlcEscapeSet(_transmitAccm, _extra);
        _control = _transmitAccm == Accm.All ? _data : new HdlcEscapeSet(Accm.All, _extra);
    }
}
