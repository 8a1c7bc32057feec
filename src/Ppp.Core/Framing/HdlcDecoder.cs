using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ppp.Core.Framing;

/// <summary>
/// Turns the octets read from an asynchronous line back into PPP frames (RFC 1662 §3-4), or
/// accepts whole datagrams from a medium that frames by itself (<see cref="DecodeSynchronous"/>).
/// </summary>
/// <remarks>
/// <code>
///   line:    7e  ff 7d 23  c0 21  01 01 ..  fcs fcs  7e
///   flag ----'   |   |     |      |         |        '---- flag: end of frame
///   address -----'   |     |      |         '------------- FCS, checked then dropped
///   control 03 ------'     |      '----------------------- information, handed on
///   (escaped: 7d 23)       '------------------------------ protocol (1 octet when PFC)
/// </code>
/// Push model: <see cref="Decode"/> takes whatever the read returned, in chunks of any size,
/// and keeps the frame in progress (including a Control Escape as the last octet of a chunk)
/// until the next call. Octets are unescaped into one buffer sized for the MRU; the FCS runs
/// over the frame once it is complete. Nothing is allocated per frame.
///
/// Receive rules:
/// <list type="bullet">
/// <item>Octets before the first flag, and after a frame grew past the MRU, are discarded up to
///   the next flag (hunt), so garbage can never grow memory.</item>
/// <item>Empty frames (back-to-back flags, RFC 1662 §4.4.2 time fill) are ignored silently.</item>
/// <item>0x7d 0x7e aborts the frame (RFC 1662 §4.3); the flag then opens the next one.</item>
/// <item>Frames shorter than 2 octets plus the FCS are discarded without an FCS check (§4.3).</item>
/// <item>Address/control ff 03 is stripped, and its absence accepted (ACFC); a one-octet
///   protocol, odd by construction, is accepted (PFC). Both always, whatever LCP negotiated,
///   because the peer may start compressing as soon as it acks.</item>
/// </list>
/// Not thread-safe: one reader per link.
/// </remarks>
public sealed class HdlcDecoder
{
    private const byte AllStationsAddress = 0xff;
    private const byte UnnumberedInformation = 0x03;
    private const int HeaderAllowance = 2; // address + control, not counted in the MRU
    private const int MaxFcsLength = 4;
    private const int Limit = 65535;
    private const int Slack = 16; // room for one whole Vector128 store at the end of the frame

    private static readonly SearchValues<byte> s_flagOrEscape = SearchValues.Create(HdlcEscapeSet.ControlEscape, HdlcEscapeSet.Flag);

    private byte[] _frame;
    private int _capacity;
    private int _length;
    private bool _escaped;
    private bool _hunting = true;
    private int _maxFrameSize;
    private uint _receiveAccm;
    private SearchValues<byte> _specials = s_flagOrEscape;

    /// <param name="maxFrameSize">The MRU: most protocol + information octets accepted.</param>
    /// <param name="fcs">FCS the peer appends.</param>
    public HdlcDecoder(int maxFrameSize = 1500, FcsKind fcs = FcsKind.Fcs16)
    {
        ValidateSize(maxFrameSize);
        _maxFrameSize = maxFrameSize;
        _capacity = BufferSize(maxFrameSize);
        _frame = new byte[_capacity + Slack];
        Fcs = fcs;
    }

    /// <summary>
    /// Control characters that, received unescaped, are discarded as line noise (RFC 1662 §4.2:
    /// "inserted by intervening data communications equipment"). Default 0: keep them.
    /// </summary>
    /// <remarks>
    /// 0 rather than the RFC 1662 §7.1 default map 0xffffffff, on purpose. A sender may always
    /// escape more than asked, so accepting raw control characters never loses a good frame,
    /// while filtering them does when the map and the peer disagree: a peer that has acked our
    /// map of 0 may send raw control characters in frames that arrive in the same read as its
    /// ConfAck, before LCP has updated this decoder, and filtering would turn each into an FCS
    /// error. Filtering only helps on lines whose equipment inserts characters (XON/XOFF flow
    /// control): set this to the map we asked the peer for (e.g. 0x000a0000) on such lines.
    /// </remarks>
    public uint ReceiveAccm
    {
        get => _receiveAccm;
        set
        {
            _receiveAccm = value;
            _specials = value == 0 ? s_flagOrEscape : BuildSpecials(value);
        }
    }

    /// <summary>FCS the peer appends; takes effect from the next frame that ends.</summary>
    public FcsKind Fcs { get; set; }

    /// <summary>The MRU: frames with more protocol + information octets are counted oversize and dropped.</summary>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        set
        {
            ValidateSize(value);
            _maxFrameSize = value;
            int size = BufferSize(value);
            if (size > _capacity)
            {
                // A configuration change, not per frame: keep what was collected so far.
                byte[] larger = new byte[size + Slack];
                _frame.AsSpan(0, _length).CopyTo(larger);
                _frame = larger;
                _capacity = size;
            }
        }
    }

    /// <summary>Receive statistics.</summary>
    public HdlcCounters Counters { get; } = new();

    /// <summary>For tests: take the byte-at-a-time reference path instead of the vector scan.</summary>
    internal bool UseScalarPath { get; set; }

    /// <summary>For tests: size of the frame buffer, which only a larger MaxFrameSize grows.</summary>
    internal int BufferCapacity => _frame.Length;

    /// <summary>
    /// Discards any frame in progress and hunts for the next flag, as after the line comes up
    /// (call it on lower-layer up or down). Counters are kept; <see cref="HdlcCounters.Clear"/> zeroes them.
    /// </summary>
    public void Reset()
    {
        _length = 0;
        _escaped = false;
        _hunting = true;
    }

    /// <summary>Pushes octets read from the line; calls <paramref name="handler"/> once per good frame completed.</summary>
    public void Decode(ReadOnlySpan<byte> input, IHdlcFrameHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Counters.LineOctets += input.Length;
        if (UseScalarPath)
        {
            DecodeScalar(input, handler);
            return;
        }

        while (!input.IsEmpty)
        {
            if (_hunting)
            {
                int flag = input.IndexOf(HdlcEscapeSet.Flag);
                if (flag < 0)
                {
                    return;
                }

                input = input[(flag + 1)..];
                StartFrame();
                continue;
            }

            if (_escaped)
            {
                AfterEscape(input[0]);
                input = input[1..];
                continue;
            }

            if (_receiveAccm == 0 && input.Length >= 16 && Vector128.IsHardwareAccelerated)
            {
                input = input[DecodeBlocks(input, handler)..];
                continue;
            }

            // Copy the run up to the next octet that needs a decision in one block.
            int next = input.IndexOfAny(_specials);
            int run = next < 0 ? input.Length : next;
            if (run > 0)
            {
                if (_length + run > _capacity)
                {
                    TooLong();
                    input = input[run..];
                    continue;
                }

                input[..run].CopyTo(_frame.AsSpan(_length));
                _length += run;
                input = input[run..];
            }

            if (next < 0)
            {
                return;
            }

            byte special = input[0];
            input = input[1..];
            Special(special, handler);
        }
    }

    // The common case (receive ACCM 0, inside a frame) 16 octets at a time: each block is
    // compared with 0x7d and 0x7e and stored whole at the end of the frame (the buffer has
    // Slack octets past its capacity for that); the frame length then advances only up to the
    // first special octet, which is handled here, and the scan resumes after it. Returns the
    // octets consumed; stops with fewer than 16 left, or on a state the general loop handles
    // (hunting after an overlong frame, or an escape as the last octet).
    private int DecodeBlocks(ReadOnlySpan<byte> input, IHdlcFrameHandler handler)
    {
        ref byte src = ref MemoryMarshal.GetReference(input);
        Vector128<byte> flag = Vector128.Create(HdlcEscapeSet.Flag);
        Vector128<byte> escape = Vector128.Create(HdlcEscapeSet.ControlEscape);
        int i = 0;
        while (input.Length - i >= 16)
        {
            Vector128<byte> v = Vector128.LoadUnsafe(ref src, (nuint)i);
            uint bits = (Vector128.Equals(v, flag) | Vector128.Equals(v, escape)).ExtractMostSignificantBits();
            int run = bits == 0 ? 16 : BitOperations.TrailingZeroCount(bits);
            if (_length + run > _capacity)
            {
                TooLong();
                return i + run;
            }

            v.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_frame), (nuint)_length);
            _length += run;
            i += run;
            if (bits == 0)
            {
                continue;
            }

            byte special = input[i++];
            if (special == HdlcEscapeSet.Flag)
            {
                EndFrame(handler);
                StartFrame();
                continue;
            }

            if (i == input.Length)
            {
                _escaped = true;
                return i;
            }

            byte next = input[i++];
            if (next == HdlcEscapeSet.Flag)
            {
                Counters.Aborted++;
                StartFrame();
                continue;
            }

            Append((byte)(next ^ HdlcEscapeSet.EscapeXor));
            if (_hunting)
            {
                return i;
            }
        }

        return i;
    }

    // The reference: one octet at a time, table FCS. Tests hold the fast path against it.
    private void DecodeScalar(ReadOnlySpan<byte> input, IHdlcFrameHandler handler)
    {
        foreach (byte b in input)
        {
            if (_hunting)
            {
                if (b == HdlcEscapeSet.Flag)
                {
                    StartFrame();
                }
            }
            else if (_escaped)
            {
                AfterEscape(b);
            }
            else if (b is HdlcEscapeSet.Flag or HdlcEscapeSet.ControlEscape || Accm.Contains(_receiveAccm, b))
            {
                Special(b, handler);
            }
            else
            {
                Append(b);
            }
        }
    }

    private void Special(byte special, IHdlcFrameHandler handler)
    {
        if (special == HdlcEscapeSet.Flag)
        {
            EndFrame(handler);
            StartFrame();
        }
        else if (special == HdlcEscapeSet.ControlEscape)
        {
            _escaped = true;
        }
        else
        {
            Counters.DroppedControlCharacters++;
        }
    }

    /// <summary>
    /// The octet after a Control Escape: a flag aborts the frame, a control character flagged in
    /// the receive ACCM is removed before unescaping (RFC 1662 §4.2), anything else is xor-ed
    /// with 0x20.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void AfterEscape(byte b)
    {
        if (b == HdlcEscapeSet.Flag)
        {
            Counters.Aborted++;
            StartFrame();
        }
        else if (Accm.Contains(_receiveAccm, b))
        {
            Counters.DroppedControlCharacters++;
        }
        else
        {
            _escaped = false;
            Append((byte)(b ^ HdlcEscapeSet.EscapeXor));
        }
    }

    private void Append(byte b)
    {
        if (_length == _capacity)
        {
            TooLong();
            return;
        }

        _frame[_length++] = b;
    }

    private void StartFrame()
    {
        _hunting = false;
        _escaped = false;
        _length = 0;
    }

    private void TooLong()
    {
        Counters.Oversize++;
        _hunting = true;
        _escaped = false;
        _length = 0;
    }

    //   [ff 03] proto(1|2) information... fcs(2|4)     (address/control optional: ACFC)
    private void EndFrame(IHdlcFrameHandler handler)
    {
        int length = _length;
        if (length == 0)
        {
            return; // time fill between frames
        }

        int fcsLength = Fcs.Length();
        if (length < 2 + fcsLength)
        {
            Counters.Runts++;
            return;
        }

        ReadOnlySpan<byte> frame = _frame.AsSpan(0, length);
        bool good = Fcs == FcsKind.Fcs32
            ? (UseScalarPath ? Fcs32.UpdateTable(Fcs32.Initial, frame) : Fcs32.Update(Fcs32.Initial, frame)) == Fcs32.GoodResidue
            : (UseScalarPath ? Fcs16.UpdateTable(Fcs16.Initial, frame) : Fcs16.Update(Fcs16.Initial, frame)) == Fcs16.GoodResidue;
        if (!good)
        {
            Counters.BadFcs++;
            return;
        }

        Deliver(frame[..^fcsLength], handler);
    }

    /// <summary>
    /// Synchronous framing: one datagram is one frame, without flags, escaping or FCS (the
    /// medium frames and checks it). Address/control and protocol are handled as in <see cref="Decode"/>.
    /// </summary>
    /// <remarks>
    /// <code>
    ///   [ff 03] protocol(1|2) information...
    /// </code>
    /// </remarks>
    public void DecodeSynchronous(ReadOnlySpan<byte> datagram, IHdlcFrameHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Counters.LineOctets += datagram.Length;
        if (datagram.IsEmpty)
        {
            Counters.Runts++;
            return;
        }

        if (datagram.Length > _maxFrameSize + HeaderAllowance)
        {
            Counters.Oversize++;
            return;
        }

        Deliver(datagram, handler);
    }

    private void Deliver(ReadOnlySpan<byte> frame, IHdlcFrameHandler handler)
    {
        // RFC 1662 §3.1: address 0xff (all stations), control 0x03 (UI); absent under ACFC.
        // A protocol's first octet is even (RFC 1661 §2), so it cannot be mistaken for 0xff.
        if (frame[0] == AllStationsAddress)
        {
            if (frame.Length < 2 || frame[1] != UnnumberedInformation)
            {
                Counters.BadAddressControl++;
                return;
            }

            frame = frame[2..];
        }

        // RFC 1661 §2 and §6.5: an odd first octet is a compressed one-octet protocol; otherwise
        // two octets whose low octet must be odd.
        if (frame.IsEmpty)
        {
            Counters.Runts++;
            return;
        }

        ushort protocol;
        int protocolLength;
        if ((frame[0] & 1) != 0)
        {
            protocol = frame[0];
            protocolLength = 1;
        }
        else if (frame.Length < 2)
        {
            Counters.Runts++;
            return;
        }
        else if ((frame[1] & 1) == 0)
        {
            Counters.BadProtocol++;
            return;
        }
        else
        {
            protocol = (ushort)((frame[0] << 8) | frame[1]);
            protocolLength = 2;
        }

        if (frame.Length > _maxFrameSize)
        {
            Counters.Oversize++;
            return;
        }

        Counters.Frames++;
        Counters.Octets += frame.Length;
        handler.OnFrame(protocol, frame[protocolLength..]);
    }

    private static SearchValues<byte> BuildSpecials(uint accm)
    {
        var values = new List<byte> { HdlcEscapeSet.ControlEscape, HdlcEscapeSet.Flag };
        for (int b = 0; b < 0x20; b++)
        {
            if (((accm >> b) & 1) != 0)
            {
                values.Add((byte)b);
            }
        }

        return SearchValues.Create(values.ToArray());
    }

    private static int BufferSize(int maxFrameSize) => maxFrameSize + HeaderAllowance + MaxFcsLength;

    private static void ValidateSize(int maxFrameSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFrameSize, Limit);
    }
}
