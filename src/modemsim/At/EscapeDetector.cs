namespace Ppp.ModemSim.At;

/// <summary>
/// The Hayes "+++" escape with guard time: a pause of at least the guard time, three escape
/// characters (S2) each within the guard time of the one before, then another pause. Data
/// that merely contains "+++" (a PPP frame can) does not escape. Times are milliseconds on
/// any monotonic clock, so tests feed them directly.
/// </summary>
internal sealed class EscapeDetector
{
    private long _lastData;
    private long _lastEscape;
    private int _count;

    public EscapeDetector(long now) => _lastData = now;

    /// <summary>Takes the octets from the DTE in online mode.</summary>
    public void Feed(ReadOnlySpan<byte> data, long now, byte escape, long guardMs)
    {
        foreach (byte b in data)
        {
            bool continues = b == escape && (_count == 0 ? now - _lastData >= guardMs : _count < 3 && now - _lastEscape < guardMs);
            if (continues)
            {
                _count++;
                _lastEscape = now;
            }
            else
            {
                _count = 0;
                _lastData = now;
            }
        }
    }

    /// <summary>True once "+++" has been followed by the guard time with no other octet; then rearms.</summary>
    public bool Escaped(long now, long guardMs)
    {
        if (_count < 3 || now - _lastEscape < guardMs)
            return false;
        _count = 0;
        _lastData = now;
        return true;
    }
}
