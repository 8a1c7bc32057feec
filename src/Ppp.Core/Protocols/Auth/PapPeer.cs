using System.Collections;
using System.Security.Cryptography;
using System.Text;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// PAP, our side proving itself (RFC 1334 §2.1): send Authenticate-Request until an Ack or a Nak
/// comes back, or the tries run out. Every transmission takes a new Identifier; a reply to any
/// of them is accepted, so a slow Ack to an earlier copy still counts.
/// </summary>
internal sealed class PapPeer : AuthRole
{
    private readonly AuthCredentials _credentials;
    private readonly LinkTimer _timer;
    private readonly string _printableName;
    private readonly BitArray _sentIdentifiers = new(256);
    private byte _identifier;
    private int _transmissions;

    public PapPeer(AuthSession session, AuthCredentials credentials)
        : base(session)
    {
        _credentials = credentials;
        _printableName = AuthLog.Printable(credentials.Name);
        _timer = session.CreateTimer(OnTimeout);
    }

    public override void Start()
    {
        if (Encoding.UTF8.GetByteCount(_credentials.Name) > PapPacket.MaxFieldLength
            || Encoding.UTF8.GetByteCount(_credentials.Key) > PapPacket.MaxFieldLength)
        {
            Fail("PAP: our name or key is longer than 255 octets");
            return;
        }
        _identifier = Session.NextIdentifier();
        SendRequest();
    }

    public override void Halt() => _timer.Stop();

    public override void Receive(byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        string codeName = code == (byte)PapCode.AuthenticateAck ? "Ack" : "Nak";
        if (!PapPacket.TryParseReply(data, out ReadOnlySpan<byte> messageBytes))
        {
            Session.CountMalformed(PppProtocol.Pap, data.Length + ControlPacket.HeaderLength);
            return;
        }
        if (!_sentIdentifiers[identifier])
        {
            Session.CountIgnored(PppProtocol.Pap, codeName, identifier, "not an identifier we sent");
            return;
        }
        if (State != AuthRoleState.Running)
        {
            Session.CountIgnored(PppProtocol.Pap, codeName, identifier, "already decided");
            return;
        }
        string message = AuthLog.Printable(messageBytes);
        if (code == (byte)PapCode.AuthenticateAck)
        {
            AuthLog.PapInputReply(Session.Logger, "SUCCESS", message);
            Succeed(null);
        }
        else
        {
            AuthLog.PapInputReply(Session.Logger, "FAILURE", message);
            Fail($"PAP: the peer refused our name {_printableName} ({message})");
        }
    }

    private void OnTimeout()
    {
        if (State != AuthRoleState.Running)
            return;
        if (_transmissions >= Session.Options.PapMaxRetries)
        {
            Fail($"PAP: no reply to {_transmissions} Authenticate-Request(s)");
            return;
        }
        AuthLog.Retransmitting(Session.Logger, "Pap", _transmissions + 1, Session.Options.PapMaxRetries);
        _identifier++;
        SendRequest();
    }

    private void SendRequest()
    {
        byte[] name = Encoding.UTF8.GetBytes(_credentials.Name);
        byte[] key = Encoding.UTF8.GetBytes(_credentials.Key);
        byte[] packet = new byte[PapPacket.RequestLength(name.Length, key.Length)];
        try
        {
            PapPacket.WriteRequest(packet, _identifier, name, key);
            _sentIdentifiers[_identifier] = true;
            _transmissions++;
            AuthLog.PapOutputRequest(Session.Logger, _printableName);
            _timer.Start(Session.Options.PapRetryTimeout);
            Session.Send(PppProtocol.Pap, packet);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(packet);
        }
    }
}
