namespace Ppp.Core.Control;

/// <summary>
/// One <c>set metrics</c> line, parsed: <c>set metrics [addr:][+]port|none</c>. A port alone
/// binds loopback (127.0.0.1), as <c>set server</c> does; <c>+N</c> adds the tun's unit number,
/// so one ppp.conf serves several daemons. <see cref="Endpoint"/> is null for <c>none</c>.
/// </summary>
public sealed record MetricsCommand(ServerEndpoint? Endpoint)
{
    public const string Syntax = "[addr:][+]port|none";

    /// <summary>Parses the arguments after <c>set metrics</c>; never throws on their content.</summary>
    public static (MetricsCommand? Command, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
            return (null, "missing argument");
        if (args.Count > 1)
            return (null, "too many arguments");
        if (args[0].Equals("none", StringComparison.OrdinalIgnoreCase))
            return (new MetricsCommand((ServerEndpoint?)null), null);
        var (endpoint, error) = ServerEndpoint.ParseTcp(args[0], "is not a TCP port");
        return endpoint is null ? (null, error) : (new MetricsCommand(endpoint), null);
    }
}

/// <summary>
/// The HTTP metrics endpoint as <c>show bundle</c> and <c>show metrics</c> see it: where it
/// listens and how many requests it answered, by HTTP status code.
/// </summary>
public sealed record MetricsServerStatus(string Endpoint, bool Listening, string? Error, IReadOnlyList<(int Code, long Count)> Responses)
{
    /// <summary>Connections closed unanswered because <see cref="Endpoint"/> already had its maximum.</summary>
    public long Refused { get; init; }
}
