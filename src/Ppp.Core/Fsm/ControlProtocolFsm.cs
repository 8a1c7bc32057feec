using System.Buffers;
using Microsoft.Extensions.Logging;
using Ppp.Core.Link;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Fsm;

/// <summary>
/// The executor shared by every control protocol: runs <see cref="FsmTable"/>, the restart
/// timer, Max-Configure/Max-Terminate/Max-Failure, identifiers, Code-Reject, and calls the
/// protocol's <see cref="IControlProtocolHandler"/>. Single owner: every method is called from
/// the link loop (timer expiries arrive there through the <see cref="LinkScheduler"/>).
/// <para>
/// Replies are matched to the outstanding Configure-Request by identifier, and only the first
/// reply to a request counts (RFC 1661 §5: an Identifier that does not match is silently
/// discarded), so duplicated or late replies on a lossy line cannot move the state twice.
/// </para>
/// </summary>
public sealed partial class ControlProtocolFsm
{
    private const int MaxControlPacket = 65535;

    private readonly IControlProtocolHandler _handler;
    private readonly IPacketOutput _output;
    private readonly ILogger _logger;
    private readonly LinkTimer _restartTimer;

    // What a peer can make this layer do by sending: replies and warnings, each bounded.
    private readonly WindowLimit _terminateAcks;
    private readonly WindowLimit _codeRejects;
    private readonly WindowLimit _dropLines;
    private readonly WindowLimit _illegalLines;
    private byte[] _lastRequest = new byte[64];
    private int _lastRequestLength;
    private int _restartCount;
    private byte _nextIdentifier;
    private byte _requestIdentifier;
    private bool _requestAnswered = true;
    private int _naksSent;
    private int _rejectsSent;
    private int _naksReceived;
    private int _unansweredRequests;
    private bool _layerUp;
    private string _terminateReason = "";

    public ControlProtocolFsm(
        IControlProtocolHandler handler,
        IPacketOutput output,
        LinkScheduler scheduler,
        ILogger logger,
        FsmOptions? options = null,
        string linkName = "deflink")
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(logger);
        _handler = handler;
        _output = output;
        _logger = logger;
        Options = options ?? FsmOptions.Default;
        LinkName = linkName;
        _restartTimer = scheduler.CreateTimer(OnRestartTimerExpired, $"{handler.Name}: {linkName}: restart");
        _terminateAcks = WindowLimit.ForReplies(scheduler.Time);
        _codeRejects = WindowLimit.ForReplies(scheduler.Time);
        _dropLines = WindowLimit.ForLogLines(scheduler.Time);
        _illegalLines = WindowLimit.ForLogLines(scheduler.Time);
    }

    public FsmState State { get; private set; } = FsmState.Initial;

    public FsmOptions Options { get; set; }

    public string LinkName { get; }

    public IControlProtocolHandler Handler => _handler;

    public FsmCounters Counters { get; } = new();

    /// <summary>Raised after every state change (old, new), from the link loop.</summary>
    public event Action<FsmState, FsmState>? StateChanged;

    /// <summary>
    /// Why the layer last failed: we gave up (Configure-Requests unanswered, a peer that does
    /// not converge, an agreement we cannot use), the peer rejected the protocol, or the peer
    /// closed it. Null while it has not failed since the last Open.
    /// </summary>
    public string? FailureReason { get; private set; }

    /// <summary>
    /// We gave up on the layer (the argument says why, as <see cref="FailureReason"/>): the
    /// restart counter ran out, the peer would not converge, or <see cref="Fail"/> was called.
    /// Raised after the state change (Stopped, or Closing for <see cref="Fail"/>).
    /// </summary>
    public event Action<string>? GaveUp;

    /// <summary>The peer sent a Terminate-Request; the argument is its reason text, if any (printable).</summary>
    public event Action<string>? TerminateRequestReceived;

    /// <summary>RFC 1661 §4.3 Up: the lower layer is ready to carry packets.</summary>
    public void Up()
    {
        if (State == FsmState.Starting && Options.Passive)
        {
            // Passive open ("p" in the RFC's table, ppp(8) `set openmode passive`): the
            // lower layer is up, but we wait in Stopped for the peer to speak first.
            ChangeState(FsmState.Stopped);
            return;
        }
        Run(FsmEvent.Up, default);
    }

    /// <summary>RFC 1661 §4.3 Down: the lower layer is no longer ready.</summary>
    public void Down() => Run(FsmEvent.Down, default);

    /// <summary>Administrative Open.</summary>
    public void Open()
    {
        FailureReason = null;
        Run(FsmEvent.Open, default);
    }

    /// <summary>
    /// Gives the layer up for <paramref name="reason"/>: logs it as a warning, records it as
    /// <see cref="FailureReason"/>, raises <see cref="GaveUp"/> and closes the layer with the
    /// reason in the Terminate-Request (as pppd's ipcp_close after "Could not determine local
    /// IP address").
    /// </summary>
    public void Fail(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        BeginGivingUp(reason);
        Close(reason);
        GaveUp?.Invoke(reason);
    }

    /// <summary>Administrative Close; <paramref name="reason"/> travels in the Terminate-Request.</summary>
    public void Close(string reason = "")
    {
        _terminateReason = reason;
        Run(FsmEvent.Close, default);
    }

    /// <summary>
    /// A Code-Reject or Protocol-Reject aimed at this protocol, judged by someone else (LCP
    /// routes a Protocol-Reject of an NCP here): RXJ+ or RXJ-.
    /// </summary>
    public void RejectReceived(bool catastrophic)
    {
        if (catastrophic && State != FsmState.Initial)
            FailureReason ??= "the peer rejected the protocol";
        Run(catastrophic ? FsmEvent.ReceiveRejectCatastrophic : FsmEvent.ReceiveRejectPermitted, default);
    }

    /// <summary>A fresh identifier for a packet the handler sends itself (Echo-Request, ...).</summary>
    public byte NextIdentifier() => _nextIdentifier++;

    /// <summary>Sends a control packet of this protocol (handlers use it for Echo, Discard, Protocol-Reject).</summary>
    public void Send(byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        int length = Math.Min(ControlPacket.HeaderLength + data.Length, MaxControlPacket);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            ControlPacket.Write(buffer, code, identifier, data[..(length - ControlPacket.HeaderLength)]);
            Counters.Sent++;
            _output.Send(_handler.Protocol, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// One received packet of this protocol (code, identifier, length, data). Malformed packets,
    /// stale replies and events the current state cannot take are counted and dropped: peer
    /// input never throws.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> packet)
    {
        if (!ControlPacket.TryParse(packet, out var p))
        {
            Drop("short or bad length");
            return;
        }
        Counters.Received++;
        var received = new Received(p.Code, p.Identifier, p.Data, packet);
        switch ((ControlCode)p.Code)
        {
            case ControlCode.ConfigureRequest:
                ReceiveConfigureRequest(received);
                break;
            case ControlCode.ConfigureAck:
                ReceiveConfigureAck(received);
                break;
            case ControlCode.ConfigureNak:
            case ControlCode.ConfigureReject:
                ReceiveConfigureNakOrReject(received);
                break;
            case ControlCode.TerminateRequest:
                LogReceive(received, "RecvTerminateReq");
                if (!p.Data.IsEmpty && _logger.IsEnabled(LogLevel.Information))
                    LogTerminateReason(_logger, LinkName, Printable(p.Data));
                TerminateRequestReceived?.Invoke(p.Data.IsEmpty ? "" : Printable(p.Data));
                if (State is FsmState.Opened or FsmState.RequestSent or FsmState.AckReceived or FsmState.AckSent)
                    FailureReason ??= p.Data.IsEmpty ? "the peer closed it" : $"the peer closed it: \"{Printable(p.Data)}\"";
                Run(FsmEvent.ReceiveTerminateRequest, received);
                break;
            case ControlCode.TerminateAck:
                LogReceive(received, "RecvTerminateAck");
                Run(FsmEvent.ReceiveTerminateAck, received);
                break;
            case ControlCode.CodeReject:
                ReceiveCodeReject(received);
                break;
            case ControlCode.EchoRequest or ControlCode.EchoReply or ControlCode.DiscardRequest
                when _handler.Protocol == (ushort)PppProtocol.Lcp:
                Run(FsmEvent.ReceiveEchoOrDiscard, received);
                break;
            default:
                ReceiveOtherCode(received);
                break;
        }
    }

    private void ReceiveConfigureRequest(in Received received)
    {
        LogReceive(received, "RecvConfigReq");
        if (!OptionReader.IsWellFormed(received.Data))
        {
            Drop("malformed Configure-Request options");
            return;
        }
        LogOptions(received.Data);
        switch (State)
        {
            case FsmState.Initial or FsmState.Starting:
                Drop($"Configure-Request in state {StateName(State)}");
                return;
            case FsmState.Closed or FsmState.Closing or FsmState.Stopping:
                // No judgement needed: these states answer (or ignore) any request alike.
                Run(FsmEvent.ReceiveConfigureRequestGood, received);
                return;
        }

        byte[] nak = ArrayPool<byte>.Shared.Rent(received.Data.Length + 256);
        byte[] reject = ArrayPool<byte>.Shared.Rent(received.Data.Length);
        try
        {
            var response = new ConfigureResponse(nak, reject, naksBecomeRejects: _naksSent >= Options.MaxFailure);
            _handler.JudgeRequest(received.Data, ref response);
            if (response.HasRejects && _rejectsSent >= Options.MaxFailure
                && State is FsmState.RequestSent or FsmState.AckReceived or FsmState.AckSent)
            {
                // Max-Failure applied to Rejects (docs/deviations.md): a peer that asks again
                // for what we rejected, Max-Failure times, would ask for ever.
                GiveUpOnPeerRequests();
                return;
            }
            var withResponse = received with
            {
                ResponseCode = response.HasRejects ? ControlCode.ConfigureReject : ControlCode.ConfigureNak,
                ResponseOptions = response.HasRejects ? response.RejectOptions : response.NakOptions,
            };
            if (!response.IsAck && !OptionReader.IsWellFormed(withResponse.ResponseOptions))
                throw new InvalidOperationException($"{_handler.Name} built a malformed Configure-Nak/Reject.");
            Run(response.IsAck ? FsmEvent.ReceiveConfigureRequestGood : FsmEvent.ReceiveConfigureRequestBad, withResponse);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(nak);
            ArrayPool<byte>.Shared.Return(reject);
        }
    }

    /// <summary>The peer's requests never became acceptable: give up as if the restart counter had run out.</summary>
    private void GiveUpOnPeerRequests()
    {
        Counters.NegotiationFailures++;
        string count = $"not converging: the peer asked {_rejectsSent + 1} times for options we rejected";
        string reason = _handler.Disagreement is { } why ? $"{why} ({count})" : count;
        BeginGivingUp(reason);
        Run(FsmEvent.TimeoutGiveUp, default);
        GaveUp?.Invoke(reason);
    }

    private void ReceiveConfigureAck(in Received received)
    {
        LogReceive(received, "RecvConfigAck");
        if (State is FsmState.RequestSent or FsmState.AckReceived or FsmState.AckSent or FsmState.Opened)
        {
            if (!IsReplyToOutstandingRequest(received))
                return;
            if (!received.Data.SequenceEqual(_lastRequest.AsSpan(0, _lastRequestLength)))
            {
                Drop("Configure-Ack does not match our request");
                return;
            }
            _requestAnswered = true;
            _unansweredRequests = 0;
            _naksReceived = 0;
            _handler.RequestAcked(received.Data);
        }
        Run(FsmEvent.ReceiveConfigureAck, received);
    }

    private void ReceiveConfigureNakOrReject(in Received received)
    {
        bool isNak = received.Code == (byte)ControlCode.ConfigureNak;
        LogReceive(received, isNak ? "RecvConfigNak" : "RecvConfigRej");
        if (State is FsmState.RequestSent or FsmState.AckReceived or FsmState.AckSent or FsmState.Opened)
        {
            if (!IsReplyToOutstandingRequest(received))
                return;
            if (!OptionReader.IsWellFormed(received.Data))
            {
                Drop("malformed Configure-Nak/Reject options");
                return;
            }
            LogOptions(received.Data);
            bool applied = isNak ? _handler.ApplyNak(received.Data) : _handler.ApplyReject(received.Data);
            if (!applied)
            {
                Drop(isNak ? "Configure-Nak we cannot apply" : "Configure-Reject of options we did not send");
                return;
            }
            _requestAnswered = true;
            _unansweredRequests = 0;
            if (++_naksReceived > Options.MaxNakReceived && State != FsmState.Opened)
            {
                // RFC 1661 leaves a peer that never stops Naking unbounded (each RCN re-arms
                // the restart counter); we give up as if the restart counter had run out.
                int count = _naksReceived - 1;
                Counters.NegotiationFailures++;
                string reason = _handler.Disagreement is { } why
                    ? $"{why} (not converging: {count} Naks/Rejects without an Ack)"
                    : $"not converging: {count} Naks/Rejects without an Ack";
                BeginGivingUp(reason);
                Run(FsmEvent.TimeoutGiveUp, default);
                GaveUp?.Invoke(reason);
                return;
            }
        }
        Run(FsmEvent.ReceiveConfigureNak, received);
    }

    private void ReceiveCodeReject(in Received received)
    {
        LogReceive(received, "RecvCodeRej");
        if (received.Data.IsEmpty)
        {
            Drop("empty Code-Reject");
            return;
        }
        byte rejected = received.Data[0];
        // RFC 1661 §5.6: a reject of a code the automaton needs (1-7) makes the layer unusable.
        bool catastrophic = rejected is >= 1 and <= 7;
        if (catastrophic && State != FsmState.Initial)
            FailureReason ??= $"the peer rejected our {ControlCodes.Name(rejected)} (Code-Reject)";
        _handler.HandleOtherCode(received.Code, received.Identifier, received.Data, State);
        Run(catastrophic ? FsmEvent.ReceiveRejectCatastrophic : FsmEvent.ReceiveRejectPermitted, received);
    }

    private void ReceiveOtherCode(in Received received)
    {
        if (State is FsmState.Initial or FsmState.Starting)
        {
            Drop($"{ControlCodes.Name(received.Code)} in state {StateName(State)}");
            return;
        }
        var result = _handler.HandleOtherCode(received.Code, received.Identifier, received.Data, State);
        switch (result)
        {
            case ExtraCodeResult.NotHandled:
                Run(FsmEvent.ReceiveUnknownCode, received);
                break;
            case ExtraCodeResult.RejectPermitted:
                Run(FsmEvent.ReceiveRejectPermitted, received);
                break;
            case ExtraCodeResult.RejectCatastrophic:
                FailureReason ??= $"the peer rejected {_handler.Name} (Protocol-Reject)";
                Run(FsmEvent.ReceiveRejectCatastrophic, received);
                break;
        }
    }

    private bool IsReplyToOutstandingRequest(in Received received)
    {
        if (received.Identifier == _requestIdentifier && !_requestAnswered)
            return true;
        Drop($"reply id {received.Identifier} is not the outstanding request's ({_requestIdentifier})");
        return false;
    }

    private void OnRestartTimerExpired()
    {
        if (State is not (FsmState.Closing or FsmState.Stopping or FsmState.RequestSent
            or FsmState.AckReceived or FsmState.AckSent))
            return;
        Counters.Timeouts++;
        if (_restartCount > 0)
        {
            Run(FsmEvent.TimeoutRetry, default);
            return;
        }
        // Running out of Terminate-Requests is an end, not a failure; of Configure-Requests it is.
        if (State is not (FsmState.RequestSent or FsmState.AckReceived or FsmState.AckSent))
        {
            Run(FsmEvent.TimeoutGiveUp, default);
            return;
        }
        Counters.NegotiationFailures++;
        string reason = _unansweredRequests > 0
            ? $"{_unansweredRequests} Configure-Requests unanswered"
            : "the peer sent no Configure-Request we could Ack";
        BeginGivingUp(reason);
        Run(FsmEvent.TimeoutGiveUp, default);
        GaveUp?.Invoke(reason);
    }

    /// <summary>
    /// Logs and records the reason before the state changes, so whoever watches the state
    /// (the link, deciding whether any NCP is left) already sees why.
    /// </summary>
    private void BeginGivingUp(string reason)
    {
        FailureReason = reason;
        LogGivingUp(_logger, LinkName, reason);
    }

    private void Run(FsmEvent e, in Received received)
    {
        var from = State;
        var t = FsmTable.Transition(from, e);
        if (!t.IsLegal)
        {
            Counters.IllegalEvents++;
            if (_illegalLines.AllowLine(_logger, LogLevel.Warning, LinkName, "illegal events"))
                LogIllegalEvent(_logger, LinkName, EventName(e), StateName(from));
            return;
        }
        var a = t.Actions;
        bool negotiating = from is FsmState.RequestSent or FsmState.AckReceived or FsmState.AckSent;

        // The RFC runs the actions of a cell "in order"; the send actions report the state
        // the automaton is moving to, as ppp(8) logs them, so the state changes first.
        if ((a & FsmActions.ThisLayerDown) != 0 && _layerUp)
        {
            _layerUp = false;
            LogLayer(_logger, LinkName, "LayerDown");
            _handler.LayerDown();
        }
        ChangeState(t.Next);
        if ((a & FsmActions.InitializeRestartCount) != 0)
            _restartCount = (a & FsmActions.SendTerminateRequest) != 0 ? Options.MaxTerminate : Options.MaxConfigure;
        if ((a & FsmActions.ZeroRestartCount) != 0)
        {
            _restartCount = 0;
            _restartTimer.Start(Options.RestartTimeout);
        }
        if ((a & FsmActions.SendConfigureRequest) != 0)
            SendConfigureRequest(fresh: !negotiating);
        if ((a & FsmActions.SendConfigureAck) != 0)
        {
            _handler.PeerRequestAcked(received.Data);
            _naksSent = 0;
            _rejectsSent = 0;
            SendLogged(ControlCode.ConfigureAck, received.Identifier, received.Data, "SendConfigAck");
        }
        if ((a & FsmActions.SendConfigureNak) != 0)
        {
            if (received.ResponseCode == ControlCode.ConfigureNak)
                _naksSent++;
            else
                _rejectsSent++;
            SendLogged(received.ResponseCode, received.Identifier, received.ResponseOptions,
                received.ResponseCode == ControlCode.ConfigureNak ? "SendConfigNak" : "SendConfigRej");
        }
        if ((a & FsmActions.SendTerminateRequest) != 0)
            SendTerminateRequest();
        // Both answer whatever the peer sends: at most WindowLimit.RepliesPerSecond a second.
        if ((a & FsmActions.SendTerminateAck) != 0)
        {
            if (_terminateAcks.TryTake())
                SendLogged(ControlCode.TerminateAck, received.Identifier, [], "SendTerminateAck");
            else
                Counters.RepliesLimited++;
        }
        if ((a & FsmActions.SendCodeReject) != 0)
        {
            if (_codeRejects.TryTake())
                SendCodeReject(received);
            else
                Counters.RepliesLimited++;
        }
        if ((a & FsmActions.SendEchoReply) != 0)
            _handler.HandleOtherCode(received.Code, received.Identifier, received.Data, State);
        string? problem = null;
        if ((a & FsmActions.ThisLayerUp) != 0)
        {
            problem = _handler.ProblemWithAgreement();
            if (problem is null)
            {
                FailureReason = null;
                _layerUp = true;
                LogLayer(_logger, LinkName, "LayerUp");
                _handler.LayerUp();
            }
        }
        if ((a & FsmActions.ThisLayerStarted) != 0)
        {
            LogLayer(_logger, LinkName, "LayerStart");
            _handler.LayerStarted();
        }
        if ((a & FsmActions.ThisLayerFinished) != 0)
        {
            LogLayer(_logger, LinkName, "LayerFinish");
            _handler.LayerFinished();
        }
        if (State is not (FsmState.Closing or FsmState.Stopping or FsmState.RequestSent
            or FsmState.AckReceived or FsmState.AckSent))
            _restartTimer.Stop();
        // Opened, but what was agreed cannot be used: the layer never came up; close it now.
        if (problem is not null)
            Fail(problem);
    }

    private void ChangeState(FsmState next)
    {
        var old = State;
        if (old == next)
            return;
        State = next;
        LogStateChange(_logger, LinkName, StateName(old), StateName(next));
        if (next is FsmState.Opened or FsmState.Closed or FsmState.Stopped or FsmState.Initial)
            _naksReceived = 0;
        StateChanged?.Invoke(old, next);
    }

    private void SendConfigureRequest(bool fresh)
    {
        if (fresh)
        {
            _handler.ResetNegotiation();
            _naksSent = 0;
            _rejectsSent = 0;
            _naksReceived = 0;
            _unansweredRequests = 0;
        }
        Span<byte> options = stackalloc byte[1024];
        int length = _handler.WriteRequest(options);
        if (_lastRequest.Length < length)
            _lastRequest = new byte[length];
        options[..length].CopyTo(_lastRequest);
        _lastRequestLength = length;
        _requestIdentifier = NextIdentifier();
        _requestAnswered = false;
        _unansweredRequests++;
        _restartCount--;
        SendLogged(ControlCode.ConfigureRequest, _requestIdentifier, options[..length], "SendConfigReq");
        LogOptions(options[..length]);
        _restartTimer.Start(Options.RestartTimeout);
    }

    private void SendTerminateRequest()
    {
        _restartCount--;
        byte id = NextIdentifier();
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(_terminateReason.Length);
        Span<byte> reason = max <= 256 ? stackalloc byte[max] : new byte[max];
        int n = System.Text.Encoding.UTF8.GetBytes(_terminateReason, reason);
        SendLogged(ControlCode.TerminateRequest, id, reason[..n], "SendTerminateReq");
        _restartTimer.Start(Options.RestartTimeout);
    }

    private void SendCodeReject(in Received received)
    {
        // RFC 1661 §5.6: the rejected packet goes back whole (from the Information field),
        // truncated to fit the peer's MRU; 1500 - 4 keeps us within any MRU a peer may hold us to.
        var rejected = received.WholePacket;
        if (rejected.Length > 1496)
            rejected = rejected[..1496];
        SendLogged(ControlCode.CodeReject, NextIdentifier(), rejected, "SendCodeRej");
    }

    private void SendLogged(ControlCode code, byte id, ReadOnlySpan<byte> data, string what)
    {
        LogPacket(_logger, LinkName, what, id, StateName(State));
        Send((byte)code, id, data);
    }

    private void LogReceive(in Received received, string what) =>
        LogPacket(_logger, LinkName, what, received.Identifier, StateName(State));

    private void LogOptions(ReadOnlySpan<byte> options)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
            return;
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data, out var whole))
        {
            var (name, value) = _handler.DescribeOption(type, data);
            if (value.Length == 0)
                LogFlagOption(_logger, name, whole.Length);
            else
                LogOption(_logger, name, whole.Length, value);
        }
    }

    private void Drop(string why)
    {
        Counters.Dropped++;
        if (_dropLines.AllowLine(_logger, LogLevel.Warning, LinkName, "dropped packets"))
            LogDrop(_logger, LinkName, why);
    }

    private static string Printable(ReadOnlySpan<byte> data)
    {
        var chars = new char[Math.Min(data.Length, 128)];
        for (int i = 0; i < chars.Length; i++)
            chars[i] = data[i] is >= 0x20 and < 0x7f ? (char)data[i] : '.';
        return new string(chars);
    }

    /// <summary>State names as ppp(8) prints them.</summary>
    public static string StateName(FsmState state) => state switch
    {
        FsmState.Initial => "Initial",
        FsmState.Starting => "Starting",
        FsmState.Closed => "Closed",
        FsmState.Stopped => "Stopped",
        FsmState.Closing => "Closing",
        FsmState.Stopping => "Stopping",
        FsmState.RequestSent => "Req-Sent",
        FsmState.AckReceived => "Ack-Rcvd",
        FsmState.AckSent => "Ack-Sent",
        FsmState.Opened => "Opened",
        _ => state.ToString(),
    };

    /// <summary>A received packet as the actions need it; spans are borrowed.</summary>
    private readonly ref struct Received
    {
        public Received(byte code, byte identifier, ReadOnlySpan<byte> data, ReadOnlySpan<byte> wholePacket)
        {
            Code = code;
            Identifier = identifier;
            Data = data;
            WholePacket = wholePacket;
        }

        public byte Code { get; init; }
        public byte Identifier { get; init; }
        public ReadOnlySpan<byte> Data { get; init; }
        public ReadOnlySpan<byte> WholePacket { get; init; }
        public ControlCode ResponseCode { get; init; }
        public ReadOnlySpan<byte> ResponseOptions { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Link}: State change {From} --> {To}")]
    private static partial void LogStateChange(ILogger logger, string link, string from, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Link}: {What}({Id}) state = {State}")]
    private static partial void LogPacket(ILogger logger, string link, string what, byte id, string state);

    [LoggerMessage(Level = LogLevel.Debug, Message = " {Name}[{Length}] {Value}")]
    private static partial void LogOption(ILogger logger, string name, int length, string value);

    // An option with no data (PROTOCOMP, ACFCOMP) has nothing after its length: no trailing blank.
    [LoggerMessage(Level = LogLevel.Debug, Message = " {Name}[{Length}]")]
    private static partial void LogFlagOption(ILogger logger, string name, int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Link}: {What}")]
    private static partial void LogLayer(ILogger logger, string link, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Link}: dropped packet: {Why}")]
    private static partial void LogDrop(ILogger logger, string link, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Link}: illegal event {Event} in state {State}, ignored")]
    private static partial void LogIllegalEvent(ILogger logger, string link, string @event, string state);

    /// <summary>RFC 1661 §4.3's names of the events (TO+, RCR-, RXJ+, ...), as logs show them.</summary>
    internal static string EventName(FsmEvent e) => e switch
    {
        FsmEvent.TimeoutRetry => "TO+",
        FsmEvent.TimeoutGiveUp => "TO-",
        FsmEvent.ReceiveConfigureRequestGood => "RCR+",
        FsmEvent.ReceiveConfigureRequestBad => "RCR-",
        FsmEvent.ReceiveConfigureAck => "RCA",
        FsmEvent.ReceiveConfigureNak => "RCN",
        FsmEvent.ReceiveTerminateRequest => "RTR",
        FsmEvent.ReceiveTerminateAck => "RTA",
        FsmEvent.ReceiveUnknownCode => "RUC",
        FsmEvent.ReceiveRejectPermitted => "RXJ+",
        FsmEvent.ReceiveRejectCatastrophic => "RXJ-",
        FsmEvent.ReceiveEchoOrDiscard => "RXR",
        _ => e.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Link}: giving up: {Reason}")]
    private static partial void LogGivingUp(ILogger logger, string link, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Link}: peer says: {Reason}")]
    private static partial void LogTerminateReason(ILogger logger, string link, string reason);
}

/// <summary>Counters of one automaton, for `show` and tests.</summary>
public sealed class FsmCounters
{
    public long Received { get; internal set; }
    public long Sent { get; internal set; }
    public long Dropped { get; internal set; }
    public long Timeouts { get; internal set; }
    public long IllegalEvents { get; internal set; }
    public long NegotiationFailures { get; internal set; }

    /// <summary>Terminate-Acks and Code-Rejects not sent: the peer asked for more than the rate limit allows.</summary>
    public long RepliesLimited { get; internal set; }
}
