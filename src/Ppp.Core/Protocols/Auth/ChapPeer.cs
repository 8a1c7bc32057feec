using System.Security.Cryptography;
using System.Text;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// CHAP, our side proving itself (RFC 1994 §2; RFC 2759 for MS-CHAPv2). Each Challenge gets a
/// Response under our name. The authenticator retransmits Challenges until it has a Response,
/// but nothing retransmits a lost Success or Failure, so while none has arrived we resend the
/// same Response every ChapRetryTimeout (at most ChapMaxRetries times); the authenticator
/// answers a repeated Response with the verdict it already gave (RFC 1994 §4.2). A Challenge repeated with
/// the same Identifier and value gets the very same Response, so that whichever copy the
/// authenticator checks, the MS-CHAPv2 authenticator response it returns matches what we
/// expect. With MS-CHAPv2 a Success is believed only if its "S=" proves the peer knows our
/// secret too (RFC 2759 §5, mutual authentication). Challenges after success (periodic
/// re-authentication, RFC 1994 §2) are answered as well.
/// </summary>
internal sealed class ChapPeer : AuthRole
{
    private readonly AuthProtocol _algorithm;
    private readonly AuthCredentials _credentials;
    private readonly LinkTimer _timer;
    private readonly LinkTimer _resendTimer;
    private int _resends;
    private readonly string _printableName;

    // The Challenge we last answered, and our answer.
    private byte[]? _lastChallenge;
    private byte _lastIdentifier;
    private byte[]? _lastResponsePacket;
    private readonly byte[] _peerChallenge = new byte[16];
    private readonly byte[] _ntResponse = new byte[MsChapV2Crypto.NtResponseSize];
    private bool _resultSeenForLast;

    public ChapPeer(AuthSession session, AuthProtocol algorithm, AuthCredentials credentials)
        : base(session)
    {
        _algorithm = algorithm;
        _credentials = credentials;
        _printableName = AuthLog.Printable(credentials.Name);
        _timer = session.CreateTimer(OnTimeout);
        _resendTimer = session.CreateTimer(OnResendTimeout);
    }

    private string Label => _algorithm == AuthProtocol.MsChapV2 ? "MS-CHAPv2" : "CHAP";

    public override void Start() => _timer.Start(Session.Options.AuthenticatorTimeout);

    public override void Halt()
    {
        _timer.Stop();
        _resendTimer.Stop();
    }

    public override void Receive(byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        if (code == (byte)ChapCode.Challenge)
            ReceiveChallenge(identifier, data);
        else
            ReceiveResult(code, identifier, data);
    }

    private void ReceiveChallenge(byte identifier, ReadOnlySpan<byte> data)
    {
        if (!ChapPacket.TryParseValueAndName(data, out ReadOnlySpan<byte> value, out ReadOnlySpan<byte> name)
            || (_algorithm == AuthProtocol.MsChapV2 && value.Length != MsChapV2Packet.ChallengeValueSize))
        {
            Session.CountMalformed(PppProtocol.Chap, data.Length + ControlPacket.HeaderLength);
            return;
        }
        string authenticatorName = AuthLog.Printable(name);
        AuthLog.ChapInputChallenge(Session.Logger, value.Length, authenticatorName);
        if (State == AuthRoleState.Failed)
        {
            Session.CountIgnored(PppProtocol.Chap, "Challenge", identifier, "authentication already failed");
            return;
        }

        bool repeat = _lastResponsePacket is not null && identifier == _lastIdentifier
            && _lastChallenge is not null && value.SequenceEqual(_lastChallenge);
        if (!repeat)
            BuildResponse(identifier, value);
        _resends = 0;
        SendResponse();
    }

    private void SendResponse()
    {
        AuthLog.ChapOutputResponse(Session.Logger, _printableName);
        Session.Send(PppProtocol.Chap, _lastResponsePacket);
        if (!_resultSeenForLast)
            _resendTimer.Start(Session.Options.ChapRetryTimeout);
    }

    private void OnResendTimeout()
    {
        if (_lastResponsePacket is null || _resultSeenForLast || State == AuthRoleState.Failed)
            return;
        if (++_resends >= Session.Options.ChapMaxRetries)
            return; // the overall timeout decides from here
        SendResponse();
    }

    private void BuildResponse(byte identifier, ReadOnlySpan<byte> challenge)
    {
        byte[] name = Encoding.UTF8.GetBytes(_credentials.Name);
        Span<byte> value = stackalloc byte[MsChapV2Packet.ResponseValueSize];
        if (_algorithm == AuthProtocol.MsChapV2)
        {
            // RFC 2759 §5: the Name field is the user name, the one hashed into the response.
            Session.Fill(_peerChallenge);
            MsChapV2Crypto.GenerateNtResponse(challenge, _peerChallenge, name, _credentials.Key, _ntResponse);
            MsChapV2Packet.WriteResponseValue(value, _peerChallenge, _ntResponse);
        }
        else
        {
            value = value[..ChapMd5.ResponseSize];
            ChapMd5.ComputeResponse(identifier, _credentials.Key, challenge, value);
        }
        _lastResponsePacket = new byte[ChapPacket.ValueAndNameLength(value.Length, name.Length)];
        ChapPacket.WriteValueAndName(_lastResponsePacket, ChapCode.Response, identifier, value, name);
        CryptographicOperations.ZeroMemory(value);
        _lastIdentifier = identifier;
        _lastChallenge = challenge.ToArray();
        _resultSeenForLast = false;
    }

    private void ReceiveResult(byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        string codeName = code == (byte)ChapCode.Success ? "Success" : "Failure";
        if (_lastResponsePacket is null || identifier != _lastIdentifier)
        {
            Session.CountIgnored(PppProtocol.Chap, codeName, identifier, "does not answer our Response");
            return;
        }
        string message = Encoding.UTF8.GetString(data);
        string printable = AuthLog.Printable(message);
        AuthLog.ChapInputResult(Session.Logger, code == (byte)ChapCode.Success ? "SUCCESS" : "FAILURE", printable);
        if (_resultSeenForLast)
        {
            Session.CountIgnored(PppProtocol.Chap, codeName, identifier, "already decided");
            return;
        }
        _resultSeenForLast = true;
        _resendTimer.Stop();

        string? failure = code == (byte)ChapCode.Success
            ? CheckSuccess(message)
            : DescribeFailure(message, printable);

        if (State == AuthRoleState.Running)
        {
            if (failure is null)
                Succeed(null);
            else
                Fail(failure);
        }
        else if (failure is not null)
        {
            // A re-challenge after success failed; the authenticator will end the link.
            AuthLog.ReauthenticationFailed(Session.Logger, failure);
        }
    }

    private string? CheckSuccess(string message)
    {
        if (_algorithm != AuthProtocol.MsChapV2)
            return null;
        if (!MsChapV2Packet.TryParseSuccess(message, out string authenticatorResponse, out _))
            return "MS-CHAPv2: the peer's Success carries no authenticator response (S=...)";
        byte[] name = Encoding.UTF8.GetBytes(_credentials.Name);
        bool valid = MsChapV2Crypto.CheckAuthenticatorResponse(
            _credentials.Key, _ntResponse, _peerChallenge, _lastChallenge, name, authenticatorResponse);
        return valid
            ? null
            : "MS-CHAPv2: the peer's authenticator response is wrong (it does not know our secret)";
    }

    private string DescribeFailure(string message, string printable)
    {
        if (_algorithm == AuthProtocol.MsChapV2 && MsChapV2Packet.TryParseFailure(message, out MsChapV2Failure failure))
        {
            string code = failure.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            return $"MS-CHAPv2: the peer refused our name {_printableName}: " +
                $"E={code} ({MsChapV2Failure.Describe(failure.ErrorCode)}) {AuthLog.Printable(failure.Message ?? "")}".TrimEnd();
        }
        return $"{Label}: the peer refused our name {_printableName} ({printable})";
    }

    private void OnTimeout()
    {
        if (State != AuthRoleState.Running)
            return;
        Fail(_lastResponsePacket is null
            ? $"{Label}: no Challenge from the peer within {Seconds(Session.Options.AuthenticatorTimeout)}"
            : $"{Label}: the peer did not accept or refuse our Response within {Seconds(Session.Options.AuthenticatorTimeout)}");
    }
}
