using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Ppp.Tun.Interop;

namespace Ppp.Tun.Files;

/// <summary>
/// A file opened with O_APPEND, written one whole record per write(2): the kernel moves to the
/// end of the file and writes in one step, so records from several processes sharing the file
/// (two daemons on one PPP_LOGFILE under inetd or socat) never overwrite or splice each other.
/// A FileStream keeps its own position and writes there, which loses the other writer's lines.
/// </summary>
internal sealed class AppendOnlyFile : IDisposable
{
    private const int O_APPEND = 0x400;
    private const int Mode0644 = 0x1a4;

    private readonly SafeFileHandle _handle;

    private AppendOnlyFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>Opens (creating with mode 0644) <paramref name="path"/> for appending; an <see cref="IOException"/> names the path.</summary>
    public static AppendOnlyFile Open(string path)
    {
        int fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CREAT | O_APPEND | Libc.O_CLOEXEC, Mode0644);
        if (fd < 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), $"open {path}");
        return new AppendOnlyFile(new SafeFileHandle(fd, ownsHandle: true));
    }

    /// <summary>
    /// Appends <paramref name="record"/> in one write (retried on EINTR). A short write (a full
    /// disk) writes the rest after it; an error is an <see cref="IOException"/>.
    /// </summary>
    public unsafe void Append(ReadOnlySpan<byte> record)
    {
        while (!record.IsEmpty)
        {
            nint n;
            fixed (byte* p = record)
                n = Libc.Write(_handle, p, (nuint)record.Length);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                    continue;
                throw Errno.Exception(errno, "write");
            }
            record = record[(int)n..];
        }
    }

    public void Dispose() => _handle.Dispose();
}
