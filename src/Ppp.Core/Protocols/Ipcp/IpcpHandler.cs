using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Ppp.Core.Fsm;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Ipcp;

/// <summary>
/// IPCP (RFC 1332) with the name-server options of RFC 1877, driven by a
/// <see cref="ControlProtocolFsm"/>. Behaviour follows ppp(8)'s `set ifaddr`, `enable/accept
/// dns`, `set dns` and `set nbns`:
/// <list type="bullet">
/// <item>We request IP-Address with triggeraddr if set, else myaddr (0.0.0.0 when dynamic), and
/// with `enable dns` Primary/Secondary DNS at 0.0.0.0. A Nak of our address is taken when it
/// falls within myaddr/nn, otherwise ignored (we keep asking; the executor's bound on received
/// Naks ends it). A Reject of any of our options stops us sending it.</item>
/// <item>The peer's IP-Address is acked when within hisaddr/nn (or free in the pool), usable as a
/// host address and not ours; otherwise we Nak with our choice for it (hisaddr, or a free pool
/// address), or Reject when we have no choice to offer (hisaddr 0.0.0.0/0, pool exhausted).</item>
/// <item>A peer that sends no IP-Address (many LTE modems and some pppd setups): RFC 1332 §3.3
/// says we SHOULD append IP-Address to a Nak when we need to negotiate it. We do that once per
/// negotiation, and only when we have an address to suggest; if the peer still sends none we
/// ack and use our choice (hisaddr or a pool address) as its address, as pppd does. We never
/// refuse the layer for it: a modem that never names its address is the common case. The
/// exception is a peer whose IP-Address we rejected (it outlasted our Naks): its silence is
/// disagreement, not consent: we know no address for it.</item>
/// <item>IPCP never comes up half-configured (<see cref="ProblemWithAgreement"/>): with no
/// address for us or for the peer, one address for both, or ours disputed by the peer (it
/// Naked it with another, then rejected it), the executor closes the layer with that reason,
/// as pppd's ipcp_up does.</item>
/// <item>DNS/NBNS requested by the peer: acked if equal to ours, Naked with ours otherwise, and
/// rejected when we have none to give (`accept dns` off, or `set dns`/`set nbns` unset).</item>
/// <item>IP-Addresses (1) and IP-Compression-Protocol (2) are always rejected; VJ is not
/// implemented, and we never request it.</item>
/// </list>
/// Our own Naks are bounded: the same option with the same value is Naked at most
/// <see cref="MaxIdenticalNaks"/> times in a row, then rejected.
/// Spans passed in are borrowed; nothing is kept past a call except decoded values.
/// </summary>
public sealed class IpcpHandler : IControlProtocolHandler
{
    /// <summary>How often we Nak one option with one value before rejecting it instead.</summary>
    public const int MaxIdenticalNaks = 3;

    private const int NameServerSlots = 4;
    private const int MaxRequestLength = 6 * (1 + NameServerSlots);

    private IpcpConfig _config;
    private readonly ILogger _logger;
    private Ipv4AddressPool? _pool;

    // What we want (rebuilt from the config by ResetNegotiation, moved by Naks and Rejects).
    private bool _requestAddress;
    private uint _wantAddress;
    private readonly bool[] _requestNameServer = new bool[NameServerSlots];
    private readonly uint[] _wantNameServer = new uint[NameServerSlots];

    // What we got (the peer acked our request).
    private uint? _gotAddress;
    private readonly uint?[] _gotNameServer = new uint?[NameServerSlots];

    // What the peer has (its request, acked).
    private uint? _peerAddress;
    private bool _suggestedToSilentPeer;

    // We refused the peer's IP-Address (Reject): if it then goes quiet about its address, it
    // disagrees rather than leaves the choice to us, so we do not pretend it took ours.
    private bool _peerAddressRefused;

    // Disagreements, for the reason given when IPCP cannot come up: the address the peer
    // Naked us with that set ifaddr does not allow, and the address it asked for that we refused.
    private uint? _peerWantsForUs;
    private uint? _refusedPeerRequest;

    // A Nak decided while judging a request, logged once we know it goes out (a Reject of
    // other options in the same request replaces the Nak, RFC 1661 §5.4).
    private (uint Requested, uint Suggested)? _pendingNakLog;

    // Last Nak per option type and how many times in a row it went out with that value.
    private readonly Dictionary<byte, (uint Value, int Count)> _naks = [];

    /// <param name="config">The negotiation settings.</param>
    /// <param name="logger">The "IPCP" log category.</param>
    /// <param name="pool">
    /// A pool shared by the daemon's links when hisaddr is a pool; null makes a private one
    /// from <see cref="IfAddr.HisPool"/> (a single link).
    /// </param>
    public IpcpHandler(IpcpConfig config, ILogger logger, Ipv4AddressPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logger);
        _config = config;
        _logger = logger;
        _pool = pool ?? (config.IfAddr.HasPool ? new Ipv4AddressPool(config.IfAddr.HisPool) : null);
        ResetNegotiation();
    }

    public ushort Protocol => (ushort)PppProtocol.Ipcp;

    public string Name => "IPCP";

    public IpcpConfig Config => _config;

    /// <summary>
    /// The address ppp.secret gives the peer that just authenticated (ppp(8): "hisaddr" of its
    /// line), replacing <c>set ifaddr</c>'s hisaddr or pool for this link. Call before the
    /// layer starts, i.e. on entering the network phase.
    /// </summary>
    public void AssignPeerAddress(Ipv4Range address)
    {
        _config = _config with { IfAddr = _config.IfAddr with { HisAddress = address, HisPool = [] } };
        _pool?.Release(this);
        _pool = null;
        ResetNegotiation();
    }

    /// <summary>The agreed addresses while the layer is Opened; null otherwise.</summary>
    public IpcpResult? Result { get; private set; }

    /// <summary>Raised on This-Layer-Up with <see cref="Result"/>.</summary>
    public event Action<IpcpResult>? Up;

    /// <summary>Raised on This-Layer-Down, after <see cref="Result"/> is cleared.</summary>
    public event Action? Down;

    public void ResetNegotiation()
    {
        var ifaddr = _config.IfAddr;
        _requestAddress = true;
        _wantAddress = ifaddr.TriggerAddress is { } trigger ? Ipv4.ToUInt32(trigger) : ifaddr.MyAddress.Value;
        for (int slot = 0; slot < NameServerSlots; slot++)
        {
            byte type = TypeOf(slot);
            _requestNameServer[slot] = type is (byte)IpcpOption.PrimaryDns or (byte)IpcpOption.SecondaryDns
                ? _config.EnableDns
                : _config.EnableNbns;
            _wantNameServer[slot] = 0;
            _gotNameServer[slot] = null;
        }
        _gotAddress = null;
        _peerAddress = null;
        _suggestedToSilentPeer = false;
        _peerWantsForUs = null;
        _naks.Clear();
    }

    /// <summary>Our Configure-Request: IP-Address (RFC 1332 §3.3), then the RFC 1877 options wanted.</summary>
    public int WriteRequest(Span<byte> options)
    {
        var writer = new OptionWriter(options);
        if (_requestAddress)
            writer.WriteUInt32((byte)IpcpOption.IpAddress, _wantAddress);
        for (int slot = 0; slot < NameServerSlots; slot++)
        {
            if (_requestNameServer[slot])
                writer.WriteUInt32(TypeOf(slot), _wantNameServer[slot]);
        }
        return writer.Length;
    }

    public void JudgeRequest(ReadOnlySpan<byte> options, ref ConfigureResponse response)
    {
        var reader = new OptionReader(options);
        int consumed = 0;
        bool sawAddress = false;
        _pendingNakLog = null;
        while (reader.TryRead(out byte type, out var data, out var whole))
        {
            consumed += whole.Length;
            switch ((IpcpOption)type)
            {
                case IpcpOption.IpAddress:
                    // A second IP-Address in one request is nonsense; refuse it rather than guess.
                    if (sawAddress || !IpcpOptions.TryReadAddress(data, out uint requested))
                    {
                        IpcpLog.RejectingMalformed(_logger, new(type), whole.Length);
                        _peerAddressRefused = true;
                        response.Reject(whole);
                        break;
                    }
                    sawAddress = true;
                    JudgePeerAddress(requested, whole, ref response);
                    break;
                case IpcpOption.PrimaryDns or IpcpOption.PrimaryNbns or IpcpOption.SecondaryDns or IpcpOption.SecondaryNbns:
                    if (!IpcpOptions.TryReadAddress(data, out uint server))
                    {
                        IpcpLog.RejectingMalformed(_logger, new(type), whole.Length);
                        response.Reject(whole);
                        break;
                    }
                    JudgeNameServer(type, server, whole, ref response);
                    break;
                default:
                    // IP-Addresses (deprecated), IP-Compression-Protocol (VJ not implemented) and
                    // anything unknown (RFC 1661 §5.4).
                    IpcpLog.RejectingOption(_logger, new(type));
                    response.Reject(whole);
                    break;
            }
        }
        if (reader.IsMalformed)
        {
            // The executor drops malformed packets; should one get here, refuse its tail rather
            // than let it be acked.
            IpcpLog.RejectingMalformed(_logger, new(options[consumed]), options.Length - consumed);
            response.Reject(options[consumed..]);
            return;
        }
        if (_pendingNakLog is var (asked, offered))
        {
            if (response.HasRejects)
                IpcpLog.NakAfterRejects(_logger, new(asked), new(offered));
            else
                IpcpLog.NakPeerAddress(_logger, new(asked), new(offered));
        }
        if (!sawAddress && !_suggestedToSilentPeer && !_peerAddressRefused && !response.HasRejects && !response.NaksBecomeRejects
            && ChooseForPeer() is uint suggestion)
        {
            _suggestedToSilentPeer = true;
            IpcpLog.SuggestingToSilentPeer(_logger, new(suggestion));
            Span<byte> value = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(value, suggestion);
            response.Nak((byte)IpcpOption.IpAddress, value, []);
        }
    }

    public void PeerRequestAcked(ReadOnlySpan<byte> options)
    {
        uint? address = null;
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            if (type == (byte)IpcpOption.IpAddress && IpcpOptions.TryReadAddress(data, out uint a))
                address = a;
        }
        if (address is uint given)
        {
            if (_pool is not null && !_pool.TryTake(given, this))
                IpcpLog.PoolAddressLost(_logger, new(given));
            _peerAddress = given;
        }
        else
        {
            // A silent peer gets what we would have suggested (it may not know it); one whose
            // address we refused gets nothing, as we do not know what it uses.
            _peerAddress = _peerAddressRefused ? null : ChooseForPeer();
            IpcpLog.PeerSentNoAddress(_logger, new(_peerAddress));
        }
        _naks.Clear();
    }

    public bool ApplyNak(ReadOnlySpan<byte> options)
    {
        if (!IsWellFormedReply(options))
            return false;
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            if (type == (byte)IpcpOption.IpAddress)
            {
                IpcpOptions.TryReadAddress(data, out uint suggested);
                if (!_requestAddress)
                    continue; // The peer wants an address it rejected before; keep what we have.
                if (suggested != 0 && Ipv4.IsUsableHost(suggested) && _config.IfAddr.MyAddress.Contains(suggested))
                {
                    _wantAddress = suggested;
                }
                else
                {
                    _peerWantsForUs = suggested;
                    IpcpLog.NakOutOfRange(_logger, new(suggested), _config.IfAddr.MyAddress);
                }
            }
            else if (IpcpOptions.IsNameServer(type))
            {
                IpcpOptions.TryReadAddress(data, out uint suggested);
                int slot = SlotOf(type);
                // RFC 1877: the Nak carries the server to use; we request it back to get it acked.
                if (_requestNameServer[slot] && suggested != 0)
                    _wantNameServer[slot] = suggested;
            }
            // A Nak of IP-Compression-Protocol or of something we never asked for: RFC 1661 §5.3
            // lets the peer suggest options; we do not take up those.
        }
        return true;
    }

    public bool ApplyReject(ReadOnlySpan<byte> options)
    {
        if (!OptionReader.IsWellFormed(options))
            return false;
        Span<byte> sent = stackalloc byte[MaxRequestLength];
        sent = sent[..WriteRequest(sent)];
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            // RFC 1661 §5.4: a Reject names options of our request; anything else is bogus.
            if (!TryFind(sent, type, out var ours) || ours.Length != data.Length)
                return false;
        }
        reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out _))
        {
            IpcpLog.OptionRejected(_logger, new(type));
            if (type == (byte)IpcpOption.IpAddress)
                _requestAddress = false;
            else if (IpcpOptions.IsNameServer(type))
                _requestNameServer[SlotOf(type)] = false;
        }
        return true;
    }

    public void RequestAcked(ReadOnlySpan<byte> options)
    {
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            if (!IpcpOptions.TryReadAddress(data, out uint value))
                continue;
            if (type == (byte)IpcpOption.IpAddress)
                _gotAddress = value;
            else if (IpcpOptions.IsNameServer(type))
                _gotNameServer[SlotOf(type)] = value == 0 ? null : value;
        }
    }

    /// <summary>
    /// IPCP must not come up half-configured (issue 13; pppd's ipcp_up closes IPCP alike): an
    /// address for each side, two different ones, and ours one the peer did not dispute.
    /// </summary>
    public string? ProblemWithAgreement()
    {
        uint? local = LocalAddress();
        if (local is null)
            return Disagreement ?? "no IP address for us: the peer gave none and set ifaddr names none";
        if (!_requestAddress && _peerWantsForUs is uint wanted && wanted != local)
            return OurAddressDisputed(wanted);
        if (_peerAddress is not uint remote)
        {
            return _refusedPeerRequest is not uint asked ? "no IP address for the peer: it named none and set ifaddr names none"
                : asked == local ? $"the peer asks for our own address {Ipv4.Format(asked)}"
                : $"no IP address for the peer: it asks for {Ipv4.Format(asked)}, which set ifaddr does not allow ({_config.IfAddr.HisAddress})";
        }
        return remote == local ? $"the peer would share our own address {Ipv4.Format(remote)}" : null;
    }

    /// <summary>What we and the peer disagree on, when the peer will not stop Naking.</summary>
    public string? Disagreement =>
        _peerWantsForUs is uint wanted ? OurAddressDisputed(wanted)
        : _refusedPeerRequest is uint asked ? $"the peer asks for {Ipv4.Format(asked)} for itself, which we do not accept"
        : null;

    private string OurAddressDisputed(uint wanted) =>
        $"the peer wants {Ipv4.Format(wanted)} for our address; set ifaddr allows {_config.IfAddr.MyAddress}";

    private uint? LocalAddress() =>
        _gotAddress is uint got && got != 0 ? got
        : _config.IfAddr.MyAddress.IsUnspecified ? null : _config.IfAddr.MyAddress.Value;

    public void LayerUp()
    {
        uint? local = LocalAddress();
        var result = new IpcpResult(
            ToAddress(local),
            ToAddress(_peerAddress),
            ToAddress(_gotNameServer[SlotOf((byte)IpcpOption.PrimaryDns)]),
            ToAddress(_gotNameServer[SlotOf((byte)IpcpOption.SecondaryDns)]),
            ToAddress(_gotNameServer[SlotOf((byte)IpcpOption.PrimaryNbns)]),
            ToAddress(_gotNameServer[SlotOf((byte)IpcpOption.SecondaryNbns)]));
        Result = result;
        IpcpLog.LayerUp(_logger, result);
        Up?.Invoke(result);
    }

    public void LayerDown()
    {
        Result = null;
        IpcpLog.LayerDown(_logger);
        Down?.Invoke();
    }

    public void LayerStarted()
    {
    }

    /// <summary>tlf: the peer's pool address goes back to the pool.</summary>
    public void LayerFinished()
    {
        _pool?.Release(this);
        _peerAddressRefused = false;
        _refusedPeerRequest = null;
    }

    /// <summary>
    /// IPCP uses codes 1-7 only (RFC 1332 §2). A Code-Reject of one of those leaves the layer
    /// unusable (RXJ-); of anything else, harmless (RXJ+).
    /// </summary>
    public ExtraCodeResult HandleOtherCode(byte code, byte identifier, ReadOnlySpan<byte> data, FsmState state)
    {
        if (code != (byte)ControlCode.CodeReject)
            return ExtraCodeResult.NotHandled;
        return !data.IsEmpty && data[0] is >= (byte)ControlCode.ConfigureRequest and <= (byte)ControlCode.CodeReject
            ? ExtraCodeResult.RejectCatastrophic
            : ExtraCodeResult.RejectPermitted;
    }

    public (string Name, string Value) DescribeOption(byte type, ReadOnlySpan<byte> data) => IpcpOptions.Describe(type, data);

    private void JudgePeerAddress(uint requested, ReadOnlySpan<byte> whole, ref ConfigureResponse response)
    {
        if (IsAcceptableForPeer(requested))
        {
            _peerAddressRefused = false;
            _refusedPeerRequest = null;
            return;
        }
        uint? choice = ChooseForPeer();
        if (choice is not uint suggestion || suggestion == requested)
        {
            // Blame the right thing: a peer that wants our own address is not short of a choice.
            if (requested != 0 && requested == OurAddress())
                IpcpLog.PeerWantsOurAddress(_logger, new(requested));
            else
                IpcpLog.NoAddressForPeer(_logger, new(requested));
            _peerAddressRefused = true;
            _refusedPeerRequest = requested == 0 ? null : requested;
            response.Reject(whole);
            return;
        }
        _pendingNakLog = (requested, suggestion);
        // After Max-Failure the executor turns this Nak into a Reject (RFC 1661 §4.6).
        if (!NakBounded((byte)IpcpOption.IpAddress, suggestion, whole, ref response) || response.NaksBecomeRejects)
        {
            _peerAddressRefused = true;
            _refusedPeerRequest = requested == 0 ? null : requested;
        }
    }

    private void JudgeNameServer(byte type, uint requested, ReadOnlySpan<byte> whole, ref ConfigureResponse response)
    {
        var ours = type switch
        {
            (byte)IpcpOption.PrimaryDns => _config.AcceptDns ? _config.PrimaryDns : null,
            (byte)IpcpOption.SecondaryDns => _config.AcceptDns ? _config.SecondaryDns : null,
            (byte)IpcpOption.PrimaryNbns => _config.PrimaryNbns,
            _ => _config.SecondaryNbns,
        };
        if (ours is null || ours.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            IpcpLog.RejectingOption(_logger, new(type));
            response.Reject(whole);
            return;
        }
        uint value = Ipv4.ToUInt32(ours);
        if (requested != value)
            _ = NakBounded(type, value, whole, ref response);
    }

    private bool IsAcceptableForPeer(uint address)
    {
        if (address == 0 || !Ipv4.IsUsableHost(address) || address == OurAddress())
            return false;
        return _pool is not null ? _pool.TryTake(address, this) : _config.IfAddr.HisAddress.Contains(address);
    }

    /// <summary>What we offer the peer: hisaddr, or a free pool address (taken for this link); null if none.</summary>
    private uint? ChooseForPeer()
    {
        uint ours = OurAddress();
        if (_pool is not null)
            return _pool.TakeAny(this, avoid: ours);
        uint his = _config.IfAddr.HisAddress.Value;
        return his != 0 && his != ours && Ipv4.IsUsableHost(his) ? his : null;
    }

    /// <summary>Our address as it stands: what was acked, else what we ask for, else myaddr; 0 if unknown.</summary>
    private uint OurAddress() =>
        _gotAddress is uint got && got != 0 ? got
        : _requestAddress && _wantAddress != 0 ? _wantAddress
        : _config.IfAddr.MyAddress.Value;

    /// <summary>Naks, or rejects once the same Nak went out too often; false when it rejected.</summary>
    private bool NakBounded(byte type, uint value, ReadOnlySpan<byte> whole, ref ConfigureResponse response)
    {
        int count = _naks.TryGetValue(type, out var last) && last.Value == value ? last.Count + 1 : 1;
        _naks[type] = (value, count);
        if (count > MaxIdenticalNaks)
        {
            IpcpLog.NakLimit(_logger, new(type), MaxIdenticalNaks);
            response.Reject(whole);
            return false;
        }
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, value);
        response.Nak(type, data, whole);
        return true;
    }

    /// <summary>Well-formed, and every option we interpret has its fixed length.</summary>
    private static bool IsWellFormedReply(ReadOnlySpan<byte> options)
    {
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            if ((type == (byte)IpcpOption.IpAddress || IpcpOptions.IsNameServer(type))
                && data.Length != IpcpOptions.AddressDataLength)
            {
                return false;
            }
        }
        return !reader.IsMalformed;
    }

    private static bool TryFind(ReadOnlySpan<byte> options, byte wanted, out ReadOnlySpan<byte> data)
    {
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out data))
        {
            if (type == wanted)
                return true;
        }
        data = default;
        return false;
    }

    private static int SlotOf(byte type) => type - (byte)IpcpOption.PrimaryDns;

    private static byte TypeOf(int slot) => (byte)((byte)IpcpOption.PrimaryDns + slot);

    private static System.Net.IPAddress? ToAddress(uint? value) => value is uint v ? Ipv4.ToAddress(v) : null;
}
