using System.Globalization;
using System.Text;
using Ppp.Core.Commands;
using Ppp.Core.Fsm;
using Ppp.Core.Link;

namespace Ppp.Core.Control;

/// <summary>
/// <c>show metrics</c>, and the body <c>set metrics</c> serves: a <see cref="BundleStatus"/> in
/// the Prometheus text exposition format 0.0.4, which Prometheus scrapes and node_exporter's
/// textfile collector reads. Names follow Prometheus's conventions: a <c>ppp_</c> prefix, base
/// units in the name (<c>_bytes</c>, <c>_seconds</c>), <c>_total</c> on counters only; an enum
/// is a set of 0/1 gauges with the current value at 1. Every sample carries the tun's name as
/// <c>interface</c>, so the files of several daemons on one host do not collide. Counters are
/// those of the current connection: a new connection starts them at 0, which Prometheus reads
/// as a counter reset. A value not known yet (no echo answered, no network layer up) leaves
/// its family out rather than printing a made-up 0.
/// </summary>
/// <remarks>
/// One entry of <see cref="Families"/> per metric family: a field added to the status is one
/// line here (and one row in docs/ppp.8.md's metrics table).
/// </remarks>
internal static class MetricsFormatter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly string[] s_phases = [.. Enum.GetValues<LinkPhase>().Select(Name)];

    private static readonly string[] s_deviceStates = ["closed", "opening", "open"];

    /// <summary>The daemon's datalink states (its DatalinkState, in lower case; a test keeps the two alike).</summary>
    internal static readonly string[] DatalinkStates = ["closed", "opening", "dial", "login", "ready", "lcp", "authenticate", "open", "hangup"];

    private static readonly MetricFamily[] Families =
    [
        new("ppp_info", "gauge", "The bundle's label, mode and device (always 1)",
            s => [new([("label", s.Label), ("mode", s.Mode), ("device", s.Device ?? "")], 1)]),
        StateSet("ppp_phase", "phase", "The link phase: 1 for the current one", s_phases, s => Name(s.Phase)),
        StateSet("ppp_device_state", "state", "The device: 1 for its current state", s_deviceStates, s => s.DeviceState),
        StateSet("ppp_datalink_state", "state", "The datalink (show link): 1 for its current state", DatalinkStates, s => s.DatalinkState),
        Labelled("ppp_protocol_up", "gauge", "1 while the protocol's automaton is Opened", "protocol",
            ("lcp", s => Up(s.LcpState)), ("ipcp", s => Up(s.IpcpState)), ("ipv6cp", s => Up(s.Ipv6cpState))),
        Single("ppp_receive_bytes_total", "counter", "Octets of the IP packets received from the peer on this connection", s => s.OctetsReceived),
        Single("ppp_transmit_bytes_total", "counter", "Octets of the IP packets sent to the peer on this connection", s => s.OctetsSent),
        Single("ppp_receive_packets_total", "counter", "IP packets received from the peer on this connection", s => s.PacketsReceived),
        Single("ppp_transmit_packets_total", "counter", "IP packets sent to the peer on this connection", s => s.PacketsSent),
        Single("ppp_receive_dropped_packets_total", "counter", "Packets from the peer dropped (network protocol closed, tun write failed)", s => s.ReceiveDropped),
        Single("ppp_transmit_dropped_packets_total", "counter", "Packets from the interface dropped (no link, network protocol closed, over the peer's MRU)", s => s.TransmitDropped),
        Single("ppp_hdlc_frames_total", "counter", "Good HDLC frames decoded on this connection", s => s.Hdlc.Frames),
        Labelled("ppp_hdlc_errors_total", "counter", "HDLC frames discarded on this connection, by the first check they failed (show hdlc)", "kind",
            ("bad_fcs", s => s.Hdlc.BadFcs), ("runt", s => s.Hdlc.Runts), ("oversize", s => s.Hdlc.Oversize),
            ("aborted", s => s.Hdlc.Aborted), ("bad_address_control", s => s.Hdlc.BadAddressControl), ("bad_protocol", s => s.Hdlc.BadProtocol)),
        Labelled("ppp_control_frames_dropped_total", "counter", "Control frames dropped on this connection: from the peer because the link loop was behind (in), ours because the line's control queue was full (out)", "direction",
            ("in", s => s.ControlReceiveOverrun), ("out", s => s.ControlTransmitDropped)),
        Single("ppp_replies_rate_limited_total", "counter", "Replies the peer asked for that the rate limits refused (Echo-Reply, Protocol-Reject, Code-Reject, Terminate-Ack)", s => s.RepliesLimited),
        Single("ppp_lcp_echo_requests_total", "counter", "LCP Echo-Requests sent on this connection", s => s.EchoRequestsSent),
        Single("ppp_lcp_echo_missed_periods", "gauge", "LCP echo periods in a row without a frame from the peer", s => s.EchoMisses),
        Single("ppp_lcp_echo_rtt_seconds", "gauge", "Round trip of the last answered LCP Echo-Request", s => s.EchoRoundTrip?.TotalSeconds),
        Single("ppp_lcp_mru_bytes", "gauge", "Our MRU as LCP agreed it", s => s.Lcp?.OurMru),
        Single("ppp_lcp_peer_mru_bytes", "gauge", "The peer's MRU as LCP agreed it", s => s.Lcp?.PeerMru),
        Single("ppp_reconnects_total", "counter", "Connections started after the first (redials and reconnects)", s => s.Reconnects),
        Single("ppp_connects_total", "counter", "Sessions started (devices opened that reached PPP) since ppp started", s => s.Connects),
        Single("ppp_failed_dials_total", "counter", "Dial attempts that failed since ppp started", s => s.FailedDials),
        new("ppp_drops_total", "counter", "Links that ended since ppp started, by cause (as the JSON status's drops)",
            s => [.. s.DropsByCause.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new Sample([("cause", d.Key)], d.Value))]),
        Single("ppp_last_up_timestamp_seconds", "gauge", "When the network last came up (Unix time)", s => UnixTime(s.LastUp)),
        Single("ppp_last_down_timestamp_seconds", "gauge", "When a link last ended (Unix time)", s => UnixTime(s.LastDown)),
        Single("ppp_next_attempt_timestamp_seconds", "gauge", "When ppp will dial next (Unix time), while a redial or reconnect waits", s => UnixTime(s.NextAttemptAt)),
        Single("ppp_device_open_timestamp_seconds", "gauge", "When this connection's device was opened (Unix time)", s => UnixTime(s.ConnectedSince)),
        Single("ppp_network_up_timestamp_seconds", "gauge", "When the first network protocol of this connection came up (Unix time)", s => UnixTime(s.NetworkUpSince)),
        Single("ppp_network_uptime_seconds", "gauge", "Time since the first network protocol of this connection came up",
            s => s.NetworkUpSince is { } up ? Math.Max(0, (s.CapturedAt - up).TotalSeconds) : null),
        Single("ppp_control_sessions", "gauge", "Clients of the diagnostic socket (set server)", s => s.Server?.Sessions.Count),
        new("ppp_metrics_http_responses_total", "counter", "Responses of this HTTP endpoint (set metrics), by status code",
            s => s.Metrics is null ? [] : [.. s.Metrics.Responses.Select(r => new Sample([("code", r.Code.ToString(CultureInfo.InvariantCulture))], r.Count))]),
        Single("ppp_metrics_http_refused_total", "counter", "Connections to this HTTP endpoint closed unanswered: too many at once", s => s.Metrics?.Refused),
    ];

    /// <summary>The names of every family, for tests and the documentation check.</summary>
    public static IEnumerable<string> FamilyNames => Families.Select(f => f.Name);

    /// <summary>The exposition text: HELP, TYPE and samples of each family that has a value, "\n" line ends.</summary>
    public static string Format(BundleStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = new StringBuilder(4096);
        foreach (var family in Families)
        {
            var samples = family.Samples(status);
            if (samples.Count == 0)
                continue;
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            foreach (var sample in samples)
            {
                text.Append(family.Name);
                AppendLabels(text, status.InterfaceName, sample.Labels);
                text.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static void AppendLabels(StringBuilder text, string? interfaceName, IReadOnlyList<(string Name, string Value)> labels)
    {
        if (interfaceName is null && labels.Count == 0)
            return;
        text.Append('{');
        bool first = true;
        if (interfaceName is not null)
        {
            AppendLabel(text, "interface", interfaceName);
            first = false;
        }
        foreach (var (name, value) in labels)
        {
            if (!first)
                text.Append(',');
            AppendLabel(text, name, value);
            first = false;
        }
        text.Append('}');
    }

    private static void AppendLabel(StringBuilder text, string name, string value)
    {
        text.Append(name).Append("=\"");
        foreach (char ch in value)
        {
            // The format's label-value escapes: backslash, double quote and line feed.
            _ = ch switch
            {
                '\\' => text.Append("\\\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append("\\n"),
                _ => text.Append(ch),
            };
        }
        text.Append('"');
    }

    /// <summary>HELP text escapes backslash and line feed only.</summary>
    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Integers as integers; anything else in the shortest form that reads back the same.</summary>
    internal static string FormatValue(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "+Inf" : "-Inf";
        if (value == Math.Floor(value) && Math.Abs(value) < 9e15)
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Name(LinkPhase phase) => phase.ToString().ToLowerInvariant();

    private static double Up(FsmState state) => state == FsmState.Opened ? 1 : 0;

    private static double? UnixTime(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds() / 1000.0;

    private static MetricFamily Single(string name, string type, string help, Func<BundleStatus, double?> value) =>
        new(name, type, help, s => value(s) is { } v ? [new([], v)] : []);

    private static MetricFamily Labelled(string name, string type, string help, string label, params (string Value, Func<BundleStatus, double?> Get)[] series) =>
        new(name, type, help, s => [.. series.Select(x => (x.Value, Number: x.Get(s))).Where(x => x.Number is not null).Select(x => new Sample([(label, x.Value)], x.Number!.Value))]);

    private static MetricFamily StateSet(string name, string label, string help, string[] states, Func<BundleStatus, string> current) =>
        new(name, "gauge", help, s =>
        {
            string now = current(s);
            return [.. states.Select(state => new Sample([(label, state)], state == now ? 1 : 0))];
        });

    private sealed record MetricFamily(string Name, string Type, string Help, Func<BundleStatus, IReadOnlyList<Sample>> Samples);

    private sealed record Sample(IReadOnlyList<(string Name, string Value)> Labels, double Value);
}
