using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Ipv6cp;

/// <summary>
/// IPV6CP (RFC 5072), driven by a <see cref="ControlProtocolFsm"/>. Only the
/// Interface-Identifier is negotiated (§4.1):
/// <list type="bullet">
/// <item>We request a non-zero identifier: the configured one, else random (with the "u" bit
/// clear, since a random identifier is not globally unique; RFC 4291 §2.5.1), kept across
/// renegotiations so the link-local address stays put.</item>
/// <item>The peer's zero identifier is Naked with a non-zero suggestion; one equal to ours is
/// Naked with a different one. A Nak of ours takes the peer's suggestion when it is non-zero
/// and differs from the peer's own identifier; otherwise we draw a new random one.</item>
/// <item>IPv6-Compression-Protocol (§4.2) and unknown options are rejected.</item>
/// </list>
/// Our Naks are bounded as IPCP's: one value at most <see cref="MaxIdenticalNaks"/> times in a
/// row, then the option is rejected. Spans passed in are borrowed.
/// </summary>
public sealed class Ipv6cpHandler : IControlProtocolHandler
{
    public const int MaxIdenticalNaks = 3;

    private readonly Ipv6cpConfig _config;
    private readonly IRandomSource _random;
    private readonly ILogger _logger;

    // What we want.
    private bool _requestIdentifier;
    private ulong _wantIdentifier;

    // What we got, and what the peer has (acked) or last asked for (judged).
    private ulong? _gotIdentifier;
    private ulong? _peerIdentifier;
    private ulong _peerRequested;

    // Our standing suggestion for a peer that needs one, and how often we Naked it in a row.
    private ulong _suggestionForPeer;
    private ulong _lastNakValue;
    private int _nakCount;

    /// <param name="config">Settings; <see cref="Ipv6cpConfig.Default"/> picks a random identifier.</param>
    /// <param name="random">Source of identifiers.</param>
    /// <param name="logger">The "IPV6CP" log category.</param>
    public Ipv6cpHandler(Ipv6cpConfig config, IRandomSource random, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(logger);
        _config = config;
        _random = random;
        _logger = logger;
        _wantIdentifier = config.InterfaceIdentifier is ulong pinned && pinned != 0 ? pinned : NewIdentifier(0, 0);
        ResetNegotiation();
    }

    public ushort Protocol => (ushort)PppProtocol.Ipv6cp;

    public string Name => "IPV6CP";

    /// <summary>The identifier we currently ask for.</summary>
    public ulong LocalInterfaceIdentifier => _wantIdentifier;

    /// <summary>The agreed identifiers while the layer is Opened; null otherwise.</summary>
    public Ipv6cpResult? Result { get; private set; }

    /// <summary>Raised on This-Layer-Up with <see cref="Result"/>.</summary>
    public event Action<Ipv6cpResult>? Up;

    /// <summary>Raised on This-Layer-Down, after <see cref="Result"/> is cleared.</summary>
    public event Action? Down;

    public void ResetNegotiation()
    {
        _requestIdentifier = true;
        if (_config.InterfaceIdentifier is ulong pinned && pinned != 0)
            _wantIdentifier = pinned;
        _gotIdentifier = null;
        _peerIdentifier = null;
        _peerRequested = 0;
        _suggestionForPeer = 0;
        _lastNakValue = 0;
        _nakCount = 0;
    }

    public int WriteRequest(Span<byte> options)
    {
        var writer = new OptionWriter(options);
        if (_requestIdentifier)
        {
            Span<byte> id = stackalloc byte[InterfaceIdentifiers.Length];
            BinaryPrimitives.WriteUInt64BigEndian(id, _wantIdentifier);
            writer.Write((byte)Ipv6cpOption.InterfaceIdentifier, id);
        }
        return writer.Length;
    }

    public void JudgeRequest(ReadOnlySpan<byte> options, ref ConfigureResponse response)
    {
        var reader = new OptionReader(options);
        int consumed = 0;
        bool sawIdentifier = false;
        while (reader.TryRead(out byte type, out var data, out var whole))
        {
            consumed += whole.Length;
            if (type != (byte)Ipv6cpOption.InterfaceIdentifier)
            {
                Ipv6cpLog.RejectingOption(_logger, type);
                response.Reject(whole);
                continue;
            }
            if (sawIdentifier || !InterfaceIdentifiers.TryRead(data, out ulong requested))
            {
                Ipv6cpLog.RejectingMalformed(_logger, whole.Length);
                response.Reject(whole);
                continue;
            }
            sawIdentifier = true;
            if (requested != 0 && requested != _wantIdentifier)
            {
                _peerRequested = requested;
                continue;
            }
            // RFC 5072 §4.1: zero means "please give me one"; equal to ours is a collision.
            ulong suggestion = SuggestionForPeer();
            Ipv6cpLog.NakPeerIdentifier(_logger, new(requested), new(suggestion));
            NakBounded(suggestion, whole, ref response);
        }
        if (reader.IsMalformed)
        {
            // The executor drops malformed packets; should one get here, refuse its tail.
            Ipv6cpLog.RejectingMalformed(_logger, options.Length - consumed);
            response.Reject(options[consumed..]);
        }
    }

    public void PeerRequestAcked(ReadOnlySpan<byte> options)
    {
        _peerIdentifier = null;
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            if (type == (byte)Ipv6cpOption.InterfaceIdentifier && InterfaceIdentifiers.TryRead(data, out ulong id) && id != 0)
                _peerIdentifier = id;
        }
        _lastNakValue = 0;
        _nakCount = 0;
    }

    public bool ApplyNak(ReadOnlySpan<byte> options)
    {
        var reader = new OptionReader(options);
        ulong? suggested = null;
        while (reader.TryRead(out byte type, out var data))
        {
            if (type != (byte)Ipv6cpOption.InterfaceIdentifier)
                continue; // A suggestion of something we do not do: ignored (RFC 1661 §5.3).
            if (!InterfaceIdentifiers.TryRead(data, out ulong id))
                return false;
            suggested = id;
        }
        if (reader.IsMalformed)
            return false;
        if (suggested is not ulong s || !_requestIdentifier)
            return true;
        ulong previous = _wantIdentifier;
        if (s != 0 && s != _wantIdentifier && s != _peerRequested)
        {
            _wantIdentifier = s;
            Ipv6cpLog.OurIdentifierChanged(_logger, new(previous), new(_wantIdentifier));
            return true;
        }
        // The suggestion is no use (zero, ours again, or the peer's own): we pick one ourselves.
        _wantIdentifier = NewIdentifier(_wantIdentifier, _peerRequested);
        Ipv6cpLog.OurIdentifierChosen(_logger, new(previous), new(s), new(_wantIdentifier));
        return true;
    }

    public bool ApplyReject(ReadOnlySpan<byte> options)
    {
        var reader = new OptionReader(options);
        bool rejectsIdentifier = false;
        while (reader.TryRead(out byte type, out var data))
        {
            // RFC 1661 §5.4: only what we sent can be rejected.
            if (type != (byte)Ipv6cpOption.InterfaceIdentifier || !_requestIdentifier || data.Length != InterfaceIdentifiers.Length)
                return false;
            rejectsIdentifier = true;
        }
        if (reader.IsMalformed)
            return false;
        if (rejectsIdentifier)
        {
            Ipv6cpLog.IdentifierRejected(_logger);
            _requestIdentifier = false;
        }
        return true;
    }

    public void RequestAcked(ReadOnlySpan<byte> options)
    {
        var reader = new OptionReader(options);
        while (reader.TryRead(out byte type, out var data))
        {
            if (type == (byte)Ipv6cpOption.InterfaceIdentifier && InterfaceIdentifiers.TryRead(data, out ulong id) && id != 0)
                _gotIdentifier = id;
        }
    }

    /// <summary>
    /// The host's veto as the layer reaches Opened: why the interface cannot carry IPv6 (an
    /// MTU below 1280, RFC 8200 §5), or null. Set by the daemon; none in-process.
    /// </summary>
    public Func<string?>? InterfaceCheck { get; set; }

    /// <summary>IPV6CP must not come up without a peer identifier to route to, nor on an interface that cannot carry IPv6.</summary>
    public string? ProblemWithAgreement() =>
        _peerIdentifier is null ? "the peer named no interface identifier" : InterfaceCheck?.Invoke();

    public void LayerUp()
    {
        ulong local = _gotIdentifier ?? _wantIdentifier;
        var result = new Ipv6cpResult(
            local,
            _peerIdentifier,
            InterfaceIdentifiers.LinkLocal(local),
            _peerIdentifier is ulong peer ? InterfaceIdentifiers.LinkLocal(peer) : null);
        Result = result;
        Ipv6cpLog.LayerUp(_logger, new(local), new(_peerIdentifier ?? 0));
        Up?.Invoke(result);
    }

    public void LayerDown()
    {
        Result = null;
        Ipv6cpLog.LayerDown(_logger);
        Down?.Invoke();
    }

    public void LayerStarted()
    {
    }

    public void LayerFinished()
    {
    }

    /// <summary>As IPCP: codes 1-7 only (RFC 5072 §3); a Code-Reject of one of them is RXJ-.</summary>
    public ExtraCodeResult HandleOtherCode(byte code, byte identifier, ReadOnlySpan<byte> data, FsmState state)
    {
        if (code != (byte)ControlCode.CodeReject)
            return ExtraCodeResult.NotHandled;
        return !data.IsEmpty && data[0] is >= (byte)ControlCode.ConfigureRequest and <= (byte)ControlCode.CodeReject
            ? ExtraCodeResult.RejectCatastrophic
            : ExtraCodeResult.RejectPermitted;
    }

    public (string Name, string Value) DescribeOption(byte type, ReadOnlySpan<byte> data) => InterfaceIdentifiers.Describe(type, data);

    private ulong SuggestionForPeer()
    {
        if (_suggestionForPeer == 0 || _suggestionForPeer == _wantIdentifier)
            _suggestionForPeer = NewIdentifier(_wantIdentifier, 0);
        return _suggestionForPeer;
    }

    private void NakBounded(ulong value, ReadOnlySpan<byte> whole, ref ConfigureResponse response)
    {
        _nakCount = value == _lastNakValue ? _nakCount + 1 : 1;
        _lastNakValue = value;
        if (_nakCount > MaxIdenticalNaks)
        {
            Ipv6cpLog.NakLimit(_logger, MaxIdenticalNaks);
            response.Reject(whole);
            return;
        }
        Span<byte> data = stackalloc byte[InterfaceIdentifiers.Length];
        BinaryPrimitives.WriteUInt64BigEndian(data, value);
        response.Nak((byte)Ipv6cpOption.InterfaceIdentifier, data, whole);
    }

    /// <summary>A random non-zero identifier, local ("u" bit clear), differing from both arguments.</summary>
    private ulong NewIdentifier(ulong avoid, ulong alsoAvoid)
    {
        Span<byte> bytes = stackalloc byte[InterfaceIdentifiers.Length];
        for (int attempt = 0; attempt < 8; attempt++)
        {
            _random.Fill(bytes);
            bytes[0] &= unchecked((byte)~0x02);
            ulong candidate = BinaryPrimitives.ReadUInt64BigEndian(bytes);
            if (candidate != 0 && candidate != avoid && candidate != alsoAvoid)
                return candidate;
        }
        // A source that keeps giving the same bytes (a test double, a broken device) must not
        // hang negotiation: step away from the values to avoid instead.
        ulong fallback = avoid;
        do
            fallback = (fallback + 1) & ~0x0200_0000_0000_0000UL;
        while (fallback == 0 || fallback == avoid || fallback == alsoAvoid);
        return fallback;
    }
}
