using Ppp.Core.Commands;

namespace Ppp.Core.Control;

/// <summary>
/// The commands of the diagnostic socket: <c>set server|socket</c>, <c>passwd</c>,
/// <c>show who</c>, and <c>show status</c> (the JSON status, beyond ppp(8)). The socket itself
/// lives in the daemon; these reach it through <see cref="IBundleRuntime.Server"/> and the
/// session in <see cref="CommandOrigin.Session"/>.
/// </summary>
internal static class ControlCommands
{
    /// <summary>What a session may run before <c>passwd</c> succeeds (ppp(8): the prompt shows "on").</summary>
    public static bool AllowedBeforePasswd(CommandSpec spec) => spec.Name is "passwd" or "quit" or "help";

    public static CommandSpec SetServer { get; } = new()
    {
        Name = "server",
        Aliases = ["socket"],
        Syntax = "TcpPort|LocalName|none|open|closed [password [mask]]",
        Description = "the diagnostic socket (pppctl): a TCP port (+N adds the unit) or an absolute path (%d is the unit)",
        SensitiveFrom = 1,
        Handler = c =>
        {
            var (command, error) = ServerCommand.Parse(c.Args);
            if (command is null)
                return $"{c.Path}: {error}; {c.Usage}";
            return c.Runtime?.Server(command).Error;
        },
    };

    public static CommandSpec Passwd { get; } = new()
    {
        Name = "passwd",
        Syntax = "pass",
        Description = "give the diagnostic socket's password (the prompt's \"on\" turns to \"ON\")",
        SensitiveFrom = 0,
        Handler = c =>
        {
            if (c.Origin.Session is not { } session)
                return "passwd: only a diagnostic-socket session needs a password";
            if (c.Args.Count != 1)
                return $"passwd: {c.Usage}";
            return session.Authorise(c.Args[0]);
        },
    };

    public static CommandSpec ShowWho { get; } = new()
    {
        Name = "who",
        Description = "the clients of the diagnostic socket (* marks this one)",
        Handler = c =>
        {
            if (c.Args.Count > 0)
                return $"{c.Path}: takes no arguments";
            var server = c.Runtime?.CaptureStatus().Server;
            if (server is null || server.Sessions.Count == 0)
            {
                c.Output.WriteLine("no diagnostic-socket sessions");
                return null;
            }
            foreach (var session in server.Sessions)
            {
                bool self = c.Origin.Session?.Id == session.Id;
                c.Output.WriteLine($"{session.Name}{(session.Authorised ? "" : " (no passwd yet)")}{(self ? " *" : "")}");
            }
            return null;
        },
    };

    public static CommandSpec ShowStatus { get; } = new()
    {
        Name = "status",
        Syntax = "[json]",
        Description = "the bundle's state as one JSON object (ppp(8), JSON STATUS)",
        Handler = c =>
        {
            if (c.Args.Count > 1 || (c.Args.Count == 1 && !c.Args[0].Equals("json", StringComparison.OrdinalIgnoreCase)))
                return $"{c.Path}: JSON is the only format; {c.Usage}";
            if (c.Runtime is null)
            {
                c.Output.WriteLine("(no link: settings only)");
                return null;
            }
            c.Output.WriteLine(StatusJson.Serialize(c.Runtime.CaptureStatus()));
            return null;
        },
    };

    /// <summary><c>set metrics</c>: the HTTP endpoint for Prometheus (beyond ppp(8)).</summary>
    public static CommandSpec SetMetrics { get; } = new()
    {
        Name = "metrics",
        Syntax = MetricsCommand.Syntax,
        Description = "serve show metrics over HTTP for Prometheus: a TCP port on loopback, or addr:port (+N adds the unit)",
        Handler = c =>
        {
            var (command, error) = MetricsCommand.Parse(c.Args);
            if (command is null)
                return $"{c.Path}: {error}; {c.Usage}";
            return c.Runtime?.Metrics(command).Error;
        },
    };

    /// <summary><c>show metrics</c>: the link figures in the Prometheus text format (beyond ppp(8)).</summary>
    public static CommandSpec ShowMetrics { get; } = new()
    {
        Name = "metrics",
        Description = "the link figures in the Prometheus text format (what set metrics serves)",
        Handler = c =>
        {
            if (c.Args.Count > 0)
                return $"{c.Path}: takes no arguments";
            if (c.Runtime is null)
            {
                c.Output.WriteLine("(no link: settings only)");
                return null;
            }
            c.Output.Write(MetricsFormatter.Format(c.Runtime.CaptureStatus()));
            return null;
        },
    };

    /// <summary>The <c>show bundle</c> line for the metrics endpoint.</summary>
    public static string DescribeMetrics(MetricsServerStatus? metrics)
    {
        if (metrics is null)
            return "none";
        string state = metrics.Listening ? "listening" : metrics.Error is null ? "closed" : $"closed: {metrics.Error}";
        return $"{metrics.Endpoint} ({state}), {metrics.Responses.Sum(r => r.Count)} response(s)";
    }

    /// <summary>The <c>show bundle</c> line; the password is never printed, only whether there is one.</summary>
    public static string DescribeServer(ServerStatus? server)
    {
        if (server is null)
            return "none";
        string state = server.Listening ? "listening" : server.Error is null ? "closed" : $"closed: {server.Error}";
        return $"{server.Endpoint} ({state}), password {(server.HasPassword ? "********" : "none")}, {server.Sessions.Count} session(s)";
    }
}
