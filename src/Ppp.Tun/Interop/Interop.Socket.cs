using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ppp.Tun.Interop;

/// <summary>
/// The BSD socket calls the netlink code needs (socket/bind/send/recv/setsockopt/getsockname),
/// on raw fds wrapped in <see cref="SafeFileHandle"/> so close and lifetime work as for files.
/// </summary>
internal static partial class Socket
{
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_ROUTE = 0;

    public const int SOL_SOCKET = 1;
    public const int SO_RCVTIMEO = 20;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_EXT_ACK = 11;

    public const int MSG_TRUNC = 0x20;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockAddrNetlink
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Create(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static unsafe partial int Bind(SafeFileHandle socket, void* address, uint addressLength);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static unsafe partial nint Send(SafeFileHandle socket, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static unsafe partial nint Receive(SafeFileHandle socket, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static unsafe partial int SetOption(SafeFileHandle socket, int level, int name, void* value, uint length);
}
