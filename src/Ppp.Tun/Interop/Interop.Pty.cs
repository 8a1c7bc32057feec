using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ppp.Tun.Interop;

/// <summary>
/// UNIX98 pseudo-terminals: posix_openpt/grantpt/unlockpt/ptsname_r. Errors come back as -1
/// (ptsname_r: the errno itself) with errno from <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
internal static partial class Pty
{
    public const int F_SETFD = 2;
    public const int FD_CLOEXEC = 1;

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int OpenMaster(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    public static partial int Grant(SafeFileHandle master);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int Unlock(SafeFileHandle master);

    /// <summary>Returns 0, or the errno (ptsname_r reports it as its result, not via errno).</summary>
    [LibraryImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    public static unsafe partial int SlaveName(SafeFileHandle master, byte* buffer, nuint length);
}
