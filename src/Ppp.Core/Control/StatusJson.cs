using System.Text.Json;
using System.Text.Json.Serialization;
using Ppp.Core.Commands;
using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Auth;

namespace Ppp.Core.Control;

/// <summary>
/// <c>show status</c>: the bundle as one JSON object on one line, for monitoring. The schema is
/// docs/status-json.md; <see cref="SchemaVersion"/> goes up when a field changes meaning or
/// goes away (new fields may appear without it). Serialised by a source-generated context, so
/// no reflection is needed and trimming keeps it.
/// </summary>
internal static class StatusJson
{
    public const int SchemaVersion = 1;

    public static string Serialize(BundleStatus status) =>
        JsonSerializer.Serialize(ToDocument(status), StatusJsonContext.Default.StatusDocument);

    internal static StatusDocument ToDocument(BundleStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var ipcp = s.Ipcp;
        var ipv6cp = s.Ipv6cp;
        return new StatusDocument
        {
            Version = SchemaVersion,
            Time = s.CapturedAt,
            Label = s.Label,
            Mode = s.Mode,
            Phase = s.Phase.ToString().ToLowerInvariant(),
            Interface = s.InterfaceName,
            Device = new DeviceDocument(s.Device, s.DeviceState),
            Datalink = new DatalinkDocument(s.DatalinkState, s.Connects, s.FailedDials,
                new SortedDictionary<string, int>(s.DropsByCause.ToDictionary(d => d.Key, d => d.Value), StringComparer.Ordinal),
                s.LastUp, s.LastDown, s.NextAttemptAt, s.NextAttempt,
                new RecoveryDocument(s.Recovery.Redials, s.Recovery.Reconnects, s.Recovery.Resets, s.Recovery.ResetFailures,
                    s.Recovery.DeviceSearches, s.Recovery.DeviceRenames, s.Recovery.FailsSinceReset, s.Recovery.LastResetError,
                    s.Recovery.DailyResets, s.Recovery.DailyResetAt)),
            PeerName = s.PeerName,
            Lcp = new LcpDocument(
                State(s.LcpState),
                s.Lcp?.OurMru,
                s.Lcp?.PeerMru,
                new EchoDocument(s.EchoRoundTrip?.TotalMilliseconds, s.EchoRequestsSent, s.EchoMisses)),
            Auth = new AuthDocument(s.AuthState, Protocol(s.Lcp?.AuthenticatePeerWith), Protocol(s.Lcp?.AuthenticateOurselvesWith)),
            Ipcp = new AddressDocument(State(s.IpcpState), ipcp?.LocalAddress?.ToString(), ipcp?.RemoteAddress?.ToString()),
            Ipv6cp = new AddressDocument(State(s.Ipv6cpState), ipv6cp?.LocalLinkLocal.ToString(), ipv6cp?.RemoteLinkLocal?.ToString()),
            Dns = [.. s.DnsServers.Select(a => a.ToString())],
            ConnectedSince = s.ConnectedSince,
            NetworkUpSince = s.NetworkUpSince,
            UptimeSeconds = s.NetworkUpSince is { } up ? Math.Round(Math.Max(0, (s.CapturedAt - up).TotalSeconds), 3) : null,
            Traffic = new TrafficDocument(
                new DirectionDocument(s.PacketsReceived, s.OctetsReceived, s.ReceiveDropped),
                new DirectionDocument(s.PacketsSent, s.OctetsSent, s.TransmitDropped)),
            Control = new ControlDropsDocument(s.ControlReceiveOverrun, s.ControlTransmitDropped, s.RepliesLimited),
            Reconnects = s.Reconnects,
            LastFailure = s.LastFailure,
        };
    }

    /// <summary>ppp(8)'s state names in lower case: "initial", "req-sent", "opened".</summary>
    private static string State(FsmState state) => ShowCommands.StateName(state).ToLowerInvariant();

    private static string? Protocol(AuthProtocol? protocol) => protocol switch
    {
        null => null,
        AuthProtocol.None => "none",
        AuthProtocol.Pap => "pap",
        AuthProtocol.ChapMd5 => "chap-md5",
        AuthProtocol.MsChapV2 => "mschapv2",
        _ => protocol.Value.ToString().ToLowerInvariant(),
    };
}

internal sealed record StatusDocument
{
    public int Version { get; init; }
    public DateTimeOffset Time { get; init; }
    public required string Label { get; init; }
    public required string Mode { get; init; }
    public required string Phase { get; init; }
    public string? Interface { get; init; }
    public required DeviceDocument Device { get; init; }
    public required DatalinkDocument Datalink { get; init; }
    public string? PeerName { get; init; }
    public required LcpDocument Lcp { get; init; }
    public required AuthDocument Auth { get; init; }
    public required AddressDocument Ipcp { get; init; }
    public required AddressDocument Ipv6cp { get; init; }
    public required IReadOnlyList<string> Dns { get; init; }
    public DateTimeOffset? ConnectedSince { get; init; }
    public DateTimeOffset? NetworkUpSince { get; init; }
    public double? UptimeSeconds { get; init; }
    public required TrafficDocument Traffic { get; init; }
    public required ControlDropsDocument Control { get; init; }
    public int Reconnects { get; init; }
    public string? LastFailure { get; init; }
}

internal sealed record DeviceDocument(string? Name, string State);

internal sealed record DatalinkDocument(string State, int Connects, int FailedDials, IReadOnlyDictionary<string, int> Drops,
    DateTimeOffset? LastUp, DateTimeOffset? LastDown, DateTimeOffset? NextAttemptAt, string? NextAttempt, RecoveryDocument Recovery);

internal sealed record RecoveryDocument(int Redials, int Reconnects, int Resets, int ResetFailures, int DeviceSearches, int DeviceRenames,
    int FailsSinceReset, string? LastResetError, int DailyResets, DateTimeOffset? DailyResetAt);

internal sealed record LcpDocument(string State, int? Mru, int? PeerMru, EchoDocument Echo);

internal sealed record EchoDocument(double? RttMs, long Sent, int Missed);

internal sealed record AuthDocument(string State, string? Peer, string? Self);

internal sealed record AddressDocument(string State, string? Local, string? Peer);

internal sealed record TrafficDocument(DirectionDocument In, DirectionDocument Out);

internal sealed record DirectionDocument(long Packets, long Octets, long Dropped);

internal sealed record ControlDropsDocument(long ReceiveOverrun, long TransmitDropped, long RepliesLimited);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusDocument))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
