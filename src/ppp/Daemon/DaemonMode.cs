namespace Ppp.Daemon.Daemon;

/// <summary>ppp(8)'s modes of operation (the command line's first flag).</summary>
internal enum DaemonMode
{
    /// <summary>A prompt on the terminal; the link is opened with <c>dial</c>.</summary>
    Interactive,

    /// <summary>Dial at once; detach once the link is up (exit 0), exit non-zero on failure.</summary>
    Background,

    /// <summary>As background, without detaching.</summary>
    Foreground,

    /// <summary>The link is our stdin/stdout (inetd, getty, socat EXEC).</summary>
    Direct,

    /// <summary>A leased line: keep the device open and the link up, forever.</summary>
    Dedicated,

    /// <summary>Dial on demand: its own issue.</summary>
    Auto,

    /// <summary>Dial on demand and whenever the link drops: its own issue.</summary>
    DDial,
}
