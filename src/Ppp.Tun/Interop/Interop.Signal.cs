using System.Runtime.InteropServices;

namespace Ppp.Tun.Interop;

/// <summary>kill(2), here only with signal 0: "does this process exist".</summary>
internal static partial class Signal
{
    public const int EPERM = 1;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>
    /// True unless kill(pid, 0) says ESRCH: EPERM means it exists but belongs to someone else.
    /// </summary>
    public static bool ProcessExists(int pid)
    {
        if (pid <= 0)
            return false;
        return Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != Libc.ESRCH;
    }
}
