using System.Runtime.InteropServices;

namespace Ppp.Tun.Interop;

/// <summary>
/// The tun driver's ioctls (linux/if_tun.h) and the <c>struct ifreq</c> they take; the calls
/// themselves go through <see cref="Libc.Ioctl(Microsoft.Win32.SafeHandles.SafeFileHandle, nuint, void*)"/>.
/// </summary>
internal static class TunIoctl
{
    /// <summary><c>_IOW('T', 202, int)</c>: attach the fd to (or create) the interface named in the ifreq.</summary>
    public const uint TUNSETIFF = 0x400454ca;

    /// <summary><c>_IOR('T', 210, unsigned int)</c>: the attached interface's current name and flags.</summary>
    public const uint TUNGETIFF = 0x800454d2;

    public const short IFF_TUN = 0x0001;
    public const short IFF_NO_PI = 0x1000;

    /// <summary>Fail with EBUSY if the name exists instead of attaching to an existing persistent tun.</summary>
    public const short IFF_TUN_EXCL = unchecked((short)0x8000);

    /// <summary>IFNAMSIZ: names are at most 15 bytes plus the terminating NUL.</summary>
    public const int NameSize = 16;

    /// <summary><c>struct ifreq</c>: a 16-byte name and a 24-byte union of which tun uses the flags.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 40)]
    public unsafe struct IfReq
    {
        [FieldOffset(0)]
        public fixed byte Name[NameSize];

        [FieldOffset(16)]
        public short Flags;
    }
}
