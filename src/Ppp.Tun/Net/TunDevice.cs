using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Ppp.Tun.Interop;

namespace Ppp.Tun.Net;

/// <summary>
/// A layer-3 tun interface (<c>pppN</c>, IFF_TUN|IFF_NO_PI: one read or write is one bare IP
/// packet). The interface lives as long as this object: it is not persistent, so the kernel
/// removes it (with its addresses and routes) when the fd closes.
/// <para>
/// Threading: one thread calls <see cref="Read"/> (the transmit pump), any thread may call
/// <see cref="Write"/> (the receive path) and <see cref="Shutdown"/>. Buffers passed to Read and
/// Write are only used for the duration of the call.
/// </para>
/// </summary>
internal sealed class TunDevice : IDisposable
{
    private const string DevicePath = "/dev/net/tun";
    private const int Ebadf = 9;
    private const int Efault = 14;
    private const int Einval = 22;

    private readonly SafeFileHandle _tun;
    private readonly SafeFileHandle _wake;
    private volatile bool _shutdown;
    private string _name;
    private long _writeErrors;
    private long _readErrors;

    private TunDevice(SafeFileHandle tun, SafeFileHandle wake, string name, int ifIndex)
    {
        _tun = tun;
        _wake = wake;
        _name = name;
        IfIndex = ifIndex;
    }

    /// <summary>
    /// The interface's current name, read back from the driver so a rename (<c>iface name</c>)
    /// shows at once; the string is only reallocated when the name has changed.
    /// </summary>
    public string Name
    {
        get
        {
            if (!_shutdown && TryGetName(_tun, out TunIoctl.IfReq request) && !NameEquals(request, _name))
                _name = NameOf(request);
            return _name;
        }
    }

    /// <summary>The interface index; a rename keeps it, only a namespace move would change it.</summary>
    public int IfIndex { get; }

    /// <summary>Packets the kernel refused in <see cref="Write"/> (each one dropped, not thrown).</summary>
    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    /// <summary>Reads that failed with an error other than EAGAIN/EINTR (the packet is lost; reading goes on).</summary>
    public long ReadErrors => Interlocked.Read(ref _readErrors);

    /// <summary>
    /// Creates <c>ppp{unit}</c>, or with a null unit the first free <c>pppN</c> (the kernel picks the
    /// lowest N whose name is unused, as it does for <c>eth%d</c>). The interface is made in the
    /// calling thread's network namespace.
    /// </summary>
    /// <exception cref="IOException">/dev/net/tun cannot be opened, or <c>ppp{unit}</c> exists.</exception>
    public static TunDevice Open(int? unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unit ?? 0, nameof(unit));
        string requested = unit is { } n ? $"ppp{n}" : "ppp%d";
        SafeFileHandle tun = Libc.OpenHandle(DevicePath, Libc.O_RDWR | Libc.O_NONBLOCK);
        SafeFileHandle? wake = null;
        try
        {
            var request = default(TunIoctl.IfReq);
            SetName(ref request, requested);
            // EXCL: an existing persistent tun of that name must be reported busy, not shared.
            request.Flags = TunIoctl.IFF_TUN | TunIoctl.IFF_NO_PI | TunIoctl.IFF_TUN_EXCL;
            int result;
            unsafe
            {
                result = Libc.Ioctl(tun, TunIoctl.TUNSETIFF, &request);
            }

            if (result < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                // EBUSY: a tun of that name; EINVAL: another kind of interface has the name.
                if (unit is not null && errno is Libc.EBUSY or Libc.EEXIST or Einval)
                    throw new IOException($"ppp{unit}: interface is busy (already exists); choose another unit or none", errno);
                throw Errno.Exception(errno, $"TUNSETIFF {requested}");
            }

            string name = NameOf(request);
            uint index = NetIf.NameToIndex(name);
            if (index == 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), $"if_nametoindex {name}");

            int wakeFd = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
            if (wakeFd < 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), "eventfd");
            wake = new SafeFileHandle(wakeFd, ownsHandle: true);
            return new TunDevice(tun, wake, name, (int)index);
        }
        catch
        {
            wake?.Dispose();
            tun.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Blocks until one packet is available and copies it into <paramref name="packet"/>;
    /// returns its length, or 0 once <see cref="Shutdown"/> or <see cref="Dispose"/> was called.
    /// A packet longer than the buffer is truncated by the kernel, so size it for the MTU.
    /// </summary>
    /// <exception cref="IOException">The tun fd failed in a way that will not go away (EBADF, EFAULT...).</exception>
    public unsafe int Read(Span<byte> packet)
    {
        if (_shutdown)
            return 0;
        bool tunRef = false, wakeRef = false;
        try
        {
            // Both fds go to poll as raw numbers: hold references so a concurrent Dispose
            // cannot close them (and let the numbers be reused) while this thread waits.
            _tun.DangerousAddRef(ref tunRef);
            _wake.DangerousAddRef(ref wakeRef);
            var fds = stackalloc Libc.PollFd[2];
            fds[0].Fd = (int)_tun.DangerousGetHandle();
            fds[1].Fd = (int)_wake.DangerousGetHandle();
            while (!_shutdown)
            {
                nint n;
                fixed (byte* p = packet)
                    n = Libc.Read(_tun, p, (nuint)packet.Length);
                if (n > 0)
                    return (int)n;
                int errno = n < 0 ? Marshal.GetLastPInvokeError() : Libc.EAGAIN;
                if (errno == Libc.EINTR)
                    continue;
                if (errno != Libc.EAGAIN)
                {
                    if (_shutdown)
                        return 0;
                    // A failure of one read (EIO while the link is torn down, say) loses that packet
                    // only; a bad descriptor or buffer will never get better.
                    Interlocked.Increment(ref _readErrors);
                    if (errno is Ebadf or Efault or Einval)
                        throw Errno.Exception(errno, $"read {_name}");
                    continue;
                }

                fds[0].Events = Libc.POLLIN;
                fds[0].Revents = 0;
                fds[1].Events = Libc.POLLIN;
                fds[1].Revents = 0;
                int ready = Libc.Poll(fds, 2, -1);
                if (ready < 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                        continue;
                    throw Errno.Exception(errno, $"poll {_name}");
                }

                if (fds[1].Revents != 0)
                    return 0;
                if ((fds[0].Revents & Libc.POLLNVAL) != 0)
                    throw new IOException($"poll {_name}: descriptor is not open");
            }

            return 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (wakeRef)
                _wake.DangerousRelease();
            if (tunRef)
                _tun.DangerousRelease();
        }
    }

    /// <summary>
    /// Takes one packet if the kernel has one queued, without waiting: 0 when the queue is
    /// empty (or after <see cref="Shutdown"/>). A reader that drains the queue this way after
    /// a blocking <see cref="Read"/> learns when a burst ends, so it can write it out at once.
    /// </summary>
    public unsafe int TryRead(Span<byte> packet)
    {
        if (_shutdown)
            return 0;
        bool tunRef = false;
        try
        {
            _tun.DangerousAddRef(ref tunRef);
            nint n;
            fixed (byte* p = packet)
                n = Libc.Read(_tun, p, (nuint)packet.Length);
            // An error is left for the blocking Read, which meets it again and counts or throws.
            return n > 0 ? (int)n : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (tunRef)
                _tun.DangerousRelease();
        }
    }

    /// <summary>
    /// Hands one IP packet to the kernel. Returns false (and counts it in <see cref="WriteErrors"/>)
    /// if the kernel refused it (malformed, no buffer space, interface down...): one bad packet
    /// from the peer must not stop the receive path.
    /// </summary>
    public unsafe bool Write(ReadOnlySpan<byte> packet)
    {
        if (_shutdown || packet.IsEmpty)
        {
            Interlocked.Increment(ref _writeErrors);
            return false;
        }

        try
        {
            while (true)
            {
                nint n;
                fixed (byte* p = packet)
                    n = Libc.Write(_tun, p, (nuint)packet.Length);
                if (n == packet.Length)
                    return true;
                if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR)
                    continue;
                Interlocked.Increment(ref _writeErrors);
                return false;
            }
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref _writeErrors);
            return false;
        }
    }

    /// <summary>Makes every current and future <see cref="Read"/> return 0. Safe to call more than once, from any thread.</summary>
    public unsafe void Shutdown()
    {
        _shutdown = true;
        ulong one = 1;
        try
        {
            // An eventfd counter only overflows after 2^64-2 writes; EAGAIN here means already signalled.
            _ = Libc.Write(_wake, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Disposed already: nobody can be waiting any more.
        }
    }

    public void Dispose()
    {
        Shutdown();
        _tun.Dispose();
        _wake.Dispose();
    }

    private static unsafe bool TryGetName(SafeFileHandle tun, out TunIoctl.IfReq request)
    {
        request = default;
        try
        {
            fixed (TunIoctl.IfReq* p = &request)
                return Libc.Ioctl(tun, TunIoctl.TUNGETIFF, p) == 0;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private static unsafe void SetName(ref TunIoctl.IfReq request, string name)
    {
        fixed (byte* p = request.Name)
        {
            var span = new Span<byte>(p, TunIoctl.NameSize - 1);
            if (!Encoding.ASCII.TryGetBytes(name, span, out _))
                throw new ArgumentException($"interface name '{name}' is longer than {TunIoctl.NameSize - 1} bytes", nameof(name));
        }
    }

    private static unsafe ReadOnlySpan<byte> NameBytes(in TunIoctl.IfReq request)
    {
        fixed (byte* p = request.Name)
        {
            var span = new ReadOnlySpan<byte>(p, TunIoctl.NameSize);
            int end = span.IndexOf((byte)0);
            return end < 0 ? span : span[..end];
        }
    }

    private static string NameOf(in TunIoctl.IfReq request) => Encoding.UTF8.GetString(NameBytes(request));

    private static bool NameEquals(in TunIoctl.IfReq request, string name)
    {
        ReadOnlySpan<byte> bytes = NameBytes(request);
        if (bytes.Length != name.Length)
            return false;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != name[i])
                return false;
        }

        return true;
    }
}
