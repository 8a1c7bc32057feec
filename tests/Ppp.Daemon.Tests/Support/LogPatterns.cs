namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// The daemon's log lines the scenarios wait for, in ppp(8)'s wording ("LCP: deflink:
/// LayerUp", "LCP: deflink: RecvTerminateReq(2) state = Opened"). Not anchored at the line
/// start, so a timestamp or a link-name prefix does not matter.
/// </summary>
internal static class LogPatterns
{
    public const string LcpUp = @"\bLCP: .*LayerUp";
    public const string IpcpUp = @"\bIPCP: .*LayerUp";
    public const string Ipv6cpUp = @"\bIPV6CP: .*LayerUp";

    /// <summary>Either side of an authentication that succeeded.</summary>
    public const string AuthSuccess = @"Auth: success";

    /// <summary>We authenticated the peer (the authenticator's side names the peer).</summary>
    public const string PeerAuthenticated = @"Auth: success, peer is";

    public const string AuthFailure = @"Auth: failure";
    public const string TerminateRequestReceived = @"\bLCP: .*RecvTerminateReq";
    public const string TerminateRequestSent = @"\bLCP: .*SendTerminateReq";
}
