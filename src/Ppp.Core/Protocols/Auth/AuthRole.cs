using Microsoft.Extensions.Logging;
using Ppp.Core.Link;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

internal enum AuthRoleState
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// What the roles of one <see cref="AuthenticationPhase.Start"/> share: output, timers,
/// randomness, secrets, the log and the outcome callbacks. Once <see cref="Close"/>d (link down
/// or a new Start) it sends nothing, fires no timer and reports nothing.
/// </summary>
internal sealed class AuthSession(
    IPacketOutput output,
    LinkScheduler scheduler,
    ILogger logger,
    ISecretStore secrets,
    AuthOptions options,
    IRandomSource random,
    Action<AuthRole, string?> succeeded,
    Action<AuthRole, string> failed)
{
    public bool IsOpen { get; private set; } = true;
    public ILogger Logger { get; } = logger;
    public ISecretStore Secrets { get; } = secrets;
    public AuthOptions Options { get; } = options;
    public long Malformed { get; private set; }
    public long Ignored { get; private set; }

    public void Send(PppProtocol protocol, ReadOnlySpan<byte> packet)
    {
        if (IsOpen)
            output.Send((ushort)protocol, packet);
    }

    public LinkTimer CreateTimer(Action onExpired) => scheduler.CreateTimer(() =>
    {
        if (IsOpen)
            onExpired();
    });

    public void Fill(Span<byte> destination) => random.Fill(destination);

    public byte NextIdentifier()
    {
        Span<byte> one = stackalloc byte[1];
        random.Fill(one);
        return one[0];
    }

    public void CountMalformed(PppProtocol protocol, int length)
    {
        Malformed++;
        AuthLog.DroppedMalformed(Logger, protocol, length);
    }

    public void CountIgnored(PppProtocol protocol, string code, byte identifier, string why)
    {
        Ignored++;
        AuthLog.Ignored(Logger, protocol, code, identifier, why);
    }

    public void ReportSuccess(AuthRole role, string? peerName)
    {
        if (IsOpen)
            succeeded(role, peerName);
    }

    public void ReportFailure(AuthRole role, string reason)
    {
        if (IsOpen)
            failed(role, reason);
    }

    public void Close() => IsOpen = false;
}

/// <summary>
/// One side of one protocol: PAP or CHAP, as peer (proving ourselves) or authenticator
/// (demanding proof). A role reports one outcome, then keeps answering duplicates and
/// re-challenges until the session closes. Packet data is borrowed for the call only.
/// </summary>
internal abstract class AuthRole(AuthSession session)
{
    protected AuthSession Session { get; } = session;

    public AuthRoleState State { get; private set; }

    public abstract void Start();

    /// <summary>Handles one well-formed control packet addressed to this role.</summary>
    public abstract void Receive(byte code, byte identifier, ReadOnlySpan<byte> data);

    /// <summary>Stops the role's timers; it still answers duplicates.</summary>
    public abstract void Halt();

    protected void Succeed(string? peerName)
    {
        State = AuthRoleState.Succeeded;
        Halt();
        Session.ReportSuccess(this, peerName);
    }

    protected void Fail(string reason)
    {
        State = AuthRoleState.Failed;
        Halt();
        Session.ReportFailure(this, reason);
    }

    protected static string Seconds(TimeSpan time) =>
        time.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
