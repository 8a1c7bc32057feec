namespace Ppp.Chat;

/// <summary>
/// The most recent input bytes of one expect, enough to see whether any pattern ends at the
/// byte just added. Only the last <c>longest - 1</c> bytes can start a future match, so the
/// window keeps those and drops the rest when it fills: memory stays bounded by the longest
/// pattern however long the modem talks (chat(8) keeps a fixed buffer for the same reason).
/// </summary>
internal sealed class MatchWindow
{
    private byte[] _buffer = new byte[64];
    private int _length;
    private int _keep = 1;

    /// <summary>Empties the window for a new expect whose longest pattern (expect, ABORT or REPORT) is <paramref name="longest"/> bytes.</summary>
    public void Reset(int longest)
    {
        _keep = Math.Max(1, longest);
        if (_buffer.Length < 2 * _keep)
            _buffer = new byte[2 * _keep];
        _length = 0;
    }

    public int Capacity => _buffer.Length;

    public void Append(byte value)
    {
        if (_length == _buffer.Length)
        {
            _buffer.AsSpan(_length - (_keep - 1), _keep - 1).CopyTo(_buffer);
            _length = _keep - 1;
        }
        _buffer[_length++] = value;
    }

    public bool EndsWith(ReadOnlySpan<byte> pattern) =>
        pattern.Length > 0 && _length >= pattern.Length && _buffer.AsSpan(_length - pattern.Length, pattern.Length).SequenceEqual(pattern);
}
