using static Ppp.Core.Fsm.FsmActions;
using static Ppp.Core.Fsm.FsmEvent;
using static Ppp.Core.Fsm.FsmState;

namespace Ppp.Core.Fsm;

/// <summary>
/// The RFC 1661 §4.1 state transition table as a pure function. Every cell of the RFC's table
/// is one arm below, in the RFC's row order; "-" cells (events that cannot occur) are
/// <see cref="FsmTransition.IsLegal"/> = false with the state unchanged.
/// <para>
/// Options the RFC leaves open: the restart option ("r" on Open in Stopped, Closing, Stopping,
/// Opened) is not taken, so Open there only moves Closing to Stopping; the passive option ("p")
/// is the executor's concern (it decides whether to wait in Stopped before the first request).
/// </para>
/// </summary>
public static class FsmTable
{
    private static readonly FsmTransition Illegal = new(Initial, None, IsLegal: false);

    public static FsmTransition Transition(FsmState state, FsmEvent e)
    {
        var t = Lookup(state, e);
        return t.IsLegal ? t : t with { Next = state };
    }

    private static FsmTransition Lookup(FsmState state, FsmEvent e) => (e, state) switch
    {
        // Up
        (Up, Initial) => T(Closed),
        (Up, Starting) => T(RequestSent, InitializeRestartCount | SendConfigureRequest),
        (Up, _) => Illegal,

        // Down
        (Down, Closed) => T(Initial),
        (Down, Stopped) => T(Starting, ThisLayerStarted),
        (Down, Closing) => T(Initial),
        (Down, Stopping) => T(Starting),
        (Down, RequestSent or AckReceived or AckSent) => T(Starting),
        (Down, Opened) => T(Starting, ThisLayerDown),
        (Down, _) => Illegal,

        // Open
        (Open, Initial) => T(Starting, ThisLayerStarted),
        (Open, Starting) => T(Starting),
        (Open, Closed) => T(RequestSent, InitializeRestartCount | SendConfigureRequest),
        (Open, Stopped) => T(Stopped),
        (Open, Closing) => T(Stopping),
        (Open, Stopping) => T(Stopping),
        (Open, RequestSent) => T(RequestSent),
        (Open, AckReceived) => T(AckReceived),
        (Open, AckSent) => T(AckSent),
        (Open, Opened) => T(Opened),

        // Close
        (Close, Initial) => T(Initial),
        (Close, Starting) => T(Initial, ThisLayerFinished),
        (Close, Closed or Stopped) => T(Closed),
        (Close, Closing or Stopping) => T(Closing),
        (Close, RequestSent or AckReceived or AckSent) => T(Closing, InitializeRestartCount | SendTerminateRequest),
        (Close, Opened) => T(Closing, ThisLayerDown | InitializeRestartCount | SendTerminateRequest),

        // TO+
        (TimeoutRetry, Closing) => T(Closing, SendTerminateRequest),
        (TimeoutRetry, Stopping) => T(Stopping, SendTerminateRequest),
        (TimeoutRetry, RequestSent or AckReceived) => T(RequestSent, SendConfigureRequest),
        (TimeoutRetry, AckSent) => T(AckSent, SendConfigureRequest),
        (TimeoutRetry, _) => Illegal,

        // TO-
        (TimeoutGiveUp, Closing) => T(Closed, ThisLayerFinished),
        (TimeoutGiveUp, Stopping or RequestSent or AckReceived or AckSent) => T(Stopped, ThisLayerFinished),
        (TimeoutGiveUp, _) => Illegal,

        // RCR+
        (ReceiveConfigureRequestGood, Closed) => T(Closed, SendTerminateAck),
        (ReceiveConfigureRequestGood, Stopped) => T(AckSent, InitializeRestartCount | SendConfigureRequest | SendConfigureAck),
        (ReceiveConfigureRequestGood, Closing) => T(Closing),
        (ReceiveConfigureRequestGood, Stopping) => T(Stopping),
        (ReceiveConfigureRequestGood, RequestSent) => T(AckSent, SendConfigureAck),
        (ReceiveConfigureRequestGood, AckReceived) => T(Opened, SendConfigureAck | ThisLayerUp),
        (ReceiveConfigureRequestGood, AckSent) => T(AckSent, SendConfigureAck),
        (ReceiveConfigureRequestGood, Opened) => T(AckSent, ThisLayerDown | SendConfigureRequest | SendConfigureAck),
        (ReceiveConfigureRequestGood, _) => Illegal,

        // RCR-
        (ReceiveConfigureRequestBad, Closed) => T(Closed, SendTerminateAck),
        (ReceiveConfigureRequestBad, Stopped) => T(RequestSent, InitializeRestartCount | SendConfigureRequest | SendConfigureNak),
        (ReceiveConfigureRequestBad, Closing) => T(Closing),
        (ReceiveConfigureRequestBad, Stopping) => T(Stopping),
        (ReceiveConfigureRequestBad, RequestSent) => T(RequestSent, SendConfigureNak),
        (ReceiveConfigureRequestBad, AckReceived) => T(AckReceived, SendConfigureNak),
        (ReceiveConfigureRequestBad, AckSent) => T(RequestSent, SendConfigureNak),
        (ReceiveConfigureRequestBad, Opened) => T(RequestSent, ThisLayerDown | SendConfigureRequest | SendConfigureNak),
        (ReceiveConfigureRequestBad, _) => Illegal,

        // RCA
        (ReceiveConfigureAck, Closed) => T(Closed, SendTerminateAck),
        (ReceiveConfigureAck, Stopped) => T(Stopped, SendTerminateAck),
        (ReceiveConfigureAck, Closing) => T(Closing),
        (ReceiveConfigureAck, Stopping) => T(Stopping),
        (ReceiveConfigureAck, RequestSent) => T(AckReceived, InitializeRestartCount),
        (ReceiveConfigureAck, AckReceived) => T(RequestSent, SendConfigureRequest),
        (ReceiveConfigureAck, AckSent) => T(Opened, InitializeRestartCount | ThisLayerUp),
        (ReceiveConfigureAck, Opened) => T(RequestSent, ThisLayerDown | SendConfigureRequest),
        (ReceiveConfigureAck, _) => Illegal,

        // RCN
        (ReceiveConfigureNak, Closed) => T(Closed, SendTerminateAck),
        (ReceiveConfigureNak, Stopped) => T(Stopped, SendTerminateAck),
        (ReceiveConfigureNak, Closing) => T(Closing),
        (ReceiveConfigureNak, Stopping) => T(Stopping),
        (ReceiveConfigureNak, RequestSent) => T(RequestSent, InitializeRestartCount | SendConfigureRequest),
        (ReceiveConfigureNak, AckReceived) => T(RequestSent, SendConfigureRequest),
        (ReceiveConfigureNak, AckSent) => T(AckSent, InitializeRestartCount | SendConfigureRequest),
        (ReceiveConfigureNak, Opened) => T(RequestSent, ThisLayerDown | SendConfigureRequest),
        (ReceiveConfigureNak, _) => Illegal,

        // RTR
        (ReceiveTerminateRequest, Closed) => T(Closed, SendTerminateAck),
        (ReceiveTerminateRequest, Stopped) => T(Stopped, SendTerminateAck),
        (ReceiveTerminateRequest, Closing) => T(Closing, SendTerminateAck),
        (ReceiveTerminateRequest, Stopping) => T(Stopping, SendTerminateAck),
        (ReceiveTerminateRequest, RequestSent or AckReceived or AckSent) => T(RequestSent, SendTerminateAck),
        (ReceiveTerminateRequest, Opened) => T(Stopping, ThisLayerDown | ZeroRestartCount | SendTerminateAck),
        (ReceiveTerminateRequest, _) => Illegal,

        // RTA
        (ReceiveTerminateAck, Closed) => T(Closed),
        (ReceiveTerminateAck, Stopped) => T(Stopped),
        (ReceiveTerminateAck, Closing) => T(Closed, ThisLayerFinished),
        (ReceiveTerminateAck, Stopping) => T(Stopped, ThisLayerFinished),
        (ReceiveTerminateAck, RequestSent or AckReceived) => T(RequestSent),
        (ReceiveTerminateAck, AckSent) => T(AckSent),
        (ReceiveTerminateAck, Opened) => T(RequestSent, ThisLayerDown | SendConfigureRequest),
        (ReceiveTerminateAck, _) => Illegal,

        // RUC
        (ReceiveUnknownCode, Initial or Starting) => Illegal,
        (ReceiveUnknownCode, _) => T(state, SendCodeReject),

        // RXJ+
        (ReceiveRejectPermitted, Initial or Starting) => Illegal,
        (ReceiveRejectPermitted, AckReceived) => T(RequestSent),
        (ReceiveRejectPermitted, _) => T(state),

        // RXJ-
        (ReceiveRejectCatastrophic, Closed or Closing) => T(Closed, ThisLayerFinished),
        (ReceiveRejectCatastrophic, Stopped or Stopping or RequestSent or AckReceived or AckSent) => T(Stopped, ThisLayerFinished),
        (ReceiveRejectCatastrophic, Opened) => T(Stopping, ThisLayerDown | InitializeRestartCount | SendTerminateRequest),
        (ReceiveRejectCatastrophic, _) => Illegal,

        // RXR
        (ReceiveEchoOrDiscard, Initial or Starting) => Illegal,
        (ReceiveEchoOrDiscard, Opened) => T(Opened, SendEchoReply),
        (ReceiveEchoOrDiscard, _) => T(state),

        _ => Illegal,
    };

    private static FsmTransition T(FsmState next, FsmActions actions = None) => new(next, actions);
}
