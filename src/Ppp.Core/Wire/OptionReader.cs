namespace Ppp.Core.Wire;

/// <summary>
/// Walks the option list of a Configure-Request/Ack/Nak/Reject (RFC 1661 §6).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type      |    Length     |    Data ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Length counts Type and Length. A Length below 2 or past the end makes the whole list
/// malformed: <see cref="TryRead"/> returns false and <see cref="IsMalformed"/> is set.
/// Spans returned are borrowed from the input.
/// </summary>
public ref struct OptionReader
{
    private ReadOnlySpan<byte> _remaining;

    public OptionReader(ReadOnlySpan<byte> options)
    {
        _remaining = options;
        IsMalformed = false;
    }

    public bool IsMalformed { get; private set; }

    /// <summary>Reads the next option. <paramref name="whole"/> is type, length and data.</summary>
    public bool TryRead(out byte type, out ReadOnlySpan<byte> data, out ReadOnlySpan<byte> whole)
    {
        type = 0;
        data = default;
        whole = default;
        if (_remaining.IsEmpty || IsMalformed)
            return false;
        if (_remaining.Length < 2 || _remaining[1] < 2 || _remaining[1] > _remaining.Length)
        {
            IsMalformed = true;
            return false;
        }
        int length = _remaining[1];
        type = _remaining[0];
        whole = _remaining[..length];
        data = _remaining[2..length];
        _remaining = _remaining[length..];
        return true;
    }

    public bool TryRead(out byte type, out ReadOnlySpan<byte> data) => TryRead(out type, out data, out _);

    /// <summary>True when the whole list parses; an empty list is well formed.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> options)
    {
        var reader = new OptionReader(options);
        while (reader.TryRead(out _, out _))
        {
        }
        return !reader.IsMalformed;
    }
}
