using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Ppp.Tun.Interop;

namespace Ppp.Tun.Tty;

/// <summary>
/// Reading a descriptor that may be a terminal or a pipe (the interactive prompt's standard
/// input) with a timeout, and putting a terminal into character-at-a-time mode. The daemon's
/// prompt and <c>term</c> are built on these; the descriptor is never made non-blocking,
/// because a terminal's file description is shared with the shell that started us.
/// </summary>
internal static class InputDescriptor
{
    /// <summary>
    /// Waits up to <paramref name="timeout"/> for input. True when a read will not block: data,
    /// end of file, a hang-up, or a descriptor that is not open (the read then says which).
    /// </summary>
    public static unsafe bool WaitReadable(SafeFileHandle fd, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(fd);
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            var pfd = new Libc.PollFd { Fd = (int)fd.DangerousGetHandle(), Events = Libc.POLLIN };
            int rc = Libc.Poll(&pfd, 1, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));
            if (rc >= 0)
                return rc > 0;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.EINTR)
                return false;
            throw Errno.Exception(errno, "poll");
        }
        finally
        {
            if (added)
                fd.DangerousRelease();
        }
    }

    /// <summary>
    /// One read: the count, 0 at end of input (end of file, EIO from a terminal whose session
    /// ended, or a descriptor that is not open), or -1 when nothing was there after all.
    /// </summary>
    public static unsafe int Read(SafeFileHandle fd, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(fd);
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
                n = Libc.Read(fd, p, (nuint)buffer.Length);
            if (n >= 0)
                return (int)n;
            int errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case Libc.EINTR:
                    continue;
                case Libc.EAGAIN:
                    return -1;
                case Libc.EIO or EBADF:
                    return 0;
                default:
                    throw Errno.Exception(errno, "read");
            }
        }
    }

    private const int EBADF = 9;

    /// <summary>
    /// When <paramref name="fd"/> is a terminal: no line editing, no echo, no signal keys and
    /// no flow control, so every key (Ctrl-C included) is read as typed, as cu(1) has it.
    /// Output processing stays on, so lines written to the terminal still start at the margin.
    /// Disposing the result puts the settings back. Anything else (a pipe) is left alone.
    /// </summary>
    public static unsafe IDisposable EnterCharacterMode(SafeFileHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        if (!Termios.IsSupportedArchitecture || Termios.Get(fd, out var original) != 0)
            return Restorer.None;
        var raw = original;
        raw.LFlag &= ~(Termios.ICANON | Termios.ECHO | Termios.ECHOE | Termios.ECHOK | Termios.ECHONL | Termios.ISIG | Termios.IEXTEN);
        raw.IFlag &= ~(Termios.ICRNL | Termios.INLCR | Termios.IGNCR | Termios.IXON | Termios.IXOFF | Termios.ISTRIP);
        raw.ControlChars[Termios.VMIN] = 1;
        raw.ControlChars[Termios.VTIME] = 0;
        int errno = Termios.Set(fd, raw);
        if (errno != 0)
            throw Errno.Exception(errno, "tcsetattr");
        return new Restorer(fd, original);
    }

    private sealed class Restorer(SafeFileHandle? fd, Termios.Kernel original) : IDisposable
    {
        public static readonly Restorer None = new(null, default);

        private int _restored;

        public void Dispose()
        {
            if (fd is not null && Interlocked.Exchange(ref _restored, 1) == 0)
                _ = Termios.Set(fd, original);
        }
    }
}
