using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Ppp.Tun.Interop;

namespace Ppp.Tun.Tty;

/// <summary>
/// A serial line or pty in raw mode. The descriptor stays non-blocking and every wait is a
/// poll() with a timeout that also watches an eventfd, so no call can hang on a modem without
/// carrier, a peer that stopped reading, or hardware flow control that never clears:
/// <see cref="Shutdown"/> wakes any thread waiting in <see cref="Read"/> or <see cref="Write"/>.
/// One reader thread and one writer thread may use it at once. The line's original termios
/// is put back on <see cref="Dispose"/>.
/// </summary>
internal sealed class TtyPort : IDisposable
{
    private readonly SafeFileHandle _fd;
    private readonly SafeFileHandle _wake;
    private readonly Termios.Kernel _original;
    private readonly bool _ownsHandle;
    private readonly bool _restoreTermios;
    private volatile bool _shutdown;
    private int _disposed;

    private TtyPort(SafeFileHandle fd, SafeFileHandle wake, string path, bool isPty, in Termios.Kernel original, TtySettings effective,
        bool ownsHandle, bool restoreTermios)
    {
        _fd = fd;
        _wake = wake;
        _original = original;
        _ownsHandle = ownsHandle;
        _restoreTermios = restoreTermios;
        Path = path;
        IsPty = isPty;
        Effective = effective;
    }

    public string Path { get; }

    /// <summary>A pseudo-terminal (either side): no modem lines, no speed, no parity.</summary>
    public bool IsPty { get; }

    /// <summary>The settings as the driver took them (read back after setting): a pty keeps the
    /// speed and CRTSCTS bits but clears parity; a UART driver may refuse CMSPAR.</summary>
    public TtySettings Effective { get; }

    /// <summary>True once <see cref="Shutdown"/> (or <see cref="Dispose"/>) has been called.</summary>
    public bool IsShutdown => _shutdown;

    /// <summary>
    /// Opens a terminal device (O_NONBLOCK, so a line without carrier cannot hang the open;
    /// O_NOCTTY, so it never becomes our controlling terminal) and puts it in raw mode.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid (for example the speed).</exception>
    /// <exception cref="IOException">The path cannot be opened or is not a terminal.</exception>
    public static TtyPort Open(string path, TtySettings settings)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(settings);
        // Checked before the open, which on a modem line can already toggle DTR.
        string? invalid = settings.Validate();
        if (invalid is not null)
            throw new ArgumentException($"{path}: {invalid}", nameof(settings));
        if (!Termios.IsSupportedArchitecture)
            throw new PlatformNotSupportedException($"termios constants are not known for {RuntimeInformation.ProcessArchitecture}");
        SafeFileHandle fd = Libc.OpenHandle(path, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);
        try
        {
            return Configure(fd, path, IsPtyDescriptor(fd), settings);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A port over a pty master that a <see cref="PtyPair"/> owns: Dispose does not close it.
    /// Its termios is left alone, because on Linux termios calls on a master act on the slave
    /// (which the pair has already made raw, and which a port on the slave path configures).
    /// </summary>
    internal static TtyPort AdoptMaster(SafeFileHandle master, string name)
    {
        int errno = Termios.Get(master, out Termios.Kernel current);
        if (errno != 0)
            throw Errno.Exception(errno, $"tcgetattr {name}");
        return new TtyPort(master, CreateWake(), name, isPty: true, current, Describe(current), ownsHandle: false, restoreTermios: false);
    }

    private static TtyPort Configure(SafeFileHandle fd, string path, bool isPty, TtySettings settings)
    {
        int errno = Termios.Get(fd, out Termios.Kernel original);
        if (errno == Termios.ENOTTY)
            throw new IOException($"{path} is not a terminal", errno);
        if (errno != 0)
            throw Errno.Exception(errno, $"tcgetattr {path}");

        SafeFileHandle wake = CreateWake();
        try
        {
            Termios.Kernel wanted = original;
            MakeRaw(ref wanted, settings);
            errno = Termios.Set(fd, wanted);
            if (errno != 0)
                throw Errno.Exception(errno, $"tcsetattr {path}");
            errno = Termios.Get(fd, out Termios.Kernel applied);
            if (errno != 0)
                throw Errno.Exception(errno, $"tcgetattr {path}");
            return new TtyPort(fd, wake, path, isPty, original, Describe(applied), ownsHandle: true, restoreTermios: true);
        }
        catch
        {
            _ = Termios.Set(fd, original);
            wake.Dispose();
            throw;
        }
    }

    /// <summary>
    /// cfmakeraw plus the line settings: no input or output processing, no echo, no signals,
    /// no software flow control (PPP escapes XON/XOFF through the ACCM instead), 8 data bits,
    /// 1 stop bit. With parity on, the parity bit is generated but not checked on input: a
    /// damaged octet is caught by the frame's FCS anyway.
    /// </summary>
    internal static unsafe void MakeRaw(ref Termios.Kernel termios, TtySettings settings)
    {
        termios.IFlag &= ~(Termios.IGNBRK | Termios.BRKINT | Termios.PARMRK | Termios.INPCK | Termios.ISTRIP
            | Termios.INLCR | Termios.IGNCR | Termios.ICRNL | Termios.IUCLC | Termios.IXON | Termios.IXANY
            | Termios.IXOFF | Termios.IMAXBEL);
        termios.OFlag &= ~Termios.OPOST;
        termios.LFlag &= ~(Termios.ECHO | Termios.ECHOE | Termios.ECHOK | Termios.ECHONL | Termios.ICANON
            | Termios.ISIG | Termios.IEXTEN);
        termios.CFlag &= ~(Termios.CSIZE | Termios.CSTOPB | Termios.PARENB | Termios.PARODD | Termios.CMSPAR
            | Termios.CRTSCTS | Termios.CLOCAL);
        termios.CFlag |= Termios.CS8 | Termios.CREAD;
        termios.CFlag |= settings.Parity switch
        {
            TtyParity.Even => Termios.PARENB,
            TtyParity.Odd => Termios.PARENB | Termios.PARODD,
            TtyParity.Mark => Termios.PARENB | Termios.PARODD | Termios.CMSPAR,
            _ => 0u,
        };
        if (settings.CtsRts)
            termios.CFlag |= Termios.CRTSCTS;
        if (settings.Local)
            termios.CFlag |= Termios.CLOCAL;
        if (settings.Speed is int speed)
            // CIBAUD zero means "input speed = output speed".
            termios.CFlag = (termios.CFlag & ~(Termios.CBAUD | Termios.CIBAUD)) | Termios.SpeedCode(speed);
        termios.ControlChars[Termios.VMIN] = 1;
        termios.ControlChars[Termios.VTIME] = 0;
    }

    /// <summary>The line settings a termios holds (speed null for B0 or a non-standard rate).</summary>
    internal static TtySettings Describe(in Termios.Kernel termios)
    {
        uint c = termios.CFlag;
        TtyParity parity = (c & Termios.PARENB) == 0 ? TtyParity.None
            // Space parity (CMSPAR without PARODD) is never requested, so it reads as none.
            : (c & Termios.CMSPAR) != 0 ? ((c & Termios.PARODD) != 0 ? TtyParity.Mark : TtyParity.None)
            : (c & Termios.PARODD) != 0 ? TtyParity.Odd : TtyParity.Even;
        return new TtySettings
        {
            Speed = Termios.SpeedOf(c),
            Parity = parity,
            CtsRts = (c & Termios.CRTSCTS) != 0,
            Local = (c & Termios.CLOCAL) != 0,
        };
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> for no
    /// limit) for input and reads what is there. Returns 0 on timeout, on an empty buffer and
    /// after <see cref="Shutdown"/>. Allocates nothing unless it throws.
    /// </summary>
    /// <exception cref="EndOfStreamException">The line hung up: end of file (a pty slave whose
    /// master closed, a modem line that lost carrier without CLOCAL) or EIO (a pty master whose
    /// slave closed).</exception>
    public unsafe int Read(Span<byte> buffer, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        long deadline = Deadline(timeout);
        if (buffer.IsEmpty || _shutdown)
            return 0;

        bool fdRef = false, wakeRef = false;
        try
        {
            _fd.DangerousAddRef(ref fdRef);
            _wake.DangerousAddRef(ref wakeRef);
            int fd = (int)_fd.DangerousGetHandle();
            int wake = (int)_wake.DangerousGetHandle();
            while (true)
            {
                short revents = Wait(fd, wake, Libc.POLLIN, deadline, out bool woken);
                if (woken || revents == 0)
                    return 0;
                nint n;
                fixed (byte* p = buffer)
                    n = Libc.Read(_fd, p, (nuint)buffer.Length);
                if (n > 0)
                    return (int)n;
                if (n == 0)
                    throw new EndOfStreamException($"{Path}: hang-up (end of file)");
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EIO)
                    throw new EndOfStreamException($"{Path}: hang-up (EIO)");
                if (errno == Libc.EAGAIN && (revents & (Libc.POLLHUP | Libc.POLLERR)) != 0)
                    throw new EndOfStreamException($"{Path}: hang-up (poll)");
                if (errno is not (Libc.EAGAIN or Libc.EINTR))
                    throw Errno.Exception(errno, $"read {Path}");
            }
        }
        finally
        {
            if (wakeRef)
                _wake.DangerousRelease();
            if (fdRef)
                _fd.DangerousRelease();
        }
    }

    /// <summary>
    /// Writes all of <paramref name="data"/>, waiting for the line whenever its output queue is
    /// full. On <see cref="TimeoutException"/> or <see cref="OperationCanceledException"/> a
    /// prefix of the data may already be on the line. Allocates nothing unless it throws.
    /// </summary>
    /// <exception cref="TimeoutException">The line would not take the data in time (nobody
    /// reads the other side, or CTS stays low).</exception>
    /// <exception cref="OperationCanceledException"><see cref="Shutdown"/> was called.</exception>
    /// <exception cref="IOException">The line hung up.</exception>
    public unsafe void Write(ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        long deadline = Deadline(timeout);
        if (_shutdown)
            throw new OperationCanceledException($"{Path}: shut down");

        bool fdRef = false, wakeRef = false;
        try
        {
            _fd.DangerousAddRef(ref fdRef);
            _wake.DangerousAddRef(ref wakeRef);
            int fd = (int)_fd.DangerousGetHandle();
            int wake = (int)_wake.DangerousGetHandle();
            int written = 0;
            while (written < data.Length)
            {
                nint n;
                fixed (byte* p = data)
                    n = Libc.Write(_fd, p + written, (nuint)(data.Length - written));
                if (n > 0)
                {
                    written += (int)n;
                    continue;
                }
                int errno = n == 0 ? Libc.EAGAIN : Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                    continue;
                if (errno == Libc.EIO)
                    throw new IOException($"{Path}: hang-up (EIO)", errno);
                if (errno != Libc.EAGAIN)
                    throw Errno.Exception(errno, $"write {Path}");

                short revents = Wait(fd, wake, Libc.POLLOUT, deadline, out bool woken);
                if (woken)
                    throw new OperationCanceledException($"{Path}: shut down with {written} of {data.Length} octets written");
                if (revents == 0)
                    throw new TimeoutException($"{Path}: the line took {written} of {data.Length} octets in {timeout}");
                if ((revents & Libc.POLLOUT) == 0 && (revents & (Libc.POLLHUP | Libc.POLLERR)) != 0)
                    throw new IOException($"{Path}: hang-up (poll)");
            }
        }
        finally
        {
            if (wakeRef)
                _wake.DangerousRelease();
            if (fdRef)
                _fd.DangerousRelease();
        }
    }

    /// <summary>Wakes every thread waiting in Read/Write/Hangup, now and from then on: Read
    /// returns 0 and Write throws <see cref="OperationCanceledException"/>.</summary>
    public unsafe void Shutdown()
    {
        _shutdown = true;
        if (_wake.IsClosed)
            return;
        ulong one = 1;
        // An eventfd counter never fills up at 1 per call, so this write cannot block or fail
        // except on a closed descriptor, which IsClosed ruled out.
        _ = Libc.Write(_wake, (byte*)&one, sizeof(ulong));
    }

    /// <summary>The carrier-detect line (TIOCM_CAR), or null when the device has no modem
    /// lines (a pty: TIOCMGET fails with ENOTTY) or they cannot be read (hung up).</summary>
    public bool? Carrier
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return Termios.GetModemLines(_fd, out int lines) == 0 ? (lines & Termios.TIOCM_CAR) != 0 : null;
        }
    }

    /// <summary>Raises or drops DTR. A device without modem lines (a pty) ignores it.</summary>
    public void SetDtr(bool on)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        int errno = Termios.ChangeModemLines(_fd, Termios.TIOCM_DTR, on);
        if (errno is not (0 or Termios.ENOTTY or Termios.EINVAL))
            throw Errno.Exception(errno, $"{(on ? "raise" : "drop")} DTR on {Path}");
    }

    /// <summary>
    /// Drops DTR for <paramref name="dropFor"/> (which makes a modem hang up) and raises it
    /// again; the wait ends early on <see cref="Shutdown"/>. Does nothing on a device without
    /// modem lines.
    /// </summary>
    public void Hangup(TimeSpan dropFor)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        long deadline = Deadline(dropFor);
        if (Termios.GetModemLines(_fd, out _) != 0)
            return;
        SetDtr(false);
        bool wakeRef = false;
        try
        {
            _wake.DangerousAddRef(ref wakeRef);
            // poll() ignores a negative descriptor, so this waits on the eventfd alone.
            _ = Wait(-1, (int)_wake.DangerousGetHandle(), 0, deadline, out _);
        }
        finally
        {
            if (wakeRef)
                _wake.DangerousRelease();
        }
        SetDtr(true);
    }

    /// <summary>Discards both the unread input and the unsent output (tcflush TCIOFLUSH).</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        int errno = Termios.FlushBoth(_fd);
        if (errno != 0)
            throw Errno.Exception(errno, $"tcflush {Path}");
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Shutdown();
        // Fails with EIO once the line has hung up; there is nothing left to restore then.
        if (_restoreTermios)
            _ = Termios.Set(_fd, _original);
        if (_ownsHandle)
            _fd.Dispose();
        _wake.Dispose();
    }

    private static unsafe short Wait(int fd, int wake, short events, long deadline, out bool woken)
    {
        Libc.PollFd* fds = stackalloc Libc.PollFd[2];
        while (true)
        {
            fds[0] = new Libc.PollFd { Fd = fd, Events = events };
            fds[1] = new Libc.PollFd { Fd = wake, Events = Libc.POLLIN };
            int rc = Libc.Poll(fds, 2, RemainingMilliseconds(deadline));
            if (rc < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                    continue;
                throw Errno.Exception(errno, "poll");
            }
            woken = fds[1].Revents != 0;
            return fds[0].Revents;
        }
    }

    private static SafeFileHandle CreateWake()
    {
        int fd = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (fd < 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), "eventfd");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static long Deadline(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
            return long.MaxValue;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
    }

    private static int RemainingMilliseconds(long deadline) =>
        deadline == long.MaxValue ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);

    private static bool IsPtyDescriptor(SafeFileHandle fd)
    {
        // /proc/self/fd/N names the device node itself, whatever symlink the caller opened.
        string? target = new FileInfo($"/proc/self/fd/{fd.DangerousGetHandle()}").LinkTarget;
        return target is not null && (target.StartsWith("/dev/pts/", StringComparison.Ordinal) || target == "/dev/ptmx");
    }
}
