using System.Buffers;
using Ppp.Core.Framing;
using Ppp.Core.Wire;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The line side of <c>term</c>: what the device says is shown as it comes, until the peer
/// starts PPP. A flag (7e) followed by the start of an LCP frame's header (ff 03, ff 7d 23 or,
/// compressed, c0 21) is held back instead of shown; when the next flag closes it and
/// Ppp.Core's decoder finds a good LCP frame there (FCS checked), PPP is detected and every
/// byte from that frame's opening flag on is kept for PPP (<see cref="Drain"/>). Anything
/// else held is shown after all, so a tilde in a login banner costs nothing but a byte's
/// delay. Called by the line's reader thread, and by the terminal for <see cref="FlushStale"/>.
/// </summary>
internal sealed class TerminalSink : IHandOverSink
{
    private const byte Flag = HdlcEscapeSet.Flag;

    /// <summary>A whole default-MRU frame with every octet escaped: beyond this, it is not a frame we want.</summary>
    private const int MaxHeld = (2 * (1500 + 8)) + 2;

    private static readonly byte[][] s_headers =
    [
        [0xff, 0x7d, 0x23, 0xc0, 0x21],
        [0xff, 0x03, 0xc0, 0x21],
        [0xc0, 0x21],
    ];

    private readonly Action<ReadOnlySpan<byte>> _show;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _held = new(256);
    private readonly HdlcDecoder _decoder = new();
    private readonly LcpFrameCheck _check = new();
    private bool _headerMatched;
    private bool _receivedSinceCheck;
    private bool _closed;
    private volatile bool _detected;

    /// <param name="show">Writes line bytes to the screen; the span is lent for the call.</param>
    public TerminalSink(Action<ReadOnlySpan<byte>> show) => _show = show;

    /// <summary>True once a good LCP frame came: the peer speaks PPP.</summary>
    public bool PacketDetected => _detected;

    public void Receive(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_closed)
                return;
            _receivedSinceCheck = true;
            if (_detected)
            {
                _held.Write(data);
                return;
            }
            int shownUpTo = 0;
            for (int i = 0; i < data.Length; i++)
            {
                byte b = data[i];
                if (_held.WrittenCount == 0)
                {
                    if (b == Flag)
                    {
                        Show(data[shownUpTo..i]);
                        _held.Write([Flag]);
                        shownUpTo = i + 1;
                    }
                    continue;
                }
                shownUpTo = i + 1;
                if (b == Flag)
                {
                    if (_headerMatched && HoldsLcpFrame())
                    {
                        // The closing flag and everything after it go to PPP too.
                        _detected = true;
                        _held.Write(data[i..]);
                        return;
                    }
                    ShowHeld();
                    _held.Write([Flag]);
                    continue;
                }
                _held.Write([b]);
                if (_headerMatched)
                {
                    if (_held.WrittenCount > MaxHeld)
                        ShowHeld();
                    continue;
                }
                switch (MatchHeader(_held.WrittenSpan[1..]))
                {
                    case true:
                        _headerMatched = true;
                        break;
                    case null:
                        ShowHeld();
                        break;
                }
            }
            if (_held.WrittenCount == 0)
                Show(data[shownUpTo..]);
        }
    }

    /// <summary>
    /// Shows a flag and partial header held since before the last call when nothing has come
    /// since: a line that ends in a tilde (a shell prompt) must not wait for the next byte. A
    /// frame whose header a slow line split across such a pause is missed, and the peer's
    /// next Configure-Request is caught instead.
    /// </summary>
    public void FlushStale()
    {
        lock (_lock)
        {
            bool stale = !_receivedSinceCheck;
            _receivedSinceCheck = false;
            if (stale && !_detected && !_closed && !_headerMatched && _held.WrittenCount > 0)
                ShowHeld();
        }
    }

    /// <summary>What was held back (the frames PPP detection saw, or a partial one) goes to PPP.</summary>
    public void Drain(ILineSink next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_lock)
        {
            if (_held.WrittenCount > 0)
                next.Receive(_held.WrittenSpan);
            _held.Clear();
            _headerMatched = false;
        }
    }

    public void Close()
    {
        lock (_lock)
            _closed = true;
    }

    /// <summary>True: a whole LCP header; false: the start of one so far; null: no frame of ours.</summary>
    private static bool? MatchHeader(ReadOnlySpan<byte> header)
    {
        bool prefix = false;
        foreach (byte[] candidate in s_headers)
        {
            if (header.SequenceEqual(candidate))
                return true;
            prefix |= candidate.AsSpan().StartsWith(header);
        }
        return prefix ? false : null;
    }

    private bool HoldsLcpFrame()
    {
        _decoder.Reset();
        _check.Found = false;
        _decoder.Decode(_held.WrittenSpan, _check);
        _decoder.Decode([Flag], _check);
        return _check.Found;
    }

    private void ShowHeld()
    {
        Show(_held.WrittenSpan);
        _held.Clear();
        _headerMatched = false;
    }

    private void Show(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return;
        try
        {
            _show(bytes);
        }
        catch (IOException)
        {
            // The screen went away; the line is still the terminal's until it leaves.
        }
    }

    private sealed class LcpFrameCheck : IHdlcFrameHandler
    {
        public bool Found { get; set; }

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
        {
            if (protocol == (ushort)PppProtocol.Lcp)
                Found = true;
        }
    }
}
