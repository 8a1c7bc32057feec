namespace Ppp.Core.Fsm;

/// <summary>What a protocol-specific handler says about a code the executor does not handle.</summary>
public enum ExtraCodeResult
{
    /// <summary>Unknown here: the executor sends Code-Reject (RUC).</summary>
    NotHandled,
    /// <summary>Handled completely by the handler (Echo, Discard, Identification, ...).</summary>
    Handled,
    /// <summary>A Code- or Protocol-Reject of something optional (RXJ+).</summary>
    RejectPermitted,
    /// <summary>A Code- or Protocol-Reject that makes this layer unusable (RXJ-).</summary>
    RejectCatastrophic,
}

/// <summary>
/// The protocol-specific half of a control protocol (LCP, IPCP, IPV6CP, CCP, ...), plugged into
/// the shared <see cref="ControlProtocolFsm"/>. All calls come from the link's single owner;
/// every span is borrowed for the duration of the call.
/// <para>
/// Handlers keep pppd's four option sets: what we want (configuration), what we allow the
/// peer, what we got (acked for us), what the peer has (acked for the peer).
/// </para>
/// </summary>
public interface IControlProtocolHandler
{
    /// <summary>Protocol number (e.g. 0xc021).</summary>
    ushort Protocol { get; }

    /// <summary>Log name and logger category ("LCP", "IPCP", "IPV6CP").</summary>
    string Name { get; }

    /// <summary>
    /// A new negotiation starts (a Configure-Request from a non-negotiating state): forget what
    /// earlier Naks and Rejects changed and go back to what we want.
    /// </summary>
    void ResetNegotiation();

    /// <summary>Writes the options of our next Configure-Request; returns the octets written.</summary>
    int WriteRequest(Span<byte> options);

    /// <summary>
    /// Judges each option of the peer's Configure-Request, calling <see cref="ConfigureResponse.Nak"/>
    /// or <see cref="ConfigureResponse.Reject"/> for those that are not acceptable. Options left
    /// alone are acknowledged. The handler records the peer's values only when
    /// <see cref="PeerRequestAcked"/> is called.
    /// </summary>
    void JudgeRequest(ReadOnlySpan<byte> options, ref ConfigureResponse response);

    /// <summary>The request last judged was acknowledged as a whole: commit the peer's values.</summary>
    void PeerRequestAcked(ReadOnlySpan<byte> options);

    /// <summary>Applies a Configure-Nak to our wanted options. False: malformed or bogus, drop it.</summary>
    bool ApplyNak(ReadOnlySpan<byte> options);

    /// <summary>Applies a Configure-Reject. False: malformed, or names what we did not send; drop it.</summary>
    bool ApplyReject(ReadOnlySpan<byte> options);

    /// <summary>Our request was acknowledged (the executor checked it equals what we sent).</summary>
    void RequestAcked(ReadOnlySpan<byte> options);

    /// <summary>tlu: the layer is up.</summary>
    void LayerUp();

    /// <summary>tld: the layer is leaving Opened.</summary>
    void LayerDown();

    /// <summary>tls: the layer wants the lower layer.</summary>
    void LayerStarted();

    /// <summary>tlf: the layer no longer needs the lower layer.</summary>
    void LayerFinished();

    /// <summary>
    /// Codes beyond 1-7 (and a Code-Reject, code 7, for information after the executor judged it).
    /// </summary>
    ExtraCodeResult HandleOtherCode(byte code, byte identifier, ReadOnlySpan<byte> data, FsmState state);

    /// <summary>
    /// Checked as the layer reaches Opened, before tlu: why what was agreed cannot be used (an
    /// IPCP with no address for one side, say), or null when it can. A layer with a problem
    /// does not come up: the executor closes it with the problem as its reason (pppd's
    /// ipcp_up does the same).
    /// </summary>
    string? ProblemWithAgreement() => null;

    /// <summary>
    /// When the peer Naks without end: what we and the peer disagree on, in words for the
    /// log and the end reason ("the peer wants 10.0.0.2 for us; set ifaddr allows 10.0.0.9"),
    /// or null when the handler cannot say more than the counts.
    /// </summary>
    string? Disagreement => null;

    /// <summary>Log text for one option: name as ppp(8) prints it (e.g. "MRU") and value.</summary>
    (string Name, string Value) DescribeOption(byte type, ReadOnlySpan<byte> data);
}
