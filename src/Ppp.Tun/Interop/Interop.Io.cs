using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ppp.Tun.Interop;

/// <summary>
/// libc file-descriptor calls shared by every device: open/close/read/write/poll/ioctl and
/// eventfd (the wake-up for a thread waiting in poll). Errors come back as -1 with errno from
/// <see cref="Marshal.GetLastPInvokeError"/>; callers turn them into exceptions with
/// <see cref="Errno.Exception"/>.
/// </summary>
internal static partial class Libc
{
    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_RDWR = 0x2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;
    public const int O_TRUNC = 0x200;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EAGAIN = 11;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int ESRCH = 3;
    public const int ENOENT = 2;

    public const short POLLIN = 0x001;
    public const short POLLOUT = 0x004;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(SafeFileHandle fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(SafeFileHandle fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(SafeFileHandle fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeFileHandle fd, nuint request, nint argument);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(SafeFileHandle fd, int command, int argument);

    public const int F_GETFL = 3;
    public const int F_SETFL = 4;

    /// <summary>Opens a path as an owned handle, or throws an <see cref="IOException"/> naming it.</summary>
    public static SafeFileHandle OpenHandle(string path, int flags)
    {
        int fd = Open(path, flags | O_CLOEXEC, 0);
        if (fd < 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), $"open {path}");
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}

/// <summary>errno values turned into messages and exceptions.</summary>
internal static partial class Errno
{
    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial nint StrError(int errno);

    public static string Message(int errno) =>
        Marshal.PtrToStringUTF8(StrError(errno)) ?? $"errno {errno}";

    /// <summary>An IOException whose message reads "what: strerror (errno N)"; HResult is errno.</summary>
    public static IOException Exception(int errno, string what) =>
        new($"{what}: {Message(errno)} (errno {errno})", errno);
}
