using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Config;
using Ppp.Core.Link;
using Ppp.Daemon.Daemon;
using Ppp.Daemon.Supervision;

namespace Ppp.Daemon.Tests.Supervision;

/// <summary>
/// The reset escalation (issue 15): <see cref="ResetLadder"/> as a pure function, and the
/// supervisor carrying it out on a manual clock with a fake bundle whose modem reset is
/// completed by the test (as the datalink posts it back to the loop).
/// </summary>
[TestFixture]
internal sealed class ResetLadderTests
{
    private static readonly ResetSettings Reset = new("\"\" AT+CFUN=1,1 OK", After: 3, WaitSeconds: 30);

    private static PolicyDecision Decide(PolicyEvent ev, PolicyCounters counters, ResetSettings reset, bool always = false, DaemonMode mode = DaemonMode.DDial)
    {
        var decision = LinkPolicy.Decide(mode, ev, counters, new RedialSettings(Seconds: 5, Attempts: 0), new ReconnectSettings(3, false, 0), ConstantRandomSource.Zero);
        return ResetLadder.Apply(ev, decision, reset, always);
    }

    [Test]
    public void Apply_FailuresBelowResetAfter_RedialsAndCounts()
    {
        var d = Decide(PolicyEvent.DialFailed(LinkEndCause.ChatFailed), new PolicyCounters(FailsSinceReset: 1), Reset);
        Assert.Multiple(() =>
        {
            Assert.That(d.ResetFirst, Is.False);
            Assert.That(d.NextDial, Is.EqualTo(DialReason.Redial));
            Assert.That(d.Counters.FailsSinceReset, Is.EqualTo(2));
        });
    }

    [Test]
    public void Apply_ResetAfterthFailure_ResetsThenRedialsAfterResetWait()
    {
        var d = Decide(PolicyEvent.DialFailed(LinkEndCause.ChatFailed), new PolicyCounters(FailsSinceReset: 2), Reset);
        Assert.Multiple(() =>
        {
            Assert.That(d.ResetFirst, Is.True);
            Assert.That(d.Action, Is.EqualTo(PolicyAction.Redial));
            Assert.That(d.NextDial, Is.EqualTo(DialReason.AfterReset));
            Assert.That(d.Delay, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(d.Counters.FailsSinceReset, Is.Zero);
            Assert.That(d.Reason, Is.EqualTo("the chat script failed: reset the modem (3 failed dials in a row), then redial in 30 s"));
        });
    }

    [Test]
    public void Apply_NoResetScript_NeverResets()
    {
        var d = Decide(PolicyEvent.DialFailed(LinkEndCause.ChatFailed), new PolicyCounters(FailsSinceReset: 10), new ResetSettings(After: 1));
        Assert.Multiple(() =>
        {
            Assert.That(d.ResetFirst, Is.False);
            Assert.That(d.Counters.FailsSinceReset, Is.EqualTo(11));
        });
    }

    [Test]
    public void Apply_ResetAfterZero_NeverResetsOnFailures()
    {
        var d = Decide(PolicyEvent.DialFailed(LinkEndCause.OpenFailed), new PolicyCounters(FailsSinceReset: 50), Reset with { After = 0 });
        Assert.That(d.ResetFirst, Is.False);
    }

    [TestCase(true, true)]
    [TestCase(false, false)]
    public void Apply_Drop_ResetsOnlyWithResetAlways(bool always, bool resets)
    {
        var d = Decide(PolicyEvent.LinkDropped(LinkEndCause.CarrierLost), new PolicyCounters(EverUp: true), Reset, always);
        Assert.Multiple(() =>
        {
            Assert.That(d.ResetFirst, Is.EqualTo(resets));
            Assert.That(d.NextDial, Is.EqualTo(resets ? DialReason.AfterReset : DialReason.Reconnect));
        });
    }

    [Test]
    public void Apply_FinishOrStay_IsLeftAlone()
    {
        // -foreground whose one attempt failed exits; a reset would not keep ppp alive.
        var failed = PolicyEvent.DialFailed(LinkEndCause.ChatFailed);
        var finish = ResetLadder.Apply(failed, LinkPolicy.Decide(DaemonMode.Foreground, failed, new PolicyCounters(FailsSinceReset: 5), new RedialSettings(Attempts: 1),
            new ReconnectSettings(), ConstantRandomSource.Zero), Reset with { After = 1 }, resetAlways: false);
        var close = Decide(PolicyEvent.ClosedByUs(), new PolicyCounters(EverUp: true), Reset, always: true);
        Assert.Multiple(() =>
        {
            Assert.That(finish.Action, Is.EqualTo(PolicyAction.Finish));
            Assert.That(finish.ResetFirst, Is.False);
            Assert.That(close.Action, Is.EqualTo(PolicyAction.Stay));
            Assert.That(close.ResetFirst, Is.False);
        });
    }

    [Test]
    public void Wait_ResetWaitZero_IsTheFloor() =>
        Assert.That(ResetLadder.Wait(Reset with { WaitSeconds = 0 }), Is.EqualTo(LinkPolicy.Floor));

    [Test]
    public void NetworkUp_StartsTheFailureCountOver() =>
        Assert.That(new PolicyCounters(FailsSinceReset: 2).NetworkUp().FailsSinceReset, Is.Zero);

    // ----- the supervisor carrying the ladder out ---------------------------------------------

    private sealed class Rig
    {
        public Rig(DaemonMode mode = DaemonMode.DDial, params string[] commands)
        {
            SettingsLines.Apply(Settings, commands);
            Supervisor = new LinkSupervisor(mode, () => (Settings.Redial, Settings.Reconnect), Clock, a => a(), ConstantRandomSource.Zero, NullLogger.Instance)
            {
                Dial = reason =>
                {
                    Dials.Add(reason);
                    OnDial?.Invoke(reason);
                },
                Finish = Exits.Add,
                ResetPolicy = () => (Settings.Reset, Settings.ResetAlways),
                ResetModem = done => Resets.Add(done),
            };
        }

        public ManualTimeProvider Clock { get; } = new();

        public BundleSettings Settings { get; } = new();

        public LinkSupervisor Supervisor { get; }

        public List<DialReason> Dials { get; } = [];

        public List<int> Exits { get; } = [];

        /// <summary>Resets asked for, each with the completion the datalink would post back.</summary>
        public List<Action<string?>> Resets { get; } = [];

        public Action<DialReason>? OnDial { get; set; }

        public void FailEveryDial() => OnDial = _ => Supervisor.DialFailed(LinkEndCause.ChatFailed, "dial script: timeout", morePhoneNumbers: false);

        public void Advance(double seconds) => Clock.Advance(TimeSpan.FromSeconds(seconds));
    }

    private static Rig Silent(params string[] more) =>
        new(DaemonMode.DDial, ["set redial 5 0", "set reset \"\\\"\\\" AT+CFUN=1,1 OK\"", "set resetafter 3", "set resetwait 30", .. more]);

    [Test]
    public void Supervisor_ThreeFailedDials_ResetsWaitsResetWaitAndDialsAfterReset()
    {
        var rig = Silent();
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Advance(5.5);
        rig.Advance(5.5);
        Assert.Multiple(() =>
        {
            Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Start, DialReason.Redial, DialReason.Redial }));
            Assert.That(rig.Resets, Has.Count.EqualTo(1), "the third failure resets");
            Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Resetting));
        });

        rig.Advance(60);
        Assert.That(rig.Dials, Has.Count.EqualTo(3), "nothing is dialled while the reset runs");

        rig.Resets[0](null);
        Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Waiting));
        rig.Advance(29);
        Assert.That(rig.Dials, Has.Count.EqualTo(3), "resetwait is not over");
        rig.OnDial = null;
        rig.Advance(1.5);
        var status = rig.Supervisor.Status;
        Assert.Multiple(() =>
        {
            Assert.That(rig.Dials[^1], Is.EqualTo(DialReason.AfterReset));
            Assert.That(status.Resets, Is.EqualTo(1));
            Assert.That(status.ResetFailures, Is.Zero);
            Assert.That(status.Redials, Is.EqualTo(3));
            Assert.That(status.FailsSinceReset, Is.Zero);
        });
    }

    [Test]
    public void Supervisor_FailingReset_IsCountedAndTheLadderGoesOn()
    {
        var rig = Silent("set resetafter 1");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Resets[0]("/dev/ttyUSB0: reset script: timeout");
        rig.Advance(30.5);
        var status = rig.Supervisor.Status;
        Assert.Multiple(() =>
        {
            Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Start, DialReason.AfterReset }));
            Assert.That(rig.Resets, Has.Count.EqualTo(2), "the attempt after the failed reset failed too: reset again");
            Assert.That(status.ResetFailures, Is.EqualTo(1));
            Assert.That(status.LastResetError, Is.EqualTo("/dev/ttyUSB0: reset script: timeout"));
        });
    }

    [Test]
    public void Supervisor_ResetAlways_ResetsAfterEveryDrop()
    {
        var rig = Silent("enable resetalways");
        rig.OnDial = _ => rig.Supervisor.NetworkUp();
        rig.Supervisor.Start();
        for (int drop = 1; drop <= 3; drop++)
        {
            rig.Supervisor.LinkEnded(LinkEndCause.CarrierLost, "carrier lost");
            Assert.That(rig.Resets, Has.Count.EqualTo(drop));
            rig.Resets[^1](null);
            rig.Advance(30.5);
        }
        Assert.Multiple(() =>
        {
            Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Start, DialReason.AfterReset, DialReason.AfterReset, DialReason.AfterReset }));
            Assert.That(rig.Supervisor.Status.Resets, Is.EqualTo(3));
            Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Connected));
        });
    }

    [Test]
    public void Supervisor_CloseDuringReset_IgnoresTheResetsEndAndStays()
    {
        var rig = Silent("set resetafter 1");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Supervisor.Close();
        rig.Resets[0](null);
        rig.Advance(100);
        Assert.Multiple(() =>
        {
            Assert.That(rig.Dials, Has.Count.EqualTo(1));
            Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Idle));
            Assert.That(rig.Supervisor.DialCommand(), Is.True, "dial works again");
        });
    }

    [Test]
    public void Supervisor_QuitDuringReset_Finishes()
    {
        var rig = Silent("set resetafter 1");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Supervisor.Quit();
        rig.Resets[0](null);
        rig.Advance(100);
        Assert.Multiple(() =>
        {
            Assert.That(rig.Exits, Is.EqualTo(new[] { 0 }));
            Assert.That(rig.Dials, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Supervisor_DialCommandDuringReset_IsRefused()
    {
        var rig = Silent("set resetafter 1");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        Assert.That(rig.Supervisor.DialCommand(), Is.False);
    }
}
