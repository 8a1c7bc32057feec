using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ppp.Tun.Systemd;

/// <summary>
/// The sd_notify(3) protocol without libsystemd: one datagram of newline-separated
/// <c>KEY=value</c> pairs to the Unix socket named by $NOTIFY_SOCKET (a path, or <c>@name</c>
/// in the abstract namespace). Every call reports whether the datagram went out and never
/// throws for a missing or refusing socket: not running under systemd is normal, so the caller
/// decides whether that is worth a log line.
/// </summary>
internal static class SdNotify
{
    public const string SocketVariable = "NOTIFY_SOCKET";

    /// <summary>Sends <paramref name="state"/> to $NOTIFY_SOCKET; false when it is unset.</summary>
    public static bool Notify(string state) =>
        Notify(state, Environment.GetEnvironmentVariable(SocketVariable));

    /// <summary>Sends <paramref name="state"/> to <paramref name="socketPath"/> (as $NOTIFY_SOCKET
    /// would name it); false when it is null, empty, of an unsupported kind (systemd's
    /// <c>vsock:</c> addresses), or nobody listens there.</summary>
    public static bool Notify(string state, string? socketPath)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (string.IsNullOrEmpty(socketPath) || socketPath.Length < 2 || socketPath[0] is not ('/' or '@'))
            return false;
        try
        {
            // A leading NUL is how Linux (and UnixDomainSocketEndPoint) spells the abstract namespace.
            var endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            byte[] datagram = Encoding.UTF8.GetBytes(state);
            return socket.SendTo(datagram, SocketFlags.None, endpoint) == datagram.Length;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false; // longer than sockaddr_un allows
        }
    }

    /// <summary>Start-up finished (Type=notify): <c>READY=1</c> with a status line.</summary>
    public static bool Ready(string status) => Notify(ReadyState(status));

    /// <summary>Shutting down: <c>STOPPING=1</c>.</summary>
    public static bool Stopping() => Notify(StoppingState);

    /// <summary>The one-line status <c>systemctl status</c> shows.</summary>
    public static bool Status(string status) => Notify(StatusState(status));

    /// <summary>Keep-alive for WatchdogSec=: <c>WATCHDOG=1</c>.</summary>
    public static bool Watchdog() => Notify(WatchdogState);

    /// <summary>
    /// How often systemd expects <see cref="Watchdog"/> (send at about half of it), or null when
    /// no watchdog is set for this process.
    /// </summary>
    public static TimeSpan? WatchdogInterval =>
        ParseWatchdog(Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    internal const string StoppingState = "STOPPING=1";
    internal const string WatchdogState = "WATCHDOG=1";

    internal static string ReadyState(string status) => "READY=1\n" + StatusState(status);

    // One line: a newline would start a new KEY=value pair.
    internal static string StatusState(string status) =>
        "STATUS=" + status.ReplaceLineEndings(" ");

    /// <summary>$WATCHDOG_USEC as an interval, if it is a positive number and $WATCHDOG_PID is
    /// unset or names <paramref name="ownPid"/> (a forked child must not inherit the duty).</summary>
    internal static TimeSpan? ParseWatchdog(string? usec, string? pid, int ownPid)
    {
        if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong microseconds) || microseconds == 0)
            return null;
        if (!string.IsNullOrEmpty(pid)
            && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int watched) || watched != ownPid))
            return null;
        return microseconds >= (ulong)(TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond)
            ? TimeSpan.MaxValue
            : TimeSpan.FromMicroseconds(microseconds);
    }
}
