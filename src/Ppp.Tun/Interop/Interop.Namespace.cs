using System.Runtime.InteropServices;

namespace Ppp.Tun.Interop;

/// <summary>setns(2): move the calling thread (only that thread) into another namespace.</summary>
internal static partial class Namespace
{
    public const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nsType);
}
