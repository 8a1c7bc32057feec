namespace Ppp.Core.Fsm;

/// <summary>The ten states of the RFC 1661 §4.2 automaton, numbered as the RFC's table.</summary>
public enum FsmState
{
    Initial = 0,
    Starting = 1,
    Closed = 2,
    Stopped = 3,
    Closing = 4,
    Stopping = 5,
    RequestSent = 6,
    AckReceived = 7,
    AckSent = 8,
    Opened = 9,
}

/// <summary>Events of RFC 1661 §4.3.</summary>
public enum FsmEvent
{
    Up,
    Down,
    Open,
    Close,
    /// <summary>TO+: the restart timer expired with the counter above zero.</summary>
    TimeoutRetry,
    /// <summary>TO-: the restart timer expired with the counter exhausted.</summary>
    TimeoutGiveUp,
    /// <summary>RCR+: an acceptable Configure-Request.</summary>
    ReceiveConfigureRequestGood,
    /// <summary>RCR-: a Configure-Request that gets a Nak or Reject.</summary>
    ReceiveConfigureRequestBad,
    /// <summary>RCA.</summary>
    ReceiveConfigureAck,
    /// <summary>RCN: a Configure-Nak or Configure-Reject.</summary>
    ReceiveConfigureNak,
    /// <summary>RTR.</summary>
    ReceiveTerminateRequest,
    /// <summary>RTA.</summary>
    ReceiveTerminateAck,
    /// <summary>RUC: a code we do not know.</summary>
    ReceiveUnknownCode,
    /// <summary>RXJ+: a Code- or Protocol-Reject of something optional.</summary>
    ReceiveRejectPermitted,
    /// <summary>RXJ-: a Code- or Protocol-Reject that makes the layer unusable.</summary>
    ReceiveRejectCatastrophic,
    /// <summary>RXR: Echo-Request, Echo-Reply or Discard-Request.</summary>
    ReceiveEchoOrDiscard,
}

/// <summary>Actions of RFC 1661 §4.4, run by the executor in the order declared here.</summary>
[Flags]
public enum FsmActions
{
    None = 0,
    /// <summary>tld: This-Layer-Down.</summary>
    ThisLayerDown = 1 << 0,
    /// <summary>irc: Initialize-Restart-Count (Max-Configure before scr, Max-Terminate before str).</summary>
    InitializeRestartCount = 1 << 1,
    /// <summary>zrc: Zero-Restart-Count (and start the timer).</summary>
    ZeroRestartCount = 1 << 2,
    /// <summary>scr: Send-Configure-Request.</summary>
    SendConfigureRequest = 1 << 3,
    /// <summary>sca: Send-Configure-Ack.</summary>
    SendConfigureAck = 1 << 4,
    /// <summary>scn: Send-Configure-Nak/Rej.</summary>
    SendConfigureNak = 1 << 5,
    /// <summary>str: Send-Terminate-Request.</summary>
    SendTerminateRequest = 1 << 6,
    /// <summary>sta: Send-Terminate-Ack.</summary>
    SendTerminateAck = 1 << 7,
    /// <summary>scj: Send-Code-Reject.</summary>
    SendCodeReject = 1 << 8,
    /// <summary>ser: Send-Echo-Reply.</summary>
    SendEchoReply = 1 << 9,
    /// <summary>tlu: This-Layer-Up.</summary>
    ThisLayerUp = 1 << 10,
    /// <summary>tls: This-Layer-Started.</summary>
    ThisLayerStarted = 1 << 11,
    /// <summary>tlf: This-Layer-Finished.</summary>
    ThisLayerFinished = 1 << 12,
}

/// <summary>One cell of the table. <see cref="IsLegal"/> is false for the RFC's "-" cells.</summary>
public readonly record struct FsmTransition(FsmState Next, FsmActions Actions, bool IsLegal = true);
