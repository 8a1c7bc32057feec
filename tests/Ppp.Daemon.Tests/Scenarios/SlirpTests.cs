using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// Debian's slirp as the peer, on a socat pty pair; our daemon in a namespace. slirp assigns
/// our address (10.0.2.15) and answers ICMP echo to 10.0.2.2 itself, so nothing leaves the
/// host. Issue 3, scenario 3.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Interop")]
public sealed class SlirpTests : IntegrationFixture
{
    [Test]
    public void Daemon_SlirpPeer_GetsTheAddressSlirpAssignsAndPingsSlirp()
    {
        DaemonEnvironment.RequireTools("ping");
        SlirpPeer slirp = Rig.Track(SlirpPeer.Start());
        Rig.Describe("slirp", slirp.Log);
        NetworkNamespace ns = Rig.Namespace();

        // We ask for 0.0.0.0 so that slirp must Nak with the address it assigns, and we offer
        // slirp 10.0.2.2 when it asks for 0.0.0.0. slirp drops IPV6CP without a reject.
        PppConf conf = Rig.Conf("ours", Configs.Default + $"""
            slirp:
             set device {slirp.LinePath}
             set ifaddr 0.0.0.0/0 10.0.2.2
             disable ipv6cp
            """);
        ChildProcess daemon = Rig.Daemon(ns, conf, "-foreground", "slirp");

        conf.Log.WaitFor(LogPatterns.LcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        conf.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemon);
        LinkChecks.WaitForAddress(Rig, ns, "10.0.2.15");
        LinkChecks.AssertPings(Rig, ns, "10.0.2.2");

        daemon.Signal("TERM");
        LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(15));
        conf.Log.WaitFor(LogPatterns.TerminateRequestSent, TimeSpan.FromSeconds(1), Rig.Describe, daemon);
        LinkChecks.AssertCleanedUp(Rig, ns);
    }
}
