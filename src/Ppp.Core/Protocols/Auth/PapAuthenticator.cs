using System.Text;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// PAP, our side demanding proof (RFC 1334 §2.1): wait for an Authenticate-Request, check the
/// Peer-ID and Password against the secret store, answer Ack or Nak. The peer retransmits until
/// it hears the answer, so every later Request is answered again (Ack stays Ack, Nak stays Nak);
/// only the first one decides.
/// </summary>
internal sealed class PapAuthenticator : AuthRole
{
    private const string AckMessage = "Access granted";
    private const string NakMessage = "Access denied";

    private readonly LinkTimer _timer;
    private string? _acceptedName;

    public PapAuthenticator(AuthSession session)
        : base(session) => _timer = session.CreateTimer(OnTimeout);

    public override void Start() => _timer.Start(Session.Options.AuthenticatorTimeout);

    public override void Halt() => _timer.Stop();

    public override void Receive(byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        if (!PapPacket.TryParseRequest(data, out ReadOnlySpan<byte> peerIdBytes, out ReadOnlySpan<byte> password))
        {
            Session.CountMalformed(PppProtocol.Pap, data.Length + ControlPacket.HeaderLength);
            return;
        }
        string peerId = Encoding.UTF8.GetString(peerIdBytes);
        string printableId = AuthLog.Printable(peerId);
        AuthLog.PapInputRequest(Session.Logger, printableId);

        string? failure = null;
        if (!Session.Secrets.TryGetSecret(peerId, out string? secret))
            failure = $"PAP: unknown peer name {printableId}";
        else if (!SecretComparer.PasswordMatches(secret, password))
            failure = $"PAP: wrong password for {printableId}";

        switch (State)
        {
            case AuthRoleState.Running when failure is null:
                _acceptedName = peerId;
                Reply(PapCode.AuthenticateAck, identifier, AckMessage);
                Succeed(peerId);
                break;
            case AuthRoleState.Running:
                Reply(PapCode.AuthenticateNak, identifier, NakMessage);
                Fail(failure!);
                break;
            case AuthRoleState.Succeeded when failure is null && peerId == _acceptedName:
                // Our Ack was lost and the peer sent its request again.
                Reply(PapCode.AuthenticateAck, identifier, AckMessage);
                break;
            default:
                Reply(PapCode.AuthenticateNak, identifier, NakMessage);
                break;
        }
    }

    private void OnTimeout()
    {
        if (State == AuthRoleState.Running)
            Fail($"PAP: the peer sent no Authenticate-Request within {Seconds(Session.Options.AuthenticatorTimeout)}");
    }

    private void Reply(PapCode code, byte identifier, string message)
    {
        byte[] text = Encoding.UTF8.GetBytes(message);
        Span<byte> packet = stackalloc byte[ControlPacket.HeaderLength + 1 + text.Length];
        int length = PapPacket.WriteReply(packet, code, identifier, text);
        AuthLog.PapOutputReply(Session.Logger, code == PapCode.AuthenticateAck ? "SUCCESS" : "FAILURE", message);
        Session.Send(PppProtocol.Pap, packet[..length]);
    }
}
