using System.Buffers;

namespace Ppp.Daemon.Daemon;

/// <summary>What a <c>~</c> escape typed in terminal mode asks for.</summary>
internal enum TerminalEscape
{
    None,

    /// <summary><c>~?</c>: list the escapes.</summary>
    Help,

    /// <summary><c>~p</c>: start PPP on the line now (the peer waits for us to speak first).</summary>
    PacketMode,

    /// <summary><c>~t</c>: show the timers.</summary>
    Timers,

    /// <summary><c>~m</c>: show the memory statistics.</summary>
    Memory,

    /// <summary><c>~.</c>: close the device and go back to the prompt.</summary>
    Leave,
}

/// <summary>
/// The keyboard side of <c>term</c>, as ppp(8) and cu(1) have it: typed bytes go to the device
/// as they are, except that a <c>~</c> at the start of a line (the first byte, or right after
/// CR or LF) is held and read with the next byte as an escape. <c>~~</c> sends one <c>~</c>;
/// a <c>~</c> followed by anything else sends both, so a line may still start with a tilde.
/// Pure: no I/O, state kept across calls.
/// </summary>
internal sealed class TerminalEscapes
{
    private const byte Tilde = (byte)'~';

    /// <summary>ppp(8)'s escape list, printed for <c>~?</c>.</summary>
    public const string HelpText =
        "~.  leave terminal mode (the device is closed)\n" +
        "~p  enter packet mode (start PPP on the line)\n" +
        "~t  show timers\n" +
        "~m  show memory\n" +
        "~~  send a ~\n" +
        "~?  this help\n";

    private bool _atLineStart = true;
    private bool _afterTilde;

    /// <summary>
    /// Splits <paramref name="typed"/>: what goes to the device is written to
    /// <paramref name="toDevice"/>, up to and including the first escape, which is returned in
    /// <paramref name="escape"/> (<see cref="TerminalEscape.None"/> when there was none).
    /// Returns how many bytes were used: the rest is for after the escape has been acted on.
    /// </summary>
    public int Process(ReadOnlySpan<byte> typed, IBufferWriter<byte> toDevice, out TerminalEscape escape)
    {
        ArgumentNullException.ThrowIfNull(toDevice);
        escape = TerminalEscape.None;
        int runStart = 0;
        for (int i = 0; i < typed.Length; i++)
        {
            byte b = typed[i];
            if (_afterTilde)
            {
                _afterTilde = false;
                escape = b switch
                {
                    (byte)'.' => TerminalEscape.Leave,
                    (byte)'p' => TerminalEscape.PacketMode,
                    (byte)'t' => TerminalEscape.Timers,
                    (byte)'m' => TerminalEscape.Memory,
                    (byte)'?' => TerminalEscape.Help,
                    _ => TerminalEscape.None,
                };
                if (escape != TerminalEscape.None)
                {
                    // The user is still at the start of a line after a local command.
                    _atLineStart = true;
                    return i + 1;
                }
                toDevice.Write(b == Tilde ? [Tilde] : (ReadOnlySpan<byte>)[Tilde, b]);
                _atLineStart = IsLineEnd(b);
                runStart = i + 1;
                continue;
            }
            if (_atLineStart && b == Tilde)
            {
                toDevice.Write(typed[runStart..i]);
                _afterTilde = true;
                _atLineStart = false;
                runStart = i + 1;
                continue;
            }
            _atLineStart = IsLineEnd(b);
        }
        toDevice.Write(typed[runStart..]);
        return typed.Length;
    }

    private static bool IsLineEnd(byte b) => b is (byte)'\r' or (byte)'\n';
}
