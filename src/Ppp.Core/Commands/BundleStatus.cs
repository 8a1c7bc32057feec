using System.Net;
using Ppp.Core.Framing;
using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Core.Commands;

/// <summary>
/// A copy of the live state, taken on the link loop, that <c>show</c> formats (and that the
/// diagnostic socket will serialise). Plain values only: it may be read on any thread.
/// </summary>
public sealed record BundleStatus
{
    public required string Label { get; init; }
    public required string Mode { get; init; }
    public required Link.LinkPhase Phase { get; init; }
    public string? Device { get; init; }
    public string DeviceState { get; init; } = "closed";

    /// <summary>The datalink's state as ppp(8)'s <c>show link</c> names it: closed, opening, dial, login, ready, lcp, authenticate, open, hangup.</summary>
    public string DatalinkState { get; init; } = "closed";
    public string? PeerName { get; init; }
    public string? LastFailure { get; init; }
    public DateTimeOffset? ConnectedSince { get; init; }

    public FsmState LcpState { get; init; }
    public LcpResult? Lcp { get; init; }
    public FsmState IpcpState { get; init; }
    public IpcpResult? Ipcp { get; init; }
    public FsmState Ipv6cpState { get; init; }
    public Ipv6cpResult? Ipv6cp { get; init; }

    public HdlcCountersSnapshot Hdlc { get; init; }
    public long PacketsSent { get; init; }
    public long OctetsSent { get; init; }
    public long PacketsReceived { get; init; }
    public long OctetsReceived { get; init; }
    public long TransmitDropped { get; init; }
    public long ReceiveDropped { get; init; }

    /// <summary>Control frames from the peer dropped on receipt because the link loop was behind (a flood).</summary>
    public long ControlReceiveOverrun { get; init; }

    /// <summary>Control frames of ours dropped because the line's control queue was full (a line that takes nothing).</summary>
    public long ControlTransmitDropped { get; init; }

    /// <summary>Replies the peer asked for that the rate limits refused (Echo-Reply, Protocol-Reject, Code-Reject, Terminate-Ack).</summary>
    public long RepliesLimited { get; init; }

    /// <summary>Packets the <c>in</c> filter (from the peer) and the <c>out</c> filter (from the interface) denied.</summary>
    public long InFilterDrops { get; init; }
    public long OutFilterDrops { get; init; }

    public TimeSpan? EchoRoundTrip { get; init; }

    /// <summary>LCP Echo-Requests sent on this link, and periods that passed without a frame from the peer.</summary>
    public long EchoRequestsSent { get; init; }
    public int EchoMisses { get; init; }

    /// <summary>When the snapshot was taken: uptimes are measured to it (Core has no clock).</summary>
    public DateTimeOffset CapturedAt { get; init; }

    /// <summary>When the first network protocol of this connection came up.</summary>
    public DateTimeOffset? NetworkUpSince { get; init; }

    /// <summary>"none" (no link), "pending", "running", "succeeded", "not-required" or "failed".</summary>
    public string AuthState { get; init; } = "none";

    /// <summary>Connections started after the first one (redials and reconnects).</summary>
    public int Reconnects { get; init; }

    /// <summary>Sessions started (devices opened that reached PPP) since the daemon started.</summary>
    public int Connects { get; init; }

    /// <summary>Dial attempts that failed since the daemon started.</summary>
    public int FailedDials { get; init; }

    /// <summary>Links that ended, by cause (kebab-case names: <c>carrier-lost</c>, <c>echo-timeout</c>, <c>peer-terminated</c>, ...).</summary>
    public IReadOnlyDictionary<string, int> DropsByCause { get; init; } = new Dictionary<string, int>();

    /// <summary><c>set provision</c>'s state; null when the daemon has none to report.</summary>
    public ProvisionStatus? Provision { get; init; }

    /// <summary>The recovery ladder's steps taken since the daemon started (issue 15).</summary>
    public RecoveryCounts Recovery { get; init; } = new();

    /// <summary>When the network last came up, and when a link last ended.</summary>
    public DateTimeOffset? LastUp { get; init; }

    public DateTimeOffset? LastDown { get; init; }

    /// <summary>When the policy will dial next, and how it says so ("redial in 12 s"); null when nothing is pending.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public string? NextAttempt { get; init; }

    /// <summary>The diagnostic socket and its sessions; null when none is configured.</summary>
    public Control.ServerStatus? Server { get; init; }

    /// <summary>The HTTP metrics endpoint (<c>set metrics</c>); null when none is configured.</summary>
    public Control.MetricsServerStatus? Metrics { get; init; }

    public string? InterfaceName { get; init; }
    public int? InterfaceMtu { get; init; }
    public IReadOnlyList<InterfaceAddress> InterfaceAddresses { get; init; } = [];
    public IReadOnlyList<AppliedRoute> Routes { get; init; } = [];
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];

    /// <summary>For <c>show mem</c>: GC.GetTotalMemory(false).</summary>
    public long ManagedHeapBytes { get; init; }

    /// <summary>For <c>show mem</c>: GC.GetTotalAllocatedBytes().</summary>
    public long TotalAllocatedBytes { get; init; }

    /// <summary>For <c>show mem</c>: Environment.WorkingSet.</summary>
    public long WorkingSetBytes { get; init; }

    public int Gen0Collections { get; init; }
    public int Gen1Collections { get; init; }
    public int Gen2Collections { get; init; }

    /// <summary>Active timers for <c>show timer</c>: name and time left.</summary>
    public IReadOnlyList<(string Name, TimeSpan Remaining)> Timers { get; init; } = [];
}

/// <summary>One address on the tun: local, prefix length, optional point-to-point peer.</summary>
public sealed record InterfaceAddress(IPAddress Local, int PrefixLength, IPAddress? Peer);

/// <summary>A route as installed (sticky routes resolved), with the spec it came from.</summary>
public sealed record AppliedRoute(IPNetwork Destination, IPAddress? Gateway, string Interface, RouteSpec? Spec);

/// <summary>HDLC decoder counters copied out of <see cref="HdlcCounters"/>.</summary>
public readonly record struct HdlcCountersSnapshot(
    long Frames, long BadFcs, long Runts, long Oversize, long Aborted, long BadAddressControl, long BadProtocol);

/// <summary>
/// The steps of the recovery ladder (issue 15) taken since the daemon started: redials after
/// failed attempts, reconnects after drops, modem resets (and how many failed), searches for
/// the device after a reset, a glob or link of <c>set device</c> naming another device, and
/// <c>set resetat</c>'s daily resets with the next one due.
/// </summary>
public sealed record RecoveryCounts(int Redials = 0, int Reconnects = 0, int Resets = 0, int ResetFailures = 0, int DeviceSearches = 0,
    int DeviceRenames = 0, int FailsSinceReset = 0, string? LastResetError = null, int DailyResets = 0, DateTimeOffset? DailyResetAt = null);

/// <summary>
/// <c>set provision</c> (issue 15): the script's SHA-256 (null without one), the state file, the
/// hash of the script that last led to a successful connect and when, and how often it was sent.
/// </summary>
public sealed record ProvisionStatus(string StateFile, string? Hash, string? WrittenHash, DateTimeOffset? WrittenAt, int Runs);
