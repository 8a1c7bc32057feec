using System.Security.Cryptography;
using System.Text;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// CHAP, our side demanding proof (RFC 1994 §2, RFC 2759 for MS-CHAPv2): send a Challenge of 16
/// random octets under our name, send the same packet again every retry interval until a
/// Response with its Identifier arrives, check it with the secret of the name it carries, and
/// answer Success or Failure. A Response repeated with that Identifier after the decision gets
/// the same answer again (the peer did not hear the first one); others are ignored.
/// </summary>
internal sealed class ChapAuthenticator : AuthRole
{
    private const int ChallengeSize = 16;
    private const string SuccessMessage = "Access granted";
    private const string FailureMessage = "Access denied";
    private const string MsChapV2FailureMessage = "Authentication failure";

    private readonly AuthProtocol _algorithm;
    private readonly LinkTimer _timer;
    private readonly string _printableLocalName;
    private readonly byte[] _challenge = new byte[ChallengeSize];
    private byte[] _challengePacket = [];
    private byte[]? _outcomePacket;
    private byte _identifier;
    private int _transmissions;

    public ChapAuthenticator(AuthSession session, AuthProtocol algorithm)
        : base(session)
    {
        _algorithm = algorithm;
        _timer = session.CreateTimer(OnTimeout);
        _printableLocalName = AuthLog.Printable(session.Options.LocalName);
    }

    private string Label => _algorithm == AuthProtocol.MsChapV2 ? "MS-CHAPv2" : "CHAP";

    public override void Start()
    {
        _identifier = Session.NextIdentifier();
        Session.Fill(_challenge);
        byte[] name = Encoding.UTF8.GetBytes(Session.Options.LocalName);
        _challengePacket = new byte[ChapPacket.ValueAndNameLength(_challenge.Length, name.Length)];
        ChapPacket.WriteValueAndName(_challengePacket, ChapCode.Challenge, _identifier, _challenge, name);
        SendChallenge();
    }

    public override void Halt() => _timer.Stop();

    public override void Receive(byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        if (!ChapPacket.TryParseValueAndName(data, out ReadOnlySpan<byte> value, out ReadOnlySpan<byte> nameBytes))
        {
            Session.CountMalformed(PppProtocol.Chap, data.Length + ControlPacket.HeaderLength);
            return;
        }
        if (identifier != _identifier)
        {
            Session.CountIgnored(PppProtocol.Chap, "Response", identifier, "does not answer our Challenge");
            return;
        }
        string name = Encoding.UTF8.GetString(nameBytes);
        string printableName = AuthLog.Printable(name);
        AuthLog.ChapInputResponse(Session.Logger, printableName);

        if (_outcomePacket is not null)
        {
            SendOutcome(_outcomePacket);
            return;
        }

        string? failure;
        string? successMessage = null;
        if (!Session.Secrets.TryGetSecret(name, out string? secret))
            failure = $"{Label}: unknown peer name {printableName}";
        else if (_algorithm == AuthProtocol.MsChapV2)
            failure = VerifyMsChapV2(secret, value, nameBytes, printableName, out successMessage);
        else
            failure = ChapMd5.Verify(_identifier, secret, _challenge, value)
                ? null
                : $"CHAP: wrong response from {printableName}";

        if (failure is null)
        {
            _outcomePacket = MessagePacket(ChapCode.Success, successMessage ?? SuccessMessage);
            SendOutcome(_outcomePacket);
            Succeed(name);
        }
        else
        {
            _outcomePacket = MessagePacket(ChapCode.Failure, FailureText());
            SendOutcome(_outcomePacket);
            Fail(failure);
        }
    }

    private string? VerifyMsChapV2(string secret, ReadOnlySpan<byte> value, ReadOnlySpan<byte> nameBytes, string printableName, out string? successMessage)
    {
        successMessage = null;
        if (!MsChapV2Packet.TryParseResponseValue(value, out ReadOnlySpan<byte> peerChallenge, out ReadOnlySpan<byte> ntResponse))
            return $"MS-CHAPv2: Response from {printableName} has Value-Size {value.Length}, not {MsChapV2Packet.ResponseValueSize}";
        Span<byte> expected = stackalloc byte[MsChapV2Crypto.NtResponseSize];
        MsChapV2Crypto.GenerateNtResponse(_challenge, peerChallenge, nameBytes, secret, expected);
        bool match = CryptographicOperations.FixedTimeEquals(expected, ntResponse);
        CryptographicOperations.ZeroMemory(expected);
        if (!match)
            return $"MS-CHAPv2: wrong response from {printableName}";
        Span<byte> authenticatorResponse = stackalloc byte[MsChapV2Crypto.AuthenticatorResponseSize];
        MsChapV2Crypto.GenerateAuthenticatorResponse(secret, ntResponse, peerChallenge, _challenge, nameBytes, authenticatorResponse);
        successMessage = MsChapV2Packet.FormatSuccess(authenticatorResponse, SuccessMessage);
        return null;
    }

    private string FailureText()
    {
        if (_algorithm != AuthProtocol.MsChapV2)
            return FailureMessage;
        // RFC 2759 §6: C= carries a fresh challenge for a retry; R=0 says we allow none.
        Span<byte> next = stackalloc byte[ChallengeSize];
        Session.Fill(next);
        return MsChapV2Packet.FormatFailure(MsChapV2Packet.ErrorAuthenticationFailure, retry: false, next, version: 3, MsChapV2FailureMessage);
    }

    private byte[] MessagePacket(ChapCode code, string message)
    {
        byte[] text = Encoding.UTF8.GetBytes(message);
        byte[] packet = new byte[ControlPacket.HeaderLength + text.Length];
        ChapPacket.WriteMessage(packet, code, _identifier, text);
        return packet;
    }

    private void SendOutcome(byte[] packet)
    {
        string message = AuthLog.Printable(packet.AsSpan(ControlPacket.HeaderLength));
        AuthLog.ChapOutputResult(Session.Logger, packet[0] == (byte)ChapCode.Success ? "SUCCESS" : "FAILURE", message);
        Session.Send(PppProtocol.Chap, packet);
    }

    private void OnTimeout()
    {
        if (State != AuthRoleState.Running)
            return;
        if (_transmissions >= Session.Options.ChapMaxRetries)
        {
            Fail($"{Label}: no Response to {_transmissions} Challenge(s)");
            return;
        }
        AuthLog.Retransmitting(Session.Logger, "Chap", _transmissions + 1, Session.Options.ChapMaxRetries);
        SendChallenge();
    }

    private void SendChallenge()
    {
        _transmissions++;
        AuthLog.ChapOutputChallenge(Session.Logger, _challenge.Length, _printableLocalName);
        _timer.Start(Session.Options.ChapRetryTimeout);
        Session.Send(PppProtocol.Chap, _challengePacket);
    }
}
