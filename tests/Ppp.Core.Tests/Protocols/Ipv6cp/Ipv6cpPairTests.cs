using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Tests.Protocols.Ipcp;

namespace Ppp.Core.Tests.Protocols.Ipv6cp;

/// <summary>Two IPV6CP handlers, each in a real <see cref="ControlProtocolFsm"/>, joined back to back.</summary>
[TestFixture]
public class Ipv6cpPairTests
{
    private static Ipv6cpHandler Handler(ulong? pinned, IRandomSource? random = null) =>
        new(new Ipv6cpConfig { InterfaceIdentifier = pinned }, random ?? SystemRandomSource.Instance, NullLogger.Instance);

    [Test]
    public void RandomIdentifiers_BothOpen_WithMatchingLinkLocals()
    {
        var left = Handler(null);
        var right = Handler(null);
        var pair = new FsmPair(left, right);

        pair.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.State, Is.EqualTo(FsmState.Opened));
            Assert.That(pair.Right.State, Is.EqualTo(FsmState.Opened));
            Assert.That(left.Result!.RemoteLinkLocal, Is.EqualTo(right.Result!.LocalLinkLocal));
            Assert.That(right.Result.RemoteLinkLocal, Is.EqualTo(left.Result.LocalLinkLocal));
            Assert.That(left.Result.LocalLinkLocal.IsIPv6LinkLocal, Is.True);
        });
    }

    /// <summary>
    /// The host vetoes IPv6 on its interface (the daemon: MTU below 1280): that side's layer
    /// never comes up, and it is closed with the host's reason in the Terminate-Request.
    /// </summary>
    [Test]
    public void InterfaceCheckFails_LayerNeverUp_ClosedWithTheReason()
    {
        var left = Handler(null);
        left.InterfaceCheck = () => "the interface MTU 296 is below IPv6's minimum of 1280";
        var right = Handler(null);
        int ups = 0;
        left.Up += _ => ups++;
        var pair = new FsmPair(left, right);

        pair.Run();

        Assert.Multiple(() =>
        {
            Assert.That(ups, Is.Zero);
            Assert.That(left.Result, Is.Null);
            Assert.That(pair.Left.State, Is.EqualTo(FsmState.Closed));
            Assert.That(pair.Left.FailureReason, Is.EqualTo("the interface MTU 296 is below IPv6's minimum of 1280"));
            Assert.That(pair.Right.FailureReason, Is.EqualTo("the peer closed it: \"the interface MTU 296 is below IPv6's minimum of 1280\""));
        });
    }

    [Test]
    public void SamePinnedIdentifier_CollisionResolved_BothOpenWithDifferentIds()
    {
        var left = Handler(0x1111, new Ipv6cpHandlerTests.ScriptedRandom("00 00 00 00 00 00 aa aa"));
        var right = Handler(0x1111, new Ipv6cpHandlerTests.ScriptedRandom("00 00 00 00 00 00 bb bb"));
        var pair = new FsmPair(left, right);

        pair.Run();

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.State, Is.EqualTo(FsmState.Opened));
            Assert.That(pair.Right.State, Is.EqualTo(FsmState.Opened));
            Assert.That(left.Result!.LocalInterfaceIdentifier, Is.Not.EqualTo(right.Result!.LocalInterfaceIdentifier));
            Assert.That(left.Result.RemoteInterfaceIdentifier, Is.EqualTo(right.Result.LocalInterfaceIdentifier));
            Assert.That(right.Result.RemoteInterfaceIdentifier, Is.EqualTo(left.Result.LocalInterfaceIdentifier));
            Assert.That(pair.Delivered, Is.LessThan(30));
        });
    }

    /// <summary>
    /// Two sides with the same pinned identifier and random sources stuck at zero are perfectly
    /// symmetric, so nothing can tell them apart; the point is that negotiation still ends.
    /// </summary>
    [Test]
    public void BrokenRandomSources_SamePinnedIdentifier_EndsBounded()
    {
        var left = Handler(0x1111, new Ipv6cpHandlerTests.ScriptedRandom("00"));
        var right = Handler(0x1111, new Ipv6cpHandlerTests.ScriptedRandom("00"));
        var pair = new FsmPair(left, right);

        pair.Run(maxPackets: 200);

        // Each side's Nak bound ends in a Reject of the other's identifier; a side left with no
        // identifier for its peer has nothing to route to and must not come up (issue 13).
        Assert.That(pair.Left.State, Is.Not.EqualTo(FsmState.Opened));
        Assert.That(new[] { pair.Left.FailureReason, pair.Right.FailureReason }, Has.Some.EqualTo("the peer named no interface identifier"));
        Assert.That(pair.Delivered, Is.LessThan(60));
    }
}
