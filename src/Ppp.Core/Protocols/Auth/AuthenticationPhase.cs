using Microsoft.Extensions.Logging;
using Ppp.Core.Link;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// The link's authentication phase (RFC 1661 §3.5): runs up to two roles at once, one proving
/// ourselves to the peer and one demanding proof from it, each with PAP, CHAP-MD5 or MS-CHAPv2
/// as LCP negotiated. Packets of one protocol are split by code between the two roles (PAP:
/// Request to the authenticator, Ack/Nak to the peer; CHAP: Response to the authenticator,
/// Challenge/Success/Failure to the peer).
/// </summary>
/// <remarks>
/// Single-threaded: every call, and every timer expiry (through the <see cref="LinkScheduler"/>),
/// happens on the link's owner. <see cref="Completed"/> is raised exactly once per
/// <see cref="Start"/>, possibly from inside Start or Receive; the handler may call
/// <see cref="Stop"/>. After success the roles stay live until Stop so they can answer the
/// peer's retransmissions and CHAP re-challenges.
/// </remarks>
public sealed class AuthenticationPhase
{
    private readonly IPacketOutput _output;
    private readonly LinkScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly ISecretStore _secrets;
    private readonly AuthOptions _options;
    private readonly IRandomSource _random;

    private AuthSession? _session;
    private AuthRole? _papAuthenticator;
    private AuthRole? _papPeer;
    private AuthRole? _chapAuthenticator;
    private AuthRole? _chapPeer;
    private bool _completed;
    private bool _succeeded;
    private long _malformedBefore;
    private long _ignoredBefore;

    public AuthenticationPhase(
        IPacketOutput output, LinkScheduler scheduler, ILoggerFactory loggers,
        ISecretStore secrets, AuthOptions options, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _output = output;
        _scheduler = scheduler;
        _logger = loggers.CreateLogger(AuthLog.Category);
        _secrets = secrets;
        _options = options;
        _random = random;
    }

    /// <summary>Raised once per <see cref="Start"/>: success when every active role succeeded, failure at the first failure.</summary>
    public event Action<AuthResult>? Completed;

    /// <summary>The name the peer authenticated as, once it has; null if we did not authenticate it.</summary>
    public string? PeerName { get; private set; }

    /// <summary>True between Start and Stop.</summary>
    public bool IsRunning => _session is not null;

    /// <summary>Packets dropped because they were too short or their fields overran (since construction).</summary>
    public long MalformedPackets => _malformedBefore + (_session?.Malformed ?? 0);

    /// <summary>Well-formed packets ignored: wrong identifier, late, or for a role we do not play.</summary>
    public long IgnoredPackets => _ignoredBefore + (_session?.Ignored ?? 0);

    /// <summary>
    /// Begins authentication. Either protocol may be <see cref="AuthProtocol.None"/>; with both
    /// None, <see cref="Completed"/> reports success at once. A running phase is stopped first.
    /// </summary>
    public void Start(AuthProtocol authenticatePeerWith, AuthProtocol authenticateOurselvesWith)
    {
        Stop();
        var session = new AuthSession(_output, _scheduler, _logger, _secrets, _options, _random, OnRoleSucceeded, OnRoleFailed);
        _session = session;
        _completed = false;
        _succeeded = false;
        PeerName = null;
        AuthLog.Starting(_logger, authenticatePeerWith, authenticateOurselvesWith);

        switch (authenticatePeerWith)
        {
            case AuthProtocol.Pap:
                _papAuthenticator = new PapAuthenticator(session);
                break;
            case AuthProtocol.ChapMd5 or AuthProtocol.MsChapV2:
                _chapAuthenticator = new ChapAuthenticator(session, authenticatePeerWith);
                break;
            default:
                break;
        }

        if (authenticateOurselvesWith != AuthProtocol.None && _options.Credentials is null)
        {
            Complete(new AuthResult(false, null,
                $"the peer wants us to authenticate with {authenticateOurselvesWith} but no credentials are set (set authname/authkey)"));
            return;
        }
        switch (authenticateOurselvesWith)
        {
            case AuthProtocol.Pap:
                _papPeer = new PapPeer(session, _options.Credentials!);
                break;
            case AuthProtocol.ChapMd5 or AuthProtocol.MsChapV2:
                _chapPeer = new ChapPeer(session, authenticateOurselvesWith, _options.Credentials!);
                break;
            default:
                break;
        }

        AuthRole?[] roles = [_papAuthenticator, _chapAuthenticator, _papPeer, _chapPeer];
        if (roles.All(r => r is null))
        {
            Complete(new AuthResult(true, null, null));
            return;
        }
        foreach (AuthRole? role in roles)
        {
            // A role may decide inside Start (a Fail for a name too long); stop starting then.
            if (role is null || _session != session || _completed)
                continue;
            role.Start();
        }
    }

    /// <summary>
    /// Hands in one PAP or CHAP packet (code, identifier, length, data; borrowed for the call).
    /// Returns false when no active role uses <paramref name="protocol"/>, so the link can send
    /// a Protocol-Reject; malformed and unexpected packets are dropped, counted, and return true.
    /// </summary>
    public bool Receive(ushort protocol, ReadOnlySpan<byte> packet)
    {
        AuthSession? session = _session;
        if (session is null)
            return false;
        // Both roles of a protocol share its number; the code says which one a packet is for:
        // requests go to our authenticator, replies to our peer role.
        (AuthRole? requestRole, AuthRole? replyRole) = (PppProtocol)protocol switch
        {
            PppProtocol.Pap => (_papAuthenticator, _papPeer),
            PppProtocol.Chap => (_chapAuthenticator, _chapPeer),
            _ => (null, null),
        };
        if (requestRole is null && replyRole is null)
            return false;
        if (!ControlPacket.TryParse(packet, out ControlPacket parsed))
        {
            session.CountMalformed((PppProtocol)protocol, packet.Length);
            return true;
        }
        bool? isRequest = (PppProtocol)protocol == PppProtocol.Pap
            ? parsed.Code switch
            {
                (byte)PapCode.AuthenticateRequest => true,
                (byte)PapCode.AuthenticateAck or (byte)PapCode.AuthenticateNak => false,
                _ => null,
            }
            : parsed.Code switch
            {
                (byte)ChapCode.Response => true,
                (byte)ChapCode.Challenge or (byte)ChapCode.Success or (byte)ChapCode.Failure => false,
                _ => null,
            };
        AuthRole? target = isRequest switch
        {
            true => requestRole,
            false => replyRole,
            null => null,
        };
        if (target is null)
        {
            session.CountIgnored((PppProtocol)protocol, $"code {parsed.Code}", parsed.Identifier, "no role of ours takes it");
            return true;
        }
        target.Receive(parsed.Code, parsed.Identifier, parsed.Data);
        return true;
    }

    /// <summary>Link down or phase over: cancels timers; no packet, timer or event follows.</summary>
    public void Stop()
    {
        if (_session is null)
            return;
        _session.Close();
        _malformedBefore += _session.Malformed;
        _ignoredBefore += _session.Ignored;
        _session = null;
        foreach (AuthRole? role in new[] { _papAuthenticator, _chapAuthenticator, _papPeer, _chapPeer })
            role?.Halt();
        _papAuthenticator = _chapAuthenticator = _papPeer = _chapPeer = null;
    }

    private void OnRoleSucceeded(AuthRole role, string? peerName)
    {
        // After a failure the phase is over: a late success must not make PeerName look valid.
        if (_completed && !_succeeded)
            return;
        if (role == _papAuthenticator || role == _chapAuthenticator)
            PeerName = peerName;
        if (_completed)
            return;
        AuthRole?[] roles = [_papAuthenticator, _chapAuthenticator, _papPeer, _chapPeer];
        if (roles.All(r => r is null || r.State == AuthRoleState.Succeeded))
            Complete(new AuthResult(true, PeerName, null));
    }

    private void OnRoleFailed(AuthRole role, string reason)
    {
        if (_completed)
            return;
        // One failure ends the phase: the other role stops retransmitting.
        foreach (AuthRole? other in new[] { _papAuthenticator, _chapAuthenticator, _papPeer, _chapPeer })
            other?.Halt();
        Complete(new AuthResult(false, PeerName, reason));
    }

    private void Complete(AuthResult result)
    {
        _completed = true;
        _succeeded = result.Success;
        if (result.Success)
            AuthLog.Succeeded(_logger, result.PeerName is null ? "" : $", peer is {AuthLog.Printable(result.PeerName)}");
        else
            AuthLog.Failed(_logger, result.FailureReason ?? "unknown");
        Completed?.Invoke(result);
    }
}
