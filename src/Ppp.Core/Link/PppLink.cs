using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Ppp.Core.Framing;
using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Link;

/// <summary>
/// One PPP link: the phases of RFC 1661 §3, LCP, authentication, the NCPs and the demux.
/// <para>
/// Threads: <see cref="ReceiveBytes"/> runs on the host's reader; it delivers IPv4/IPv6
/// straight to the <see cref="INetworkPacketSink"/> and copies control packets to the link
/// loop through the <see cref="LinkScheduler"/>. <see cref="SendNetworkPacket"/> runs on the
/// host's tun reader. Everything else (Open, Close, LowerUp, LowerDown, timers) runs on the
/// link loop, which alone owns protocol state.
/// </para>
/// <para>
/// The loop shares nothing mutable with the data path: what framing needs (ACCM each way, MRU,
/// ACFC/PFC) is an immutable <see cref="LinkParameters"/> the loop publishes, which the reader
/// applies to its decoder (only the reader touches it) before each read, and the
/// <see cref="IFrameOutput"/> to the frames it encodes. Control packets go to the output's
/// priority lane without waiting; network packets to its data lane, which may.
/// </para>
/// </summary>
public sealed partial class PppLink : IHdlcFrameHandler
{
    private readonly PppLinkOptions _options;
    private readonly LinkScheduler _scheduler;
    private readonly INetworkPacketSink _sink;
    private readonly ILogger _phaseLogger;
    private readonly HdlcDecoder _decoder;
    private readonly IFrameOutput _output;
    private readonly ControlOutput _control;
    private readonly AuthenticationPhase _auth;
    private readonly NetworkProtocol[] _ncps;
    private readonly byte[] _protocolRejectBuffer = new byte[1500];

    // Written by the link loop, read by the data path: which data protocols may flow.
    private volatile bool _ipv4Open;
    private volatile bool _ipv6Open;

    // Published by the link loop (Volatile.Write), read by the reader and the tun reader.
    private LinkParameters _parameters;

    // The reader thread's own: the snapshot its decoder was last set from.
    private LinkParameters? _decoderParameters;

    // Link loop: when a control drop was last logged.
    private long? _controlDropLogged;

    // Reader to loop: decoded control frames, bounded; the loop's drain, allocated once.
    private readonly ControlFrameQueue _frames = new();
    private readonly Action _drainFrames;

    // Link loop: what unknown protocols can make us send and log.
    private readonly WindowLimit _protocolRejects;
    private readonly WindowLimit _protocolRejectLines;

    // Link loop: the reader's overruns last logged, and when.
    private long _overrunLogged;
    private long? _overrunLoggedAt;

    // Link loop: drops and refused replies last seen, and when they last grew.
    private long _floodSeen;
    private long? _floodSeenAt;

    public PppLink(
        PppLinkOptions options,
        LinkScheduler scheduler,
        IFrameOutput output,
        INetworkPacketSink sink,
        ILoggerFactory loggers,
        IRandomSource random,
        ISecretStore secrets)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(loggers);
        // Checked here, on the caller's thread: the writer thread that encodes must not throw.
        HdlcEncoder.ValidateExtraEscapes(options.ExtraEscapes);
        _options = options;
        _scheduler = scheduler;
        _sink = sink;
        _output = output;
        _phaseLogger = loggers.CreateLogger("Phase");
        _control = new ControlOutput(this);
        _drainFrames = DrainControlFrames;
        _protocolRejects = WindowLimit.ForReplies(scheduler.Time);
        _protocolRejectLines = WindowLimit.ForLogLines(scheduler.Time);
        _decoder = new HdlcDecoder(options.Lcp.Mru);
        _parameters = Idle(epoch: 0);
        _output.Publish(_parameters);

        LcpHandler = new LcpHandler(options.Lcp, scheduler, random, loggers.CreateLogger("LCP"));
        Lcp = new ControlProtocolFsm(LcpHandler, _control, scheduler, loggers.CreateLogger("LCP"), options.LcpFsm, options.Name);
        LcpHandler.Attach(Lcp);
        LcpHandler.Up += OnLcpUp;
        LcpHandler.Down += OnLcpDown;
        LcpHandler.Finished += OnLcpFinished;
        LcpHandler.ProtocolRejected += OnProtocolRejected;
        LcpHandler.Failed += reason => Close(reason);
        Lcp.TerminateRequestReceived += OnPeerTerminateRequest;
        Lcp.StateChanged += OnLcpStateChanged;

        _auth = new AuthenticationPhase(_control, scheduler, loggers, secrets, options.Auth, random);
        _auth.Completed += OnAuthCompleted;

        _ncps = new NetworkProtocol[options.NetworkProtocols.Count];
        for (int i = 0; i < _ncps.Length; i++)
        {
            var spec = options.NetworkProtocols[i];
            var fsm = new ControlProtocolFsm(spec.Handler, _control, scheduler,
                loggers.CreateLogger(spec.Handler.Name), spec.Fsm, options.Name);
            var ncp = new NetworkProtocol(spec, fsm);
            fsm.StateChanged += (_, to) => OnNcpStateChanged(ncp, to);
            fsm.GaveUp += _ => OnNcpGaveUp(ncp);
            _ncps[i] = ncp;
        }
    }

    private const int ProtocolFieldLength = 2;
    private static readonly TimeSpan ControlDropLogInterval = TimeSpan.FromSeconds(10);

    public string Name => _options.Name;

    public LinkPhase Phase { get; private set; } = LinkPhase.Dead;

    public ControlProtocolFsm Lcp { get; }

    public LcpHandler LcpHandler { get; }

    public AuthenticationPhase Authentication => _auth;

    public IEnumerable<ControlProtocolFsm> NetworkControlProtocols => _ncps.Select(n => n.Fsm);

    /// <summary>The handler of the NCP of type <typeparamref name="T"/> (IpcpHandler, Ipv6cpHandler).</summary>
    public T NetworkProtocolHandler<T>() where T : IControlProtocolHandler =>
        _ncps.Select(n => n.Spec.Handler).OfType<T>().Single();

    /// <summary>In the network phase with every configured NCP Opened.</summary>
    public bool IsNetworkUp => Phase == LinkPhase.Network && _ncps.All(n => n.Fsm.State == FsmState.Opened);

    public HdlcCounters HdlcCounters => _decoder.Counters;

    /// <summary>For tests: the reader's decoder (read it on the thread that feeds <see cref="ReceiveBytes"/>).</summary>
    internal HdlcDecoder Decoder => _decoder;

    /// <summary>
    /// Replies the peer asked for and the rate limits refused (Echo-Reply, Protocol-Reject,
    /// Code-Reject, Terminate-Ack), over LCP and the NCPs. Link loop.
    /// </summary>
    public long RepliesLimited
    {
        get
        {
            // A loop, not LINQ: the drain of every slice reads this.
            long total = LcpHandler.EchoRepliesLimited + Counters.ProtocolRejectsLimited + Lcp.Counters.RepliesLimited;
            foreach (var ncp in _ncps)
                total += ncp.Fsm.Counters.RepliesLimited;
            return total;
        }
    }

    /// <summary>
    /// Link loop: true when, within <paramref name="within"/>, the peer sent more than we take:
    /// control frames were dropped on receipt (the loop was behind) or replies refused by the
    /// rate limits. Its answer to a Terminate-Request would most likely be dropped with the rest.
    /// </summary>
    public bool PeerFlooding(TimeSpan within)
    {
        NoteOverruns();
        return _floodSeenAt is long at && _scheduler.Time.GetElapsedTime(at) <= within;
    }

    /// <summary>For tests: decoded control frames waiting for the loop (at most <see cref="ControlFrameQueue.Capacity"/>).</summary>
    internal int PendingControlFrames => _frames.Count;

    /// <summary>The framing parameters last published to the data path.</summary>
    public LinkParameters Parameters => Volatile.Read(ref _parameters);

    public LinkCounters Counters { get; } = new();

    /// <summary>Why the link last failed or was closed, for logs and status.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>The peer ended the link with a Terminate-Request (not an answer to ours).</summary>
    public bool PeerTerminated { get; private set; }

    /// <summary>The peer's authenticated name, once authentication succeeded.</summary>
    public string? PeerName => _auth.PeerName;

    /// <summary>Raised on the link loop whenever the phase changes.</summary>
    public event Action<LinkPhase>? PhaseChanged;

    /// <summary>
    /// LCP finished (tlf): the link no longer needs the physical layer; the host hangs up.
    /// </summary>
    public event Action? LowerLayerNotNeeded;

    /// <summary>Administrative open: bring the link up once the lower layer is.</summary>
    public void Open()
    {
        LastFailure = null;
        PeerTerminated = false;
        Lcp.Open();
    }

    /// <summary>Administrative close: Terminate-Request, then Dead.</summary>
    public void Close(string reason)
    {
        LastFailure ??= reason;
        if (Phase is LinkPhase.Network or LinkPhase.Authenticate or LinkPhase.Establish)
            SetPhase(LinkPhase.Terminate);
        foreach (var ncp in _ncps)
            ncp.Fsm.Close(reason);
        _auth.Stop();
        Lcp.Close(reason);
    }

    /// <summary>The device is connected and can carry frames.</summary>
    public void LowerUp()
    {
        // A new epoch: the reader drops any half-decoded frame and hunts for a flag.
        Publish(Idle(_parameters.Epoch + 1));
        SetPhase(LinkPhase.Establish);
        Lcp.Up();
    }

    /// <summary>The device hung up or failed.</summary>
    public void LowerDown()
    {
        // After a clean close the NCPs are back in Initial, and an NCP that never got Up sits
        // in Starting; Down is illegal in both (RFC 1661 table), so only layers below which
        // the lower layer was up hear it.
        foreach (var ncp in _ncps)
        {
            if (ncp.Fsm.State is not (FsmState.Initial or FsmState.Starting))
                ncp.Fsm.Down();
        }
        _auth.Stop();
        if (Lcp.State is not (FsmState.Initial or FsmState.Starting))
            Lcp.Down();
        SetPhase(LinkPhase.Dead);
    }

    /// <summary>
    /// Bytes read from the device, in any chunking (host reader thread). Network packets are
    /// delivered synchronously; control packets are copied and handed to the link loop.
    /// </summary>
    public void ReceiveBytes(ReadOnlySpan<byte> data)
    {
        var parameters = Volatile.Read(ref _parameters);
        if (!ReferenceEquals(parameters, _decoderParameters))
            ApplyToDecoder(parameters);
        if (_options.Synchronous)
            _decoder.DecodeSynchronous(data, this);
        else
            _decoder.Decode(data, this);
    }

    /// <summary>
    /// Sends an IPv4 (0x0021) or IPv6 (0x0057) packet (host tun reader thread): it joins the
    /// output's data queue, waiting while that is full, and goes out at once. Returns false,
    /// and counts the drop, when the matching NCP is not open, the packet exceeds the peer's
    /// MRU or the output has stopped.
    /// </summary>
    public bool SendNetworkPacket(ushort protocol, ReadOnlySpan<byte> packet) => SendNetworkPacket(protocol, packet, flush: true);

    /// <summary>
    /// As <see cref="SendNetworkPacket(ushort, ReadOnlySpan{byte})"/>; with <paramref name="flush"/>
    /// false the packet may wait in the queue for <see cref="FlushNetworkPackets"/>, so that a
    /// sender that knows more packets are coming (the tun reader draining a burst) has them
    /// written in few system calls.
    /// </summary>
    public bool SendNetworkPacket(ushort protocol, ReadOnlySpan<byte> packet, bool flush)
    {
        bool open = protocol switch
        {
            (ushort)PppProtocol.Ip => _ipv4Open,
            (ushort)PppProtocol.Ipv6 => _ipv6Open,
            _ => false,
        };
        if (!open || packet.Length > Volatile.Read(ref _parameters).PeerMru || !_output.SendData(protocol, packet))
        {
            Counters.DataTransmitDropped++;
            return false;
        }
        Counters.PacketsSent++;
        Counters.OctetsSent += packet.Length;
        if (flush)
            _output.FlushData();
        return true;
    }

    /// <summary>Tun reader: the packets unflushed sends queued may go to the line now.</summary>
    public void FlushNetworkPackets() => _output.FlushData();

    void IHdlcFrameHandler.OnFrame(ushort protocol, ReadOnlySpan<byte> information)
    {
        switch ((PppProtocol)protocol)
        {
            case PppProtocol.Ip when _ipv4Open:
            case PppProtocol.Ipv6 when _ipv6Open:
                Counters.PacketsReceived++;
                Counters.OctetsReceived += information.Length;
                LcpHandler.NoteFrameReceived();
                _sink.Deliver(protocol, information);
                return;
            case PppProtocol.Ip or PppProtocol.Ipv6:
                // RFC 1661 §3.4: network packets before their NCP is Opened are discarded.
                Counters.DataReceiveDropped++;
                return;
        }
        QueueControlFrame(protocol, information);
    }

    /// <summary>
    /// Control traffic goes to the link loop through a bounded queue (the span is borrowed, so
    /// it is copied in); a frame that does not fit is dropped and counted. One drain at a time
    /// is posted to the loop, not one action per frame.
    /// </summary>
    private void QueueControlFrame(ushort protocol, ReadOnlySpan<byte> information)
    {
        if (!_frames.TryAdd(protocol, information, out bool startDrain))
        {
            Counters.ControlFramesOverrun++;
            return;
        }
        if (startDrain)
            _scheduler.Dispatch(_drainFrames);
    }

    /// <summary>
    /// Link loop: one slice of the queued control frames; if more wait, the rest goes in a later
    /// turn, so commands, signals and timers posted meanwhile are not stuck behind a flood.
    /// </summary>
    private void DrainControlFrames()
    {
        bool emptied = false;
        try
        {
            for (int i = 0; i < ControlFrameQueue.SliceFrames; i++)
            {
                if (!_frames.TryTake(out ushort protocol, out var packet))
                {
                    emptied = true;
                    break;
                }
                HandleControlFrame(protocol, packet);
            }
        }
        finally
        {
            // Slice used up, or a fault in one frame (the loop logs it): the rest goes in another turn.
            if (!emptied && _frames.HasMore)
                _scheduler.Dispatch(_drainFrames);
        }
        NoteOverruns();
    }

    /// <summary>Link loop: says, at most once per interval, that the reader dropped frames the loop had no room for.</summary>
    private void NoteOverruns()
    {
        long flood = Counters.ControlFramesOverrun + RepliesLimited;
        if (flood != _floodSeen)
        {
            _floodSeen = flood;
            _floodSeenAt = _scheduler.Time.GetTimestamp();
        }
        long overrun = Counters.ControlFramesOverrun;
        if (overrun == _overrunLogged)
            return;
        long now = _scheduler.Time.GetTimestamp();
        if (_overrunLoggedAt is long last && _scheduler.Time.GetElapsedTime(last, now) < ControlDropLogInterval)
            return;
        LogControlOverrun(_phaseLogger, Name, overrun - _overrunLogged, overrun);
        _overrunLogged = overrun;
        _overrunLoggedAt = now;
    }

    /// <summary>The demux of RFC 1661 §3: what each phase lets through.</summary>
    private void HandleControlFrame(ushort protocol, ReadOnlySpan<byte> packet)
    {
        LcpHandler.NoteFrameReceived();
        if (protocol == (ushort)PppProtocol.Lcp)
        {
            Lcp.Receive(packet);
            return;
        }
        // §3.4: until LCP is Opened, anything else is silently discarded.
        if (Lcp.State != FsmState.Opened)
        {
            Counters.ControlReceiveDropped++;
            return;
        }
        if (protocol is (ushort)PppProtocol.Pap or (ushort)PppProtocol.Chap)
        {
            if (!_auth.Receive(protocol, packet))
                Counters.ControlReceiveDropped++;
            return;
        }
        foreach (var ncp in _ncps)
        {
            if (ncp.Spec.Handler.Protocol != protocol)
                continue;
            // §3.5: NCP packets before the Network phase are discarded.
            if (Phase == LinkPhase.Network)
                ncp.Fsm.Receive(packet);
            else
                Counters.ControlReceiveDropped++;
            return;
        }
        SendProtocolReject(protocol, packet);
    }

    /// <summary>
    /// RFC 1661 §5.7 Protocol-Reject: Rejected-Protocol, then the rejected information,
    /// truncated to the peer's MRU.
    /// <code>
    /// | Code=8 | Identifier | Length | Rejected-Protocol (2) | Rejected-Information ...
    /// </code>
    /// </summary>
    private void SendProtocolReject(ushort protocol, ReadOnlySpan<byte> information)
    {
        if (!_protocolRejects.TryTake())
        {
            Counters.ProtocolRejectsLimited++;
            return;
        }
        Counters.ProtocolRejectsSent++;
        if (_protocolRejectLines.AllowLine(_phaseLogger, LogLevel.Information, Name, "Protocol-Rejects"))
            LogProtocolReject(_phaseLogger, Name, PppProtocols.Name(protocol));
        int max = Math.Min(_protocolRejectBuffer.Length, (LcpHandler.Result?.PeerMru ?? 1500) - ControlPacket.HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(_protocolRejectBuffer, protocol);
        int n = Math.Min(information.Length, max - 2);
        information[..n].CopyTo(_protocolRejectBuffer.AsSpan(2));
        Lcp.Send((byte)ControlCode.ProtocolReject, Lcp.NextIdentifier(), _protocolRejectBuffer.AsSpan(0, n + 2));
    }

    /// <summary>A Terminate-Request we did not ask for is the peer's end of the link: say so, in its words.</summary>
    private void OnPeerTerminateRequest(string reason)
    {
        if (LastFailure is not null || Lcp.State is not (FsmState.Opened or FsmState.AckReceived or FsmState.AckSent or FsmState.RequestSent))
            return;
        PeerTerminated = true;
        LastFailure = reason.Length > 0 ? $"the peer terminated the link: \"{reason}\"" : "the peer terminated the link";
    }

    private void OnLcpUp(LcpResult result)
    {
        Publish(_parameters with
        {
            TransmitAccm = result.TransmitAccm,
            AddressControlCompression = result.TransmitAddressControlCompression,
            ProtocolCompression = result.TransmitProtocolCompression,
            ReceiveAccm = result.ReceiveAccm,
            // Never below 1500: a smaller MRU we asked for does not make full-size frames bad.
            MaxReceiveFrame = Math.Max(result.OurMru, (ushort)1500) + ProtocolFieldLength,
            PeerMru = result.PeerMru,
        });
        // ppp(8)'s words: "his" is what the peer asked of us, "mine" what we asked of it.
        LogAuthSides(_phaseLogger, Name,
            LcpHandler.DescribeAuthProtocol(result.AuthenticateOurselvesWith),
            LcpHandler.DescribeAuthProtocol(result.AuthenticatePeerWith));
        if (result.AuthenticatePeerWith == AuthProtocol.None && result.AuthenticateOurselvesWith == AuthProtocol.None)
        {
            EnterNetworkPhase();
            return;
        }
        SetPhase(LinkPhase.Authenticate);
        _auth.Start(result.AuthenticatePeerWith, result.AuthenticateOurselvesWith);
    }

    private void OnAuthCompleted(AuthResult result)
    {
        if (Phase != LinkPhase.Authenticate)
            return;
        if (result.Success)
        {
            EnterNetworkPhase();
            return;
        }
        Counters.AuthenticationFailures++;
        LastFailure = $"authentication failed: {result.FailureReason}";
        LogAuthFailed(_phaseLogger, Name, result.FailureReason ?? "unknown reason");
        Close(LastFailure);
    }

    private void EnterNetworkPhase()
    {
        SetPhase(LinkPhase.Network);
        if (_ncps.Length == 0)
        {
            Close("no network protocols configured");
            return;
        }
        foreach (var ncp in _ncps)
        {
            ncp.Fsm.Open();
            ncp.Fsm.Up();
        }
    }

    private void OnLcpDown()
    {
        _ipv4Open = false;
        _ipv6Open = false;
        _auth.Stop();
        // NCPs that never started (authentication failed first) have no lower layer to lose.
        foreach (var ncp in _ncps)
        {
            if (ncp.Fsm.State is not (FsmState.Initial or FsmState.Starting))
                ncp.Fsm.Down();
        }
        Publish(_parameters with
        {
            TransmitAccm = Accm.All,
            AddressControlCompression = false,
            ProtocolCompression = false,
            ReceiveAccm = 0,
            PeerMru = 1500,
        });
    }

    /// <summary>
    /// Leaving Opened: towards Closing/Stopping the link terminates; back into negotiation
    /// (the peer sent a Configure-Request, RFC 1661's RCR in Opened) it only renegotiates.
    /// </summary>
    private void OnLcpStateChanged(FsmState from, FsmState to)
    {
        if (from != FsmState.Opened || Phase == LinkPhase.Dead)
            return;
        SetPhase(to is FsmState.RequestSent or FsmState.AckReceived or FsmState.AckSent ? LinkPhase.Establish : LinkPhase.Terminate);
    }

    private void OnLcpFinished()
    {
        // Max-Configure ran out (or the peer would not converge): that is why the link ends.
        if (Lcp.FailureReason is { } reason && LastFailure is null)
            LastFailure = $"LCP gave up: {reason}";
        if (Phase != LinkPhase.Dead)
            SetPhase(LinkPhase.Dead);
        LowerLayerNotNeeded?.Invoke();
    }

    private void OnProtocolRejected(ushort protocol)
    {
        foreach (var ncp in _ncps)
        {
            if (ncp.Spec.Handler.Protocol == protocol || ncp.Spec.DataProtocol == protocol)
                ncp.Fsm.RejectReceived(catastrophic: true);
        }
    }

    private void OnNcpStateChanged(NetworkProtocol ncp, FsmState to)
    {
        bool open = to == FsmState.Opened;
        if (ncp.Spec.DataProtocol == (ushort)PppProtocol.Ip)
            _ipv4Open = open;
        else if (ncp.Spec.DataProtocol == (ushort)PppProtocol.Ipv6)
            _ipv6Open = open;

        // An NCP that gave up (rejected by the peer, or timed out) is dropped; when none is left
        // open or negotiating, the link has no reason to stay up (ppp(8) and pppd alike).
        if (Phase == LinkPhase.Network && to is FsmState.Stopped or FsmState.Closed
            && _ncps.All(n => n.Fsm.State is FsmState.Stopped or FsmState.Closed or FsmState.Initial or FsmState.Starting))
        {
            var why = _ncps.Where(n => n.Fsm.FailureReason is not null).Select(n => $"{n.Spec.Handler.Name}: {n.Fsm.FailureReason}").ToArray();
            Close(why.Length == 0 ? "no network protocols running" : $"no network protocols running ({string.Join("; ", why)})");
        }
    }

    /// <summary>
    /// We gave up on an NCP: keep it down. In Stopped the peer's next Configure-Request would
    /// start the same negotiation again (RFC 1661's RCR in Stopped); in Closed it gets a
    /// Terminate-Ack, as pppd's closed NCP answers.
    /// </summary>
    private static void OnNcpGaveUp(NetworkProtocol ncp)
    {
        if (ncp.Fsm.State == FsmState.Stopped)
            ncp.Fsm.Close(ncp.Fsm.FailureReason ?? "");
    }

    /// <summary>
    /// The parameters of a line with nothing agreed yet: we send with the RFC 1662 defaults,
    /// and accept frames up to our configured MRU.
    /// </summary>
    private LinkParameters Idle(int epoch) => new()
    {
        ExtraEscapes = _options.ExtraEscapes,
        Synchronous = _options.Synchronous,
        // Until LCP opens, keep unescaped control octets rather than filter them: the peer
        // switches to the negotiated map as soon as it has acked ours, and frames that follow
        // its Ack in the same read are decoded before the link loop publishes that map.
        ReceiveAccm = 0,
        // The MRU counts the information field only (RFC 1661 §6.1); the decoder's limit also
        // counts the 2-octet protocol field.
        MaxReceiveFrame = _options.Lcp.Mru + ProtocolFieldLength,
        Epoch = epoch,
    };

    /// <summary>Link loop: hands the data path a new snapshot; the reader and writer pick it up before their next read or batch.</summary>
    private void Publish(LinkParameters parameters)
    {
        Volatile.Write(ref _parameters, parameters);
        _output.Publish(parameters);
    }

    /// <summary>
    /// Reader thread: the decoder is the reader's alone, so the loop's changes reach it here,
    /// before the next read is decoded. A frame may straddle the change, which the decoder
    /// tolerates (a new ACCM applies to the octets after it; a larger MRU keeps what was
    /// collected); a new epoch discards the half frame, as a line that came up again must.
    /// </summary>
    private void ApplyToDecoder(LinkParameters parameters)
    {
        if (_decoderParameters is null || _decoderParameters.Epoch != parameters.Epoch)
            _decoder.Reset();
        _decoder.ReceiveAccm = parameters.ReceiveAccm;
        _decoder.MaxFrameSize = parameters.MaxReceiveFrame;
        _decoderParameters = parameters;
    }

    /// <summary>Link loop: a control packet the output could not queue.</summary>
    private void OnControlDropped(ushort protocol)
    {
        Counters.ControlFramesDropped++;
        // One line per burst: a stalled line drops many, and the log must not grow with them.
        long now = _scheduler.Time.GetTimestamp();
        if (_controlDropLogged is long last && _scheduler.Time.GetElapsedTime(last, now) < ControlDropLogInterval)
            return;
        _controlDropLogged = now;
        LogControlDropped(_phaseLogger, Name, PppProtocols.Name(protocol), Counters.ControlFramesDropped);
    }

    private void SetPhase(LinkPhase phase)
    {
        if (Phase == phase)
            return;
        Phase = phase;
        LogPhase(_phaseLogger, phase);
        PhaseChanged?.Invoke(phase);
    }

    /// <summary>What the protocols send through: the output's priority lane, drops counted.</summary>
    private sealed class ControlOutput(PppLink link) : IPacketOutput
    {
        public void Send(ushort protocol, ReadOnlySpan<byte> payload)
        {
            if (!link._output.TrySendControl(protocol, payload))
                link.OnControlDropped(protocol);
        }
    }

    private sealed class NetworkProtocol(NetworkProtocolSpec spec, ControlProtocolFsm fsm)
    {
        public NetworkProtocolSpec Spec { get; } = spec;
        public ControlProtocolFsm Fsm { get; } = fsm;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle: {Phase}")]
    private static partial void LogPhase(ILogger logger, LinkPhase phase);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Link}: his = {His}, mine = {Mine}")]
    private static partial void LogAuthSides(ILogger logger, string link, string his, string mine);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Link}: authentication failed: {Reason}")]
    private static partial void LogAuthFailed(ILogger logger, string link, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Link}: {Protocol} frame dropped: the line's control queue is full ({Dropped} dropped so far)")]
    private static partial void LogControlDropped(ILogger logger, string link, string protocol, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Link}: {Count} control frames dropped on receipt: the link loop is behind ({Dropped} dropped so far)")]
    private static partial void LogControlOverrun(ILogger logger, string link, long count, long dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Link}: protocol {Protocol} not supported, sending Protocol-Reject")]
    private static partial void LogProtocolReject(ILogger logger, string link, string protocol);
}

/// <summary>
/// Data-path and demux counters. Each field has one writing thread, so plain increments are
/// exact: the tun reader (sent, data transmit drops), the device reader (received, network
/// packets before their NCP) or the link loop (control drops, rejects). A drop total that two
/// threads contribute to is a sum of their fields. Readers on other threads (`show`) may see
/// slightly stale values.
/// </summary>
public sealed class LinkCounters
{
    public long PacketsSent { get; internal set; }
    public long OctetsSent { get; internal set; }
    public long PacketsReceived { get; internal set; }
    public long OctetsReceived { get; internal set; }

    /// <summary>Network packets not sent (NCP not open, over the peer's MRU, output stopped) and control frames the output's queue refused.</summary>
    public long TransmitDropped => DataTransmitDropped + ControlFramesDropped;

    /// <summary>Received frames discarded by the demux (RFC 1661 §3.4-3.5), wherever they were judged, and control frames the loop had no room for.</summary>
    public long ReceiveDropped => DataReceiveDropped + ControlReceiveDropped + ControlFramesOverrun;

    /// <summary>
    /// Device reader: decoded control frames dropped because the link loop's queue was full
    /// (a peer sending faster than the loop can answer).
    /// </summary>
    public long ControlFramesOverrun { get; internal set; }

    /// <summary>Control frames (LCP, authentication, NCP) dropped because the line's control queue was full (link loop).</summary>
    public long ControlFramesDropped { get; internal set; }

    public long ProtocolRejectsSent { get; internal set; }

    /// <summary>Protocol-Rejects not sent: unknown-protocol frames beyond the rate limit.</summary>
    public long ProtocolRejectsLimited { get; internal set; }
    public long AuthenticationFailures { get; internal set; }

    /// <summary>Tun reader: network packets refused.</summary>
    internal long DataTransmitDropped { get; set; }

    /// <summary>Device reader: network packets before their NCP was Opened.</summary>
    internal long DataReceiveDropped { get; set; }

    /// <summary>Link loop: control packets the phase does not admit.</summary>
    internal long ControlReceiveDropped { get; set; }
}
