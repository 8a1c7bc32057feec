using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ppp.Tun.Interop;

/// <summary>
/// Terminal control through the kernel's own ioctls (TCGETS/TCSETS, TCFLSH, TIOCM*) rather than
/// glibc's tcgetattr/cfsetospeed: glibc 2.42 redefined speed_t and the B* constants behind
/// versioned symbols, and a dlsym'd P/Invoke gets whichever version is the default, so the
/// kernel's fixed <c>struct termios</c> (speed in the CBAUD bits of c_cflag) is the one layout
/// that means the same on every libc. Values are the asm-generic ones (x86, x86-64, arm, arm64,
/// riscv, loongarch, s390); powerpc, mips, sparc and alpha differ and are refused.
/// </summary>
internal static partial class Termios
{
    public const int ENOTTY = 25;
    public const int EINVAL = 22;

    public const nuint TCGETS = 0x5401;
    public const nuint TCSETS = 0x5402;
    public const nuint TCFLSH = 0x540B;
    public const nuint TIOCMGET = 0x5415;
    public const nuint TIOCMBIS = 0x5416;
    public const nuint TIOCMBIC = 0x5417;
    public const nuint TIOCINQ = 0x541B;

    public const int TCIOFLUSH = 2;

    public const int TIOCM_DTR = 0x002;
    public const int TIOCM_RTS = 0x004;
    public const int TIOCM_CAR = 0x040;

    // c_iflag
    public const uint IGNBRK = 0x001;
    public const uint BRKINT = 0x002;
    public const uint PARMRK = 0x008;
    public const uint INPCK = 0x010;
    public const uint ISTRIP = 0x020;
    public const uint INLCR = 0x040;
    public const uint IGNCR = 0x080;
    public const uint ICRNL = 0x100;
    public const uint IUCLC = 0x200;
    public const uint IXON = 0x400;
    public const uint IXANY = 0x800;
    public const uint IXOFF = 0x1000;
    public const uint IMAXBEL = 0x2000;

    // c_oflag
    public const uint OPOST = 0x001;

    // c_cflag
    public const uint CBAUD = 0x100F;
    public const uint CBAUDEX = 0x1000;
    public const uint CIBAUD = CBAUD << 16;
    public const uint CSIZE = 0x030;
    public const uint CS8 = 0x030;
    public const uint CSTOPB = 0x040;
    public const uint CREAD = 0x080;
    public const uint PARENB = 0x100;
    public const uint PARODD = 0x200;
    public const uint HUPCL = 0x400;
    public const uint CLOCAL = 0x800;
    public const uint CMSPAR = 0x40000000;
    public const uint CRTSCTS = 0x80000000;

    // c_lflag
    public const uint ISIG = 0x001;
    public const uint ICANON = 0x002;
    public const uint ECHO = 0x008;
    public const uint ECHOE = 0x010;
    public const uint ECHOK = 0x020;
    public const uint ECHONL = 0x040;
    public const uint IEXTEN = 0x8000;

    public const int VTIME = 5;
    public const int VMIN = 6;

    /// <summary>The kernel's <c>struct termios</c> (asm-generic termbits.h): 36 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Kernel
    {
        public uint IFlag;
        public uint OFlag;
        public uint CFlag;
        public uint LFlag;
        public byte Line;
        public fixed byte ControlChars[19];

        public readonly byte ControlChar(int index) => ControlChars[index];
    }

    /// <summary>Speeds with a B* constant, paired with the CBAUD code that selects them.</summary>
    public static ReadOnlySpan<int> Speeds =>
    [
        50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
        57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000,
        2000000, 2500000, 3000000, 3500000, 4000000,
    ];

    /// <summary>The CBAUD code of <paramref name="speed"/>, or 0 (B0, "hang up") if it has none.</summary>
    public static uint SpeedCode(int speed)
    {
        int index = Speeds.IndexOf(speed);
        if (index < 0)
            return 0;
        // B50..B38400 are 1..15; B57600 onwards are CBAUDEX|1..15.
        return index < 15 ? (uint)(index + 1) : CBAUDEX | (uint)(index - 14);
    }

    /// <summary>The speed a CBAUD code selects, or null for B0, BOTHER and unknown codes.</summary>
    public static int? SpeedOf(uint cflag)
    {
        uint code = cflag & CBAUD;
        int index = (code & CBAUDEX) == 0 ? (int)code - 1 : (int)(code & ~CBAUDEX) + 14;
        return code == 0 || code == CBAUDEX || index >= Speeds.Length ? null : Speeds[index];
    }

    public static bool IsSupportedArchitecture => RuntimeInformation.ProcessArchitecture is
        not (Architecture.Ppc64le or Architecture.Wasm);

    /// <summary>TCGETS; returns 0 or the errno.</summary>
    public static unsafe int Get(SafeFileHandle fd, out Kernel termios)
    {
        Kernel result = default;
        int rc = Libc.Ioctl(fd, TCGETS, &result);
        termios = result;
        return rc < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>TCSETS (apply now, like tcsetattr TCSANOW); returns 0 or the errno.</summary>
    public static unsafe int Set(SafeFileHandle fd, in Kernel termios)
    {
        Kernel copy = termios;
        return Libc.Ioctl(fd, TCSETS, &copy) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>TIOCMGET; returns 0 or the errno.</summary>
    public static unsafe int GetModemLines(SafeFileHandle fd, out int lines)
    {
        int result = 0;
        int rc = Libc.Ioctl(fd, TIOCMGET, &result);
        lines = result;
        return rc < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>TIOCMBIS (set) or TIOCMBIC (clear) of <paramref name="lines"/>; returns 0 or the errno.</summary>
    public static unsafe int ChangeModemLines(SafeFileHandle fd, int lines, bool on)
    {
        int value = lines;
        return Libc.Ioctl(fd, on ? TIOCMBIS : TIOCMBIC, &value) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>TCFLSH with TCIOFLUSH: discard both queues; returns 0 or the errno.</summary>
    public static int FlushBoth(SafeFileHandle fd) =>
        Libc.Ioctl(fd, TCFLSH, TCIOFLUSH) < 0 ? Marshal.GetLastPInvokeError() : 0;
}
