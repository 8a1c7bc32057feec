using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Ppp.Tun.Tty;

namespace Ppp.Daemon.Daemon;

/// <summary>What <see cref="TerminalInput.Fill"/> found.</summary>
internal enum TerminalInputState
{
    /// <summary><see cref="TerminalInput.Buffered"/> holds at least one byte.</summary>
    Data,

    /// <summary>Nothing came within the timeout.</summary>
    TimedOut,

    /// <summary>End of input (and nothing left buffered).</summary>
    End,
}

/// <summary>
/// The prompt's keyboard: one buffer over a file descriptor (standard input) that serves
/// command lines and, in <c>term</c>, raw bytes alike, so bytes typed (or piped) after
/// <c>term</c> reach the device instead of staying in a TextReader's buffer. Every wait is a
/// poll with a timeout, so a cancelled prompt stops within a tick. One reader thread at a time.
/// </summary>
internal sealed class TerminalInput
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly SafeFileHandle _fd;
    private readonly byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;
    private bool _ended;

    /// <param name="fd">Read only; the caller keeps it open for as long as this is used.</param>
    public TerminalInput(SafeFileHandle fd) => _fd = fd;

    /// <summary>File descriptor 0, not owned (closing it is the process's business).</summary>
    public static TerminalInput StandardInput() => new(new SafeFileHandle(0, ownsHandle: false));

    /// <summary>The bytes read and not yet consumed.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Marks the first <paramref name="count"/> buffered bytes as used.</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _end - _start);
        _start += count;
        if (_start == _end)
            _start = _end = 0;
    }

    /// <summary>
    /// Makes sure something is buffered: waits up to <paramref name="timeout"/> for the
    /// descriptor when the buffer is empty.
    /// </summary>
    public TerminalInputState Fill(TimeSpan timeout)
    {
        if (_end > _start)
            return TerminalInputState.Data;
        if (_ended)
            return TerminalInputState.End;
        if (!InputDescriptor.WaitReadable(_fd, timeout))
            return TerminalInputState.TimedOut;
        _start = 0;
        int n = InputDescriptor.Read(_fd, _buffer);
        _end = Math.Max(n, 0);
        if (n < 0)
            return TerminalInputState.TimedOut;
        if (n == 0)
        {
            _ended = true;
            return TerminalInputState.End;
        }
        return TerminalInputState.Data;
    }

    /// <summary>
    /// One command line without its end of line (LF, or CR LF); null at end of input. A last
    /// line with no LF still counts. Bytes after the line stay buffered.
    /// </summary>
    /// <exception cref="OperationCanceledException">The prompt is being stopped.</exception>
    public string? ReadLine(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = Fill(Tick);
            if (state == TerminalInputState.TimedOut)
                continue;
            if (state == TerminalInputState.End)
                return line.Count == 0 ? null : Decode(line);
            var buffered = Buffered;
            int newline = buffered.IndexOf((byte)'\n');
            int take = newline < 0 ? buffered.Length : newline;
            line.AddRange(buffered[..take]);
            Consume(newline < 0 ? take : take + 1);
            if (newline >= 0)
                return Decode(line);
        }
    }

    private static string Decode(List<byte> line)
    {
        var bytes = CollectionsMarshal.AsSpan(line);
        if (bytes.Length > 0 && bytes[^1] == '\r')
            bytes = bytes[..^1];
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// When the input is a terminal, every key goes to the device as typed (no line editing,
    /// echo or signal keys; the device echoes) until the result is disposed. A pipe is left alone.
    /// </summary>
    public IDisposable EnterRawMode() => InputDescriptor.EnterCharacterMode(_fd);
}
