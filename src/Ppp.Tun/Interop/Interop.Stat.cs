using System.Runtime.InteropServices;

namespace Ppp.Tun.Interop;

internal static partial class Libc
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_TYPE = 0x1;
    private const int S_IFMT = 0xF000;
    private const int S_IFSOCK = 0xC000;

    /// <summary>statx(2)'s buffer is 256 octets on every architecture; stx_mode is the u16 at 28.</summary>
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>
    /// True when <paramref name="path"/> itself (not a link's target) is a Unix-domain socket:
    /// a stale diagnostic socket may be removed, any other file never. statx rather than stat
    /// because its layout is the same on every architecture.
    /// </summary>
    public static unsafe bool IsSocket(string path)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, buffer) != 0)
            return false;
        int mode = *(ushort*)(buffer + StatxModeOffset);
        return (mode & S_IFMT) == S_IFSOCK;
    }
}
