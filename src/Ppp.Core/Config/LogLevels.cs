namespace Ppp.Core.Config;

/// <summary>
/// ppp(8)'s log levels ("LOGGING FACILITIES"). Each is a logger category, so <c>set log</c> is a
/// filter on categories. Warning, Error and Alert are always on: <c>set log</c> cannot remove them.
/// </summary>
public static class LogLevels
{
    public const string Phase = "Phase";
    public const string Command = "Command";
    public const string Warning = "Warning";
    public const string Error = "Error";
    public const string Alert = "Alert";
    public const string TcpIp = "TCP/IP";
    public const string Timer = "Timer";

    /// <summary>Every level, in ppp(8)'s order (that of <c>show log</c>).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "Async", "CBCP", "CCP", "Chat", Command, "Connect", "Debug", "DNS", "Filter", "HDLC", "ID0",
        "IPCP", "IPV6CP", "LCP", "LQM", Phase, "Physical", "Radius", "Sync", "TCP/IP", "Timer", "TUN",
        Warning, Error, Alert,
    ];

    /// <summary>
    /// ppp(8) levels that log nothing here, each with the reason; <c>set log</c> refuses them
    /// (and <c>all</c> leaves them out) rather than accept a level that stays silent.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Unsupported { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Async"] = "async frame dumps are not written (the HDLC counters are in show physical)",
        ["CBCP"] = "callback (CBCP) is not implemented",
        ["CCP"] = "CCP compression is not implemented",
        ["Filter"] = "packets the in and out filters deny are counted, not logged one by one (show filter gives the counts)",
        ["HDLC"] = "HDLC frame dumps are not written (the HDLC counters are in show physical)",
        ["ID0"] = "ppp runs as root throughout: its privileged operations (tun, addresses, routes) are logged under TUN",
        ["LQM"] = "LQR is not implemented; LCP echoes are logged under LCP",
        ["Radius"] = "RADIUS is not implemented",
        ["Sync"] = "synchronous frame dumps are not written",
    };

    /// <summary>The levels <c>set log all</c> turns on: every one that logs something here.</summary>
    public static IReadOnlyList<string> Supported { get; } = [.. All.Where(l => !Unsupported.ContainsKey(l))];

    /// <summary>The levels <c>set log</c> cannot turn off.</summary>
    public static IReadOnlyList<string> AlwaysOn { get; } = [Warning, Error, Alert];

    /// <summary>The canonical name of a level given in any case, or null.</summary>
    public static string? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(l => l.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Levels of a set, in ppp(8)'s order.</summary>
    public static IEnumerable<string> Ordered(IEnumerable<string> levels)
    {
        var set = levels.ToHashSet(StringComparer.Ordinal);
        return All.Where(set.Contains);
    }
}
