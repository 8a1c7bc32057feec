namespace Ppp.Daemon.Supervision;

/// <summary>Why a dial attempt or a connection ended, for the policy's event and for status.</summary>
internal enum LinkEndCause
{
    /// <summary>No device of <c>set device</c> could be opened.</summary>
    OpenFailed,

    /// <summary>The dial or login chat script failed.</summary>
    ChatFailed,

    /// <summary>LCP or an NCP gave up before the network phase.</summary>
    NegotiationFailed,

    /// <summary>Authentication failed (either way).</summary>
    AuthFailed,

    /// <summary>The modem dropped carrier (DCD).</summary>
    CarrierLost,

    /// <summary>A read or write on the line failed, or the line reached end of file.</summary>
    LineError,

    /// <summary>LCP echo: too many periods without a frame from the peer.</summary>
    EchoTimeout,

    /// <summary>The peer sent a Terminate-Request.</summary>
    PeerTerminated,

    /// <summary><c>set timeout</c>: no traffic for the idle time.</summary>
    IdleTimeout,

    /// <summary><c>close</c>/<c>down</c>, from the prompt, a file or the diagnostic socket.</summary>
    Closed,

    /// <summary><c>quit</c> or a signal.</summary>
    Quit,

    /// <summary><c>set resetat</c>: the daily forced disconnect.</summary>
    Scheduled,
}

internal static class LinkEndCauses
{
    /// <summary>The cause's name in the JSON status and the metrics: kebab-case, stable.</summary>
    public static string Key(LinkEndCause cause) => cause switch
    {
        LinkEndCause.OpenFailed => "open-failed",
        LinkEndCause.ChatFailed => "chat-failed",
        LinkEndCause.NegotiationFailed => "negotiation-failed",
        LinkEndCause.AuthFailed => "auth-failed",
        LinkEndCause.CarrierLost => "carrier-lost",
        LinkEndCause.LineError => "line-error",
        LinkEndCause.EchoTimeout => "echo-timeout",
        LinkEndCause.PeerTerminated => "peer-terminated",
        LinkEndCause.IdleTimeout => "idle-timeout",
        LinkEndCause.Closed => "closed",
        LinkEndCause.Quit => "quit",
        LinkEndCause.Scheduled => "scheduled",
        _ => cause.ToString().ToLowerInvariant(),
    };
}
