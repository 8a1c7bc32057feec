using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Lcp;

/// <summary>
/// LCP (RFC 1661 §6, RFC 1570): MRU, ACCM, Authentication-Protocol, Magic-Number with loopback
/// detection, PFC, ACFC; Echo for liveness, Discard, Identification, Time-Remaining and
/// Protocol-Reject. Keeps pppd's four sets: <see cref="Config"/> (what we want and allow),
/// the request we are currently making (after Naks and Rejects), <see cref="Result"/>'s
/// "receive" half (what we got) and its "transmit" half (what the peer has).
/// </summary>
public sealed partial class LcpHandler : IControlProtocolHandler
{
    // RFC 1994 §3 and RFC 2759 §2: CHAP's algorithm octet after the protocol.
    private const ushort PapProtocol = (ushort)PppProtocol.Pap;
    private const ushort ChapProtocol = (ushort)PppProtocol.Chap;

    // Authentication protocols we do not implement, named when a peer asks for them.
    private const ushort EapProtocol = 0xc227;
    private const ushort ShivaPapProtocol = 0xc027;
    private const byte ChapMd5Algorithm = 5;
    private const byte MsChapV2Algorithm = 0x81;

    private readonly ILogger _logger;
    private readonly IRandomSource _random;
    private readonly LinkTimer _echoTimer;
    private ControlProtocolFsm? _fsm;

    // What we currently request (starts from Config, moved by Naks and Rejects).
    private ushort _mru;
    private uint _accm;
    private bool _requestMru;
    private bool _requestAccm;
    private bool _requestAcfc;
    private bool _requestPfc;
    private bool _requestMagic;
    private uint _magic;
    private int _authIndex;
    private bool _requestAuth;
    private int _magicCollisions;

    // The value our last Nak of the peer's Magic-Number suggested (0: none sent).
    private uint _lastNakMagic;

    // What the peer has (its acknowledged request) and what we got (our acknowledged request).
    private LcpResult _peerSide = new();
    private LcpResult _ourSide = new();

    // Echo bookkeeping.
    // The reader thread sets the flag for every frame (no clock read on the data path); the
    // echo tick, at most a second apart, turns it into the time we last heard from the peer.
    private volatile bool _frameSinceLastEcho;
    private int _echoMisses;
    private long _lastHeardTimestamp;
    private long _lastEchoTimestamp;
    private byte _echoId;
    private long _echoSentTimestamp;

    // A peer's Echo-Requests get at most WindowLimit.RepliesPerSecond replies a second.
    private readonly WindowLimit _echoReplies;
    private readonly WindowLimit _loopedLines;

    // The loop's: the body of the Echo-Reply being sent, grown to the largest one.
    private byte[] _echoReply = new byte[64];

    public LcpHandler(LcpConfig config, LinkScheduler scheduler, IRandomSource random, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(scheduler);
        Config = config;
        Scheduler = scheduler;
        _random = random;
        _logger = logger;
        _echoTimer = scheduler.CreateTimer(OnEchoTimer);
        _echoReplies = WindowLimit.ForReplies(scheduler.Time);
        _loopedLines = WindowLimit.ForLogLines(scheduler.Time);
        ResetNegotiation();
    }

    public ushort Protocol => (ushort)PppProtocol.Lcp;

    public string Name => "LCP";

    public LcpConfig Config { get; set; }

    public LinkScheduler Scheduler { get; }

    /// <summary>The negotiated parameters while LCP is Opened; null otherwise.</summary>
    public LcpResult? Result { get; private set; }

    /// <summary>Echo statistics for `show lcp` and the status report.</summary>
    public int EchoMisses => _echoMisses;

    /// <summary>The link was given up because the peer went silent for the echo miss count.</summary>
    public bool EchoTimedOut { get; private set; }

    public TimeSpan? LastEchoRoundTrip { get; private set; }

    public long EchoRequestsSent { get; private set; }

    /// <summary>Echo-Requests not answered: the peer sent more than the rate limit allows.</summary>
    public long EchoRepliesLimited { get; private set; }

    /// <summary>tlu, with what was negotiated.</summary>
    public event Action<LcpResult>? Up;

    /// <summary>tld.</summary>
    public event Action? Down;

    /// <summary>tls: LCP needs the physical layer.</summary>
    public event Action? Started;

    /// <summary>tlf: LCP no longer needs the physical layer.</summary>
    public event Action? Finished;

    /// <summary>The peer rejected a protocol we sent (RFC 1661 §5.7): the link stops that protocol.</summary>
    public event Action<ushort>? ProtocolRejected;

    /// <summary>The link must be closed: looped back, echo misses, or the peer refuses a required option.</summary>
    public event Action<string>? Failed;

    /// <summary>Connects the executor that runs this handler (needed to send Echo and replies).</summary>
    public void Attach(ControlProtocolFsm fsm)
    {
        ArgumentNullException.ThrowIfNull(fsm);
        _fsm = fsm;
        _echoTimer.Name = $"LCP: {fsm.LinkName}: echo";
    }

    /// <summary>The link saw a good frame from the peer: it counts as liveness for echo.</summary>
    public void NoteFrameReceived() => _frameSinceLastEcho = true;

    public void ResetNegotiation()
    {
        _mru = Config.Mru;
        _requestMru = Config.Mru != 1500;
        _accm = Config.Accm;
        _requestAccm = Config.Accm != 0xffffffff;
        _requestAcfc = Config.AddressControlCompression.HasFlag(OptionPolicy.Enable);
        _requestPfc = Config.ProtocolCompression.HasFlag(OptionPolicy.Enable);
        _requestMagic = Config.Loopback.HasFlag(OptionPolicy.Enable);
        _magic = NewMagic();
        _authIndex = 0;
        _requestAuth = Config.RequirePeerAuthentication.Count > 0;
        _magicCollisions = 0;
        _lastNakMagic = 0;
        _peerSide = new LcpResult();
        _ourSide = new LcpResult();
    }

    /// <summary>
    /// RFC 1661 §5.1 Configure-Request options, in type order. MRU is sent only when it
    /// differs from the default (§6.1: the default needs no negotiation).
    /// </summary>
    public int WriteRequest(Span<byte> options)
    {
        var w = new OptionWriter(options);
        if (_requestMru)
            w.WriteUInt16((byte)LcpOption.MaximumReceiveUnit, _mru);
        if (_requestAccm)
            w.WriteUInt32((byte)LcpOption.AsyncControlCharacterMap, _accm);
        if (_requestAuth)
            WriteAuth(ref w, Config.RequirePeerAuthentication[_authIndex]);
        if (_requestMagic)
            w.WriteUInt32((byte)LcpOption.MagicNumber, _magic);
        if (_requestPfc)
            w.WriteEmpty((byte)LcpOption.ProtocolFieldCompression);
        if (_requestAcfc)
            w.WriteEmpty((byte)LcpOption.AddressControlFieldCompression);
        return w.Length;
    }

    public void JudgeRequest(ReadOnlySpan<byte> options, ref ConfigureResponse response)
    {
        Span<byte> minimumMru = stackalloc byte[2];
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data, out var whole))
        {
            switch ((LcpOption)type)
            {
                case LcpOption.MaximumReceiveUnit when data.Length == 2:
                    // §6.1: the peer's MRU bounds what we send; too small to carry an LCP
                    // exchange is Nak'd up to our minimum, above `set mtu max` down to it.
                    ushort peerMru = BinaryPrimitives.ReadUInt16BigEndian(data);
                    if (peerMru < Config.MinMru)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(minimumMru, Config.MinMru);
                        response.Nak(type, minimumMru, whole);
                    }
                    else if (Config.MaxPeerMru is ushort cap && peerMru > cap)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(minimumMru, cap);
                        response.Nak(type, minimumMru, whole);
                    }
                    break;
                case LcpOption.AsyncControlCharacterMap when data.Length == 4:
                    break;
                case LcpOption.AuthenticationProtocol when data.Length >= 2:
                    JudgeAuth(data, whole, ref response);
                    break;
                case LcpOption.MagicNumber when data.Length == 4:
                    JudgeMagic(BinaryPrimitives.ReadUInt32BigEndian(data), whole, ref response);
                    break;
                case LcpOption.ProtocolFieldCompression when data.IsEmpty:
                    if (!Config.ProtocolCompression.HasFlag(OptionPolicy.Accept))
                        response.Reject(whole);
                    break;
                case LcpOption.AddressControlFieldCompression when data.IsEmpty:
                    if (!Config.AddressControlCompression.HasFlag(OptionPolicy.Accept))
                        response.Reject(whole);
                    break;
                default:
                    // Unknown options, ones we do not implement (Quality-Protocol: LQR), and
                    // known options with a wrong length are rejected whole (§5.4).
                    response.Reject(whole);
                    break;
            }
        }
    }

    private void JudgeAuth(ReadOnlySpan<byte> data, ReadOnlySpan<byte> whole, ref ConfigureResponse response)
    {
        var wanted = ParseAuth(data);
        var accepted = Config.AcceptOwnAuthentication;
        if (wanted != AuthProtocol.None && accepted.Contains(wanted))
            return;
        // Name what the peer asked for (EAP, a CHAP variant we lack), so a refusal is legible.
        string asked = DescribeAuthOption(data);
        string why = wanted == AuthProtocol.None ? "which we do not implement" : "which we do not accept (enable/accept)";
        if (accepted.Count == 0)
        {
            LogAuthRefused(_logger, asked, why, "we accept none: rejecting it");
            response.Reject(whole);
            return;
        }
        // §6.2: Nak with the protocol we would rather use.
        Span<byte> suggestion = stackalloc byte[3];
        int n = AuthData(accepted[0], suggestion);
        LogAuthRefused(_logger, asked, why, $"Nak with {DescribeAuthProtocol(accepted[0])}");
        response.Nak((byte)LcpOption.AuthenticationProtocol, suggestion[..n], whole);
    }

    private void JudgeMagic(uint peerMagic, ReadOnlySpan<byte> whole, ref ConfigureResponse response)
    {
        if (!Config.Loopback.HasFlag(OptionPolicy.Accept))
        {
            response.Reject(whole);
            return;
        }
        // §6.4: zero is illegal and a value equal to ours suggests a looped-back line; both
        // get a Nak with a fresh value for the peer.
        if (peerMagic == 0 || (_requestMagic && peerMagic == _magic))
        {
            if (peerMagic != 0)
                NoteMagicCollision();
            Span<byte> fresh = stackalloc byte[4];
            _lastNakMagic = NewMagic();
            BinaryPrimitives.WriteUInt32BigEndian(fresh, _lastNakMagic);
            response.Nak((byte)LcpOption.MagicNumber, fresh, whole);
        }
    }

    public void PeerRequestAcked(ReadOnlySpan<byte> options)
    {
        var peer = new LcpResult
        {
            // Frames we send follow the peer's request; absent options mean RFC defaults.
            TransmitAccm = 0xffffffff,
        };
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            peer = (LcpOption)type switch
            {
                LcpOption.MaximumReceiveUnit => peer with { PeerMru = BinaryPrimitives.ReadUInt16BigEndian(data) },
                LcpOption.AsyncControlCharacterMap => peer with { TransmitAccm = BinaryPrimitives.ReadUInt32BigEndian(data) },
                LcpOption.AuthenticationProtocol => peer with { AuthenticateOurselvesWith = ParseAuth(data) },
                LcpOption.MagicNumber => peer with { PeerMagic = BinaryPrimitives.ReadUInt32BigEndian(data) },
                LcpOption.ProtocolFieldCompression => peer with { TransmitProtocolCompression = true },
                LcpOption.AddressControlFieldCompression => peer with { TransmitAddressControlCompression = true },
                _ => peer,
            };
        }
        _peerSide = peer;
    }

    public bool ApplyNak(ReadOnlySpan<byte> options)
    {
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            switch ((LcpOption)type)
            {
                case LcpOption.MaximumReceiveUnit when data.Length == 2:
                    ushort mru = BinaryPrimitives.ReadUInt16BigEndian(data);
                    if (mru >= Config.MinMru && mru <= Config.MaxMru)
                    {
                        _mru = mru;
                        _requestMru = mru != 1500;
                    }
                    break;
                case LcpOption.AsyncControlCharacterMap when data.Length == 4:
                    // §6.2: the peer needs more characters escaped; add them to ours.
                    _accm |= BinaryPrimitives.ReadUInt32BigEndian(data);
                    _requestAccm = true;
                    break;
                case LcpOption.AuthenticationProtocol when data.Length >= 2:
                    ApplyAuthNak(ParseAuth(data));
                    break;
                case LcpOption.MagicNumber when data.Length == 4:
                    // §6.4: on a Nak of our magic number, pick a new one of our own choosing.
                    // Only a Nak carrying the value our own last Nak suggested can be ours
                    // coming back; any other value proves the line is not looped back.
                    uint suggested = BinaryPrimitives.ReadUInt32BigEndian(data);
                    if (_lastNakMagic != 0 && suggested == _lastNakMagic)
                        NoteMagicCollision();
                    else
                        _magicCollisions = 0;
                    _magic = NewMagic();
                    break;
                case LcpOption.MaximumReceiveUnit or LcpOption.AsyncControlCharacterMap
                    or LcpOption.AuthenticationProtocol or LcpOption.MagicNumber:
                    return false; // a known option with a bad length: the Nak is bogus
                default:
                    // A Nak may suggest options we did not send; we add none of them.
                    break;
            }
        }
        return !reader.IsMalformed;
    }

    private void ApplyAuthNak(AuthProtocol suggested)
    {
        if (!_requestAuth)
            return;
        var required = Config.RequirePeerAuthentication;
        int index = -1;
        for (int i = 0; i < required.Count; i++)
        {
            if (required[i] == suggested)
                index = i;
        }
        if (index >= 0)
        {
            _authIndex = index;
            return;
        }
        // The peer offers nothing we accept: try our next choice; when none is left, we
        // cannot let an unauthenticated peer in.
        if (_authIndex + 1 < required.Count)
        {
            _authIndex++;
            return;
        }
        RaiseFailed($"authentication refused by the peer: it will not use {DescribeAuthProtocol(required[_authIndex])} and offers {DescribeAuthProtocol(suggested)}");
    }

    public bool ApplyReject(ReadOnlySpan<byte> options)
    {
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out _))
        {
            switch ((LcpOption)type)
            {
                case LcpOption.MaximumReceiveUnit when _requestMru:
                    _requestMru = false;
                    _mru = 1500;
                    break;
                case LcpOption.AsyncControlCharacterMap when _requestAccm:
                    _requestAccm = false;
                    break;
                case LcpOption.AuthenticationProtocol when _requestAuth:
                    RaiseFailed("authentication refused by the peer: it rejects our Authentication-Protocol");
                    _requestAuth = false;
                    break;
                case LcpOption.MagicNumber when _requestMagic:
                    _requestMagic = false;
                    break;
                case LcpOption.ProtocolFieldCompression when _requestPfc:
                    _requestPfc = false;
                    break;
                case LcpOption.AddressControlFieldCompression when _requestAcfc:
                    _requestAcfc = false;
                    break;
                default:
                    return false; // §5.4: a Reject may only list options we sent
            }
        }
        return !reader.IsMalformed;
    }

    public void RequestAcked(ReadOnlySpan<byte> options)
    {
        var ours = new LcpResult { ReceiveAccm = 0xffffffff };
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            ours = (LcpOption)type switch
            {
                LcpOption.MaximumReceiveUnit => ours with { OurMru = BinaryPrimitives.ReadUInt16BigEndian(data) },
                LcpOption.AsyncControlCharacterMap => ours with { ReceiveAccm = BinaryPrimitives.ReadUInt32BigEndian(data) },
                LcpOption.AuthenticationProtocol => ours with { AuthenticatePeerWith = ParseAuth(data) },
                LcpOption.MagicNumber => ours with { OurMagic = BinaryPrimitives.ReadUInt32BigEndian(data) },
                LcpOption.ProtocolFieldCompression => ours with { ReceiveProtocolCompression = true },
                LcpOption.AddressControlFieldCompression => ours with { ReceiveAddressControlCompression = true },
                _ => ours,
            };
        }
        _ourSide = ours;
        _magicCollisions = 0;
    }

    public void LayerUp()
    {
        var result = _peerSide with
        {
            OurMru = _ourSide.OurMru,
            ReceiveAccm = _ourSide.ReceiveAccm,
            ReceiveAddressControlCompression = _ourSide.ReceiveAddressControlCompression,
            ReceiveProtocolCompression = _ourSide.ReceiveProtocolCompression,
            AuthenticatePeerWith = _ourSide.AuthenticatePeerWith,
            OurMagic = _ourSide.OurMagic,
        };
        Result = result;
        _echoMisses = 0;
        EchoTimedOut = false;
        _frameSinceLastEcho = true;
        _lastHeardTimestamp = _lastEchoTimestamp = Scheduler.Time.GetTimestamp();
        if (Config.EchoPeriod > TimeSpan.Zero)
            _echoTimer.Start(EchoTick);
        Up?.Invoke(result);
    }

    public void LayerDown()
    {
        _echoTimer.Stop();
        Result = null;
        Down?.Invoke();
    }

    public void LayerStarted() => Started?.Invoke();

    public void LayerFinished()
    {
        _echoTimer.Stop();
        Finished?.Invoke();
    }

    public ExtraCodeResult HandleOtherCode(byte code, byte identifier, ReadOnlySpan<byte> data, FsmState state)
    {
        switch ((ControlCode)code)
        {
            case ControlCode.CodeReject:
                if (!data.IsEmpty && data[0] == (byte)ControlCode.EchoRequest)
                {
                    // The peer does not do Echo (RFC 1661 §5.6): stop asking, keep the link.
                    LogEchoRejected(_logger);
                    _echoTimer.Stop();
                }
                return ExtraCodeResult.Handled;
            case ControlCode.ProtocolReject:
                return HandleProtocolReject(data, state);
            case ControlCode.EchoRequest:
                ReplyToEcho(identifier, data);
                return ExtraCodeResult.Handled;
            case ControlCode.EchoReply:
                if (identifier == _echoId && EchoRequestsSent > 0)
                    LastEchoRoundTrip = Scheduler.Time.GetElapsedTime(_echoSentTimestamp);
                return ExtraCodeResult.Handled;
            case ControlCode.DiscardRequest:
                return ExtraCodeResult.Handled;
            case ControlCode.Identification when data.Length >= 4:
                LogIdentification(_logger, System.Text.Encoding.UTF8.GetString(data[4..]));
                return ExtraCodeResult.Handled;
            case ControlCode.TimeRemaining when data.Length >= 8:
                LogTimeRemaining(_logger, BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                return ExtraCodeResult.Handled;
            default:
                return ExtraCodeResult.NotHandled;
        }
    }

    /// <summary>
    /// RFC 1661 §5.7 Protocol-Reject: Rejected-Protocol (2 octets) then the rejected
    /// information. Only meaningful in Opened; a reject of LCP itself is catastrophic.
    /// </summary>
    private ExtraCodeResult HandleProtocolReject(ReadOnlySpan<byte> data, FsmState state)
    {
        if (data.Length < 2 || state != FsmState.Opened)
            return ExtraCodeResult.Handled;
        ushort rejected = BinaryPrimitives.ReadUInt16BigEndian(data);
        LogProtocolRejected(_logger, PppProtocols.Name(rejected));
        if (rejected == (ushort)PppProtocol.Lcp)
            return ExtraCodeResult.RejectCatastrophic;
        ProtocolRejected?.Invoke(rejected);
        return ExtraCodeResult.RejectPermitted;
    }

    /// <summary>
    /// RFC 1661 §5.8 Echo-Reply: same identifier, our Magic-Number, the request's data after
    /// its Magic-Number. A request carrying our own magic number means a looped-back line.
    /// </summary>
    private void ReplyToEcho(byte identifier, ReadOnlySpan<byte> data)
    {
        if (_fsm is null || data.Length < 4)
            return;
        uint peerMagic = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint ourMagic = Result?.OurMagic ?? 0;
        if (ourMagic != 0 && peerMagic == ourMagic)
        {
            if (_loopedLines.AllowLine(_logger, LogLevel.Warning, "deflink", "looped Echo-Requests"))
                LogEchoLooped(_logger);
            return;
        }
        if (!_echoReplies.TryTake())
        {
            EchoRepliesLimited++;
            return;
        }
        int length = Math.Min(data.Length, (Result?.PeerMru ?? 1500) - ControlPacket.HeaderLength);
        if (_echoReply.Length < length)
            _echoReply = new byte[length];
        var reply = _echoReply.AsSpan(0, length);
        data[..length].CopyTo(reply);
        BinaryPrimitives.WriteUInt32BigEndian(reply, ourMagic);
        // The output copies the packet: one buffer serves every reply, and a flood allocates nothing.
        _fsm.Send((byte)ControlCode.EchoReply, identifier, reply);
    }

    /// <summary>
    /// How often liveness is checked: every echo period, but at least every second, so a peer
    /// that went silent is declared dead within a second of the period times the miss count,
    /// wherever in a period it stopped (checking only once a period would add up to a period).
    /// </summary>
    private TimeSpan EchoTick => Config.EchoPeriod < TimeSpan.FromSeconds(1) ? Config.EchoPeriod : TimeSpan.FromSeconds(1);

    /// <summary>
    /// The echo tick: any frame from the peer since the last tick counts as liveness; after
    /// <c>EchoFailures</c> periods without one the link is given up, and an Echo-Request goes
    /// out once a period meanwhile.
    /// </summary>
    private void OnEchoTimer()
    {
        if (_fsm is null || _fsm.State != FsmState.Opened)
            return;
        var time = Scheduler.Time;
        long now = time.GetTimestamp();
        if (_frameSinceLastEcho)
        {
            _frameSinceLastEcho = false;
            _lastHeardTimestamp = now;
        }
        var silent = time.GetElapsedTime(_lastHeardTimestamp, now);
        _echoMisses = (int)(silent.Ticks / Config.EchoPeriod.Ticks);
        if (_echoMisses >= Config.EchoFailures)
        {
            LogEchoDead(_logger, _echoMisses);
            EchoTimedOut = true;
            RaiseFailed($"no frame from the peer in {_echoMisses} echo periods");
            return;
        }
        if (time.GetElapsedTime(_lastEchoTimestamp, now) >= Config.EchoPeriod)
        {
            Span<byte> magic = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(magic, Result?.OurMagic ?? 0);
            _echoId = _fsm.NextIdentifier();
            _echoSentTimestamp = _lastEchoTimestamp = now;
            EchoRequestsSent++;
            LogEchoSent(_logger, _echoId);
            _fsm.Send((byte)ControlCode.EchoRequest, _echoId, magic);
        }
        _echoTimer.Start(EchoTick);
    }

    private void NoteMagicCollision()
    {
        if (++_magicCollisions >= Config.MaxMagicCollisions)
        {
            LogLoopback(_logger);
            _magicCollisions = 0;
            RaiseFailed("the line is looped back (our magic number keeps coming back)");
        }
    }

    private void RaiseFailed(string reason)
    {
        LogFailed(_logger, reason);
        Failed?.Invoke(reason);
    }

    private uint NewMagic()
    {
        Span<byte> b = stackalloc byte[4];
        uint magic;
        do
        {
            _random.Fill(b);
            magic = BinaryPrimitives.ReadUInt32BigEndian(b);
        }
        while (magic == 0 || magic == _magic);
        return magic;
    }

    /// <summary>
    /// RFC 1661 §6.2 Authentication-Protocol data: the protocol (2 octets), then for CHAP the
    /// algorithm (RFC 1994 §3: 5 = MD5; RFC 2759 §2: 0x81 = MS-CHAP-V2).
    /// </summary>
    public static AuthProtocol ParseAuth(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
            return AuthProtocol.None;
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(data);
        return protocol switch
        {
            PapProtocol when data.Length == 2 => AuthProtocol.Pap,
            ChapProtocol when data.Length == 3 && data[2] == ChapMd5Algorithm => AuthProtocol.ChapMd5,
            ChapProtocol when data.Length == 3 && data[2] == MsChapV2Algorithm => AuthProtocol.MsChapV2,
            _ => AuthProtocol.None,
        };
    }

    private static int AuthData(AuthProtocol protocol, Span<byte> destination)
    {
        switch (protocol)
        {
            case AuthProtocol.Pap:
                BinaryPrimitives.WriteUInt16BigEndian(destination, PapProtocol);
                return 2;
            case AuthProtocol.ChapMd5:
            case AuthProtocol.MsChapV2:
                BinaryPrimitives.WriteUInt16BigEndian(destination, ChapProtocol);
                destination[2] = protocol == AuthProtocol.ChapMd5 ? ChapMd5Algorithm : MsChapV2Algorithm;
                return 3;
            default:
                throw new ArgumentOutOfRangeException(nameof(protocol));
        }
    }

    private static void WriteAuth(ref OptionWriter w, AuthProtocol protocol)
    {
        Span<byte> data = stackalloc byte[3];
        int n = AuthData(protocol, data);
        w.Write((byte)LcpOption.AuthenticationProtocol, data[..n]);
    }

    public static string DescribeAuthProtocol(AuthProtocol protocol) => protocol switch
    {
        AuthProtocol.Pap => "PAP",
        AuthProtocol.ChapMd5 => "CHAP 0x05",
        AuthProtocol.MsChapV2 => "CHAP 0x81",
        _ => "none",
    };

    /// <summary>
    /// An Authentication-Protocol option's data named, including the protocols we do not
    /// implement: "EAP", "CHAP 0x80" (MS-CHAPv1), "SPAP" or the number.
    /// </summary>
    public static string DescribeAuthOption(ReadOnlySpan<byte> data)
    {
        var known = ParseAuth(data);
        if (known != AuthProtocol.None)
            return DescribeAuthProtocol(known);
        if (data.Length < 2)
            return "none";
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(data);
        return protocol switch
        {
            EapProtocol => "EAP",
            ShivaPapProtocol => "SPAP",
            ChapProtocol when data.Length == 3 => $"CHAP 0x{data[2]:x2}",
            _ => $"0x{protocol:x4}",
        };
    }

    /// <summary>Option names as ppp(8) logs them.</summary>
    public (string Name, string Value) DescribeOption(byte type, ReadOnlySpan<byte> data) => (LcpOption)type switch
    {
        LcpOption.MaximumReceiveUnit when data.Length == 2 => ("MRU", BinaryPrimitives.ReadUInt16BigEndian(data).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        LcpOption.AsyncControlCharacterMap when data.Length == 4 => ("ACCMAP", $"0x{BinaryPrimitives.ReadUInt32BigEndian(data):x8}"),
        LcpOption.AuthenticationProtocol when data.Length >= 2 => ("AUTHPROTO", $"0x{BinaryPrimitives.ReadUInt16BigEndian(data):x4} ({DescribeAuthOption(data)})"),
        LcpOption.QualityProtocol => ("QUALPROTO", Convert.ToHexString(data)),
        LcpOption.MagicNumber when data.Length == 4 => ("MAGICNUM", $"0x{BinaryPrimitives.ReadUInt32BigEndian(data):x8}"),
        LcpOption.ProtocolFieldCompression => ("PROTOCOMP", ""),
        LcpOption.AddressControlFieldCompression => ("ACFCOMP", ""),
        _ => ($"OPT{type}", Convert.ToHexString(data)),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: the peer asks us to authenticate with {Protocol}, {Why}: {Action}")]
    private static partial void LogAuthRefused(ILogger logger, string protocol, string why, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: peer rejected protocol {Protocol}")]
    private static partial void LogProtocolRejected(ILogger logger, string protocol);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: peer identifies itself: {Text}")]
    private static partial void LogIdentification(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: peer says {Seconds} seconds remain")]
    private static partial void LogTimeRemaining(ILogger logger, uint seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "deflink: SendEchoRequest({Id}) state = Opened")]
    private static partial void LogEchoSent(ILogger logger, byte id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: peer rejects Echo-Request; echo stopped")]
    private static partial void LogEchoRejected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: Echo-Request with our own magic number: the line looks looped back")]
    private static partial void LogEchoLooped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: {Misses} echo periods without a frame from the peer")]
    private static partial void LogEchoDead(ILogger logger, int misses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: magic number seen again: the line is looped back")]
    private static partial void LogLoopback(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
