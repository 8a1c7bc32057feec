namespace Ppp.Tun.Net;

/// <summary>
/// The kernel refused an rtnetlink request. The message names the request the way <c>ip</c>
/// would print it, then the errno text and the kernel's extended-ack text if it gave one:
/// <c>RTM_NEWROUTE 10.0.0.0/8 via 10.1.1.1 dev ppp0: File exists</c>.
/// </summary>
internal sealed class NetlinkException : IOException
{
    public NetlinkException(int errno, string message)
        : base(message, errno)
    {
        Errno = errno;
    }

    public NetlinkException()
    {
    }

    public NetlinkException(string message)
        : base(message)
    {
    }

    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The positive errno the kernel answered with (EEXIST, ESRCH, ENODEV...).</summary>
    public int Errno { get; }
}
