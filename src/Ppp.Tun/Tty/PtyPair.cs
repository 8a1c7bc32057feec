using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Ppp.Tun.Interop;

namespace Ppp.Tun.Tty;

/// <summary>
/// A new UNIX98 pseudo-terminal: the master descriptor (raw, non-blocking) and the slave's
/// path, which a <see cref="TtyPort"/> (or a peer such as pppd) opens like any serial line.
/// Linux applies termios calls made on a master to its slave, so the slave starts out raw and
/// nothing written to the master before the slave is opened gets echoed or line-edited.
/// Until the slave is opened, reading the master just times out; once the slave has been
/// opened and closed again, reading the master reports a hang-up.
/// </summary>
internal sealed class PtyPair : IDisposable
{
    private PtyPair(SafeFileHandle master, string slavePath)
    {
        Master = master;
        SlavePath = slavePath;
    }

    /// <summary>The master side; owned by this pair and closed by <see cref="Dispose"/>.</summary>
    public SafeFileHandle Master { get; }

    /// <summary>For example <c>/dev/pts/3</c>.</summary>
    public string SlavePath { get; }

    public static unsafe PtyPair Open()
    {
        int fd = Pty.OpenMaster(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (fd < 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), "posix_openpt");
        var master = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // posix_openpt is only specified for O_RDWR and O_NOCTTY, so the rest is set here.
            if (Libc.Fcntl(master, Pty.F_SETFD, Pty.FD_CLOEXEC) < 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), "fcntl F_SETFD");
            int flags = Libc.Fcntl(master, Libc.F_GETFL, 0);
            if (flags < 0 || Libc.Fcntl(master, Libc.F_SETFL, flags | Libc.O_NONBLOCK) < 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), "fcntl O_NONBLOCK");
            if (Pty.Grant(master) < 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), "grantpt");
            if (Pty.Unlock(master) < 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), "unlockpt");

            Span<byte> name = stackalloc byte[128];
            int errno;
            fixed (byte* p = name)
                errno = Pty.SlaveName(master, p, (nuint)name.Length);
            if (errno != 0)
                throw Errno.Exception(errno, "ptsname_r");
            string slavePath = Encoding.UTF8.GetString(name[..name.IndexOf((byte)0)]);

            errno = Termios.Get(master, out Termios.Kernel termios);
            if (errno != 0)
                throw Errno.Exception(errno, "tcgetattr pty master");
            TtyPort.MakeRaw(ref termios, new TtySettings { CtsRts = false, Local = true });
            errno = Termios.Set(master, termios);
            if (errno != 0)
                throw Errno.Exception(errno, "tcsetattr pty master");
            return new PtyPair(master, slavePath);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A <see cref="TtyPort"/> over the master, for pumping or relaying its data with timeouts
    /// and shutdown. The pair keeps owning the descriptor: dispose the port before the pair.
    /// </summary>
    public TtyPort OpenMasterPort() => TtyPort.AdoptMaster(Master, $"{SlavePath} (master)");

    public void Dispose() => Master.Dispose();
}
