namespace Ppp.Daemon.Control;

/// <summary>
/// The diagnostic socket's limits against clients that misbehave. The defaults suit a daemon;
/// tests shrink the times.
/// </summary>
internal sealed record ControlServerOptions
{
    /// <summary>Sessions at once; one more is told so and closed.</summary>
    public int MaxSessions { get; init; } = 64;

    /// <summary>A longer line (no newline within this many octets) drops the client.</summary>
    public int MaxLineLength { get; init; } = 8192;

    /// <summary>A client must give the password within this time of connecting.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A session without a complete line for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Each wrong password waits this long times the failures so far before the answer.</summary>
    public TimeSpan FailureDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wrong passwords before the client is dropped.</summary>
    public int MaxPasswordFailures { get; init; } = 3;

    /// <summary>A client that takes no output for this long is dropped.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The host name in the prompt (<c>ppp ON host&gt;</c>).</summary>
    public string HostName { get; init; } = Environment.MachineName;
}
