using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Config;
using Ppp.Core.Link;
using Ppp.Daemon.Daemon;
using Ppp.Daemon.Supervision;

namespace Ppp.Daemon.Tests.Supervision;

/// <summary>
/// <see cref="LinkSupervisor"/> on a manual clock with a fake bundle: the bundle records each
/// attempt it is asked for and, when told to, reports it failed at once (a device that fails
/// immediately). Timer expiries are posted inline, or to a queue the test drains, to race them.
/// </summary>
[TestFixture]
internal sealed class LinkSupervisorTests
{
    private sealed class Rig
    {
        private readonly Queue<Action>? _posted;

        public Rig(DaemonMode mode, IRandomSource? random = null, bool queuePosts = false, params string[] commands)
        {
            SettingsLines.Apply(Settings, commands);
            _posted = queuePosts ? new Queue<Action>() : null;
            Action<Action> post = _posted is null ? a => a() : _posted.Enqueue;
            Supervisor = new LinkSupervisor(mode, () => (Settings.Redial, Settings.Reconnect), Clock, post,
                random ?? ConstantRandomSource.Zero, NullLogger.Instance)
            {
                Dial = reason =>
                {
                    Dials.Add(reason);
                    OnDial?.Invoke(reason);
                },
                Finish = Exits.Add,
            };
        }

        public ManualTimeProvider Clock { get; } = new();

        public BundleSettings Settings { get; } = new();

        public LinkSupervisor Supervisor { get; }

        public List<DialReason> Dials { get; } = [];

        public List<int> Exits { get; } = [];

        /// <summary>What the fake bundle does with each attempt (nothing: the attempt stays in progress).</summary>
        public Action<DialReason>? OnDial { get; set; }

        public void FailEveryDial(LinkEndCause cause = LinkEndCause.OpenFailed) =>
            OnDial = _ => Supervisor.DialFailed(cause, "no such device", morePhoneNumbers: false);

        public void ConnectEveryDial() => OnDial = _ => Supervisor.NetworkUp();

        public void Advance(double seconds) => Clock.Advance(TimeSpan.FromSeconds(seconds));

        public void DrainPosts()
        {
            while (_posted is { Count: > 0 })
                _posted.Dequeue()();
        }
    }

    // ----- start ------------------------------------------------------------------------------

    [TestCase(DaemonMode.Interactive, 0)]
    [TestCase(DaemonMode.Auto, 0)]
    [TestCase(DaemonMode.Background, 1)]
    [TestCase(DaemonMode.Foreground, 1)]
    [TestCase(DaemonMode.Direct, 1)]
    [TestCase(DaemonMode.Dedicated, 1)]
    [TestCase(DaemonMode.DDial, 1)]
    public void Start_EachMode_DialsAtOnceUnlessInteractiveOrAuto(DaemonMode mode, int dials)
    {
        var rig = new Rig(mode);
        rig.Supervisor.Start();
        Assert.That(rig.Dials, Has.Count.EqualTo(dials));
        Assert.That(rig.Dials, Has.All.EqualTo(DialReason.Start));
        Assert.That(rig.Supervisor.State, Is.EqualTo(dials == 0 ? SupervisorState.Idle : SupervisorState.Dialling));
    }

    [Test]
    public void Start_WithoutCallbacks_Throws()
    {
        var supervisor = new LinkSupervisor(DaemonMode.DDial, () => (new RedialSettings(), new ReconnectSettings()), new ManualTimeProvider(),
            a => a(), ConstantRandomSource.Zero, NullLogger.Instance);
        Assert.That(supervisor.Start, Throws.InvalidOperationException);
    }

    // ----- a failing device never spins ---------------------------------------------------------

    [Test]
    public void FailingDevice_DefaultRedialForAnHour_OneDialPerPause()
    {
        var rig = new Rig(DaemonMode.DDial, new SeededRandomSource(1));
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Advance(3600);
        // 30 s pauses lengthened by up to 10 %: between 3600/33 and 3600/30 redials, plus the first dial.
        Assert.That(rig.Dials, Has.Count.InRange(1 + (3600 / 33), 1 + (3600 / 30)));
        Assert.That(rig.Clock.PendingTimers, Is.EqualTo(1), "one timer at a time");
    }

    [Test]
    public void FailingDevice_RedialZero_FlooredAtOneSecond()
    {
        var rig = new Rig(DaemonMode.Dedicated, new SeededRandomSource(2), false, "set redial 0.0 0");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Advance(3600);
        Assert.That(rig.Dials, Has.Count.InRange(1 + (int)(3600 / 1.1), 1 + 3600));
    }

    [Test]
    public void FailingDevice_GrowingPauses_SequenceOnTheClock()
    {
        var rig = new Rig(DaemonMode.DDial, null, false, "set redial 10+10-2 0");
        rig.FailEveryDial();
        var start = rig.Clock.GetUtcNow();
        rig.Supervisor.Start();
        var times = new List<double>();
        rig.OnDial = _ =>
        {
            times.Add((rig.Clock.GetUtcNow() - start).TotalSeconds);
            rig.Supervisor.DialFailed(LinkEndCause.ChatFailed, "NO CARRIER", false);
        };
        rig.Advance(200);
        // pauses 10, 20, 30, 30, 30, ...
        Assert.That(times.Take(6), Is.EqualTo(new double[] { 10, 30, 60, 90, 120, 150 }));
    }

    [Test]
    public void FailingDevice_PhoneList_NextWaitBetweenNumbers()
    {
        var rig = new Rig(DaemonMode.DDial, null, false, "set redial 20.2 0");
        int number = 0;
        rig.OnDial = _ => rig.Supervisor.DialFailed(LinkEndCause.ChatFailed, "BUSY", morePhoneNumbers: number++ % 3 != 2);
        rig.Supervisor.Start();
        rig.Advance(24);
        // numbers 1, 2, 3 at 0, 2, 4 s; the round is over: 20 s; numbers 1, 2, 3 again at 24, 26, 28.
        Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Start, DialReason.NextNumber, DialReason.NextNumber, DialReason.Redial }));
    }

    // ----- attempts used ----------------------------------------------------------------------

    [TestCase(DaemonMode.Background, 1)]
    [TestCase(DaemonMode.Foreground, 1)]
    public void AttemptsUsed_Background_FinishOnceThenNothing(DaemonMode mode, int status)
    {
        var rig = new Rig(mode, null, false, "set redial 5 3");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Advance(3600);
        Assert.That(rig.Dials, Has.Count.EqualTo(3));
        Assert.That(rig.Exits, Is.EqualTo(new[] { status }));
        Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Finished));
        Assert.That(rig.Supervisor.DialCommand(), Is.False);
    }

    [Test]
    public void AttemptsUsed_Interactive_StaysThenDialCommandStartsOver()
    {
        var rig = new Rig(DaemonMode.Interactive, null, false, "set redial 5 2");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        Assert.That(rig.Supervisor.DialCommand(), Is.True);
        rig.Advance(3600);
        Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Command, DialReason.Redial }));
        Assert.That((rig.Supervisor.State, rig.Exits.Count), Is.EqualTo((SupervisorState.Idle, 0)));
        Assert.That(rig.Supervisor.DialCommand(), Is.True);
        rig.Advance(3600);
        Assert.That(rig.Dials, Has.Count.EqualTo(4));
    }

    [Test]
    public void Direct_EndsWithItsLink()
    {
        var up = new Rig(DaemonMode.Direct);
        up.ConnectEveryDial();
        up.Supervisor.Start();
        up.Supervisor.LinkEnded(LinkEndCause.LineError, "EOF on stdin");
        Assert.That(up.Exits, Is.EqualTo(new[] { 0 }));

        var failed = new Rig(DaemonMode.Direct);
        failed.Supervisor.Start();
        failed.Supervisor.LinkEnded(LinkEndCause.NegotiationFailed, "LCP: no reply");
        Assert.That(failed.Exits, Is.EqualTo(new[] { 1 }));
    }

    // ----- reconnect ----------------------------------------------------------------------------

    [Test]
    public void Reconnect_TriesUsed_InteractiveStays()
    {
        var rig = new Rig(DaemonMode.Interactive, null, false, "set reconnect 3 1");
        rig.ConnectEveryDial();
        rig.Supervisor.Start();
        rig.Supervisor.DialCommand();
        rig.Supervisor.LinkEnded(LinkEndCause.CarrierLost, "carrier lost");
        Assert.That(rig.Supervisor.Status.NextAttemptText, Is.EqualTo("reconnect in 3 s"));
        rig.Advance(3);
        Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Command, DialReason.Reconnect }));
        rig.Supervisor.LinkEnded(LinkEndCause.CarrierLost, "carrier lost");
        rig.Advance(3600);
        Assert.That((rig.Dials.Count, rig.Supervisor.State, rig.Exits.Count), Is.EqualTo((2, SupervisorState.Idle, 0)));
    }

    [Test]
    public void Reconnect_TriesUsed_BackgroundExits0()
    {
        var rig = new Rig(DaemonMode.Background, null, false, "set reconnect 3 2");
        rig.ConnectEveryDial();
        rig.Supervisor.Start();
        for (int i = 0; i < 3; i++)
        {
            rig.Supervisor.LinkEnded(LinkEndCause.PeerTerminated, "peer sent Terminate-Request");
            rig.Advance(3);
        }
        Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Start, DialReason.Reconnect, DialReason.Reconnect }));
        Assert.That(rig.Exits, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void DDial_DropsForEver_ReconnectsForEver()
    {
        var rig = new Rig(DaemonMode.DDial);
        rig.ConnectEveryDial();
        rig.Supervisor.Start();
        for (int i = 0; i < 50; i++)
        {
            rig.Supervisor.LinkEnded(LinkEndCause.EchoTimeout, "no frame in 5 echo periods");
            rig.Advance(3);
        }
        Assert.That(rig.Dials, Has.Count.EqualTo(51));
        Assert.That(rig.Exits, Is.Empty);
        Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Connected));
    }

    [Test]
    public void NetworkUp_ResetsDialCounters_NextFailureWaitsTheFirstPause()
    {
        var rig = new Rig(DaemonMode.DDial, null, false, "set redial 10+10 0");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Advance(10 + 20);
        Assert.That(rig.Supervisor.Counters.FailedDials, Is.EqualTo(3));
        Assert.That(rig.Supervisor.Status.NextAttemptText, Is.EqualTo("redial in 30 s"));
        rig.ConnectEveryDial();
        rig.Advance(30);
        Assert.That(rig.Supervisor.Counters, Is.EqualTo(new PolicyCounters(EverUp: true)));
        rig.FailEveryDial();
        rig.Supervisor.LinkEnded(LinkEndCause.CarrierLost, "carrier lost");
        rig.Advance(3);
        Assert.That(rig.Supervisor.Status.NextAttemptText, Is.EqualTo("redial in 10 s"), "the increment started over");
    }

    [Test]
    public void NetworkUp_TwiceForOneLink_OneConnect()
    {
        var rig = new Rig(DaemonMode.DDial);
        rig.Supervisor.Start();
        rig.Supervisor.NetworkUp();
        rig.Supervisor.NetworkUp();
        Assert.That(rig.Supervisor.Status.Connects, Is.EqualTo(1));
    }

    // ----- close and quit -----------------------------------------------------------------------

    [TestCase(DaemonMode.DDial)]
    [TestCase(DaemonMode.Dedicated)]
    [TestCase(DaemonMode.Interactive)]
    public void Close_DuringWait_TimerCancelledNoDial(DaemonMode mode)
    {
        var rig = new Rig(mode, null, false, "set redial 30 0");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Supervisor.DialCommand();
        int dials = rig.Dials.Count;
        Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Waiting));
        rig.Supervisor.Close();
        Assert.That((rig.Supervisor.State, rig.Clock.PendingTimers, rig.Supervisor.Status.NextAttemptText), Is.EqualTo((SupervisorState.Idle, 0, (string?)null)));
        rig.Advance(3600);
        Assert.That(rig.Dials, Has.Count.EqualTo(dials));
        Assert.That(rig.Exits, Is.Empty);
        Assert.That(rig.Supervisor.DialCommand(), Is.True, "dial after close works again");
        Assert.That(rig.Dials[^1], Is.EqualTo(DialReason.Command));
    }

    [Test]
    public void Close_DuringWait_BackgroundExits()
    {
        var rig = new Rig(DaemonMode.Background, null, false, "set redial 30 5");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Supervisor.Close();
        Assert.That(rig.Exits, Is.EqualTo(new[] { 1 }));
        rig.Advance(3600);
        Assert.That(rig.Dials, Has.Count.EqualTo(1));
    }

    [Test]
    public void Close_WhileConnectedInDDial_ReportCountsAsClosedNoRedial()
    {
        var rig = new Rig(DaemonMode.DDial);
        rig.ConnectEveryDial();
        rig.Supervisor.Start();
        rig.Supervisor.Close();
        Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Connected), "the bundle closes the link and reports");
        rig.Supervisor.LinkEnded(LinkEndCause.PeerTerminated, "Terminate-Ack");
        rig.Advance(3600);
        Assert.That((rig.Dials.Count, rig.Supervisor.State, rig.Exits.Count), Is.EqualTo((1, SupervisorState.Idle, 0)));
    }

    [Test]
    public void Quit_DuringWait_FinishesNowNoDial()
    {
        var rig = new Rig(DaemonMode.DDial);
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Supervisor.Quit();
        Assert.That(rig.Exits, Is.EqualTo(new[] { 0 }));
        Assert.That(rig.Clock.PendingTimers, Is.Zero);
        rig.Advance(3600);
        Assert.That(rig.Dials, Has.Count.EqualTo(1));
    }

    [Test]
    public void Quit_WhileConnected_FinishesWhenTheLinkEnds()
    {
        var rig = new Rig(DaemonMode.Dedicated);
        rig.ConnectEveryDial();
        rig.Supervisor.Start();
        rig.Supervisor.Quit();
        Assert.That(rig.Exits, Is.Empty);
        rig.Supervisor.LinkEnded(LinkEndCause.CarrierLost, "hang-up");
        Assert.That(rig.Exits, Is.EqualTo(new[] { 0 }));
        rig.Advance(3600);
        Assert.That(rig.Dials, Has.Count.EqualTo(1));
    }

    // ----- stale timer expiries -----------------------------------------------------------------

    [Test]
    public void StaleExpiry_PostedBeforeClose_Harmless()
    {
        var rig = new Rig(DaemonMode.DDial, null, queuePosts: true, "set redial 5 0");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Advance(5);
        rig.Supervisor.Close();
        rig.DrainPosts();
        Assert.That(rig.Dials, Has.Count.EqualTo(1));
    }

    [Test]
    public void StaleExpiry_PostedBeforeDialCommand_NoSecondDial()
    {
        var rig = new Rig(DaemonMode.DDial, null, queuePosts: true, "set redial 5 0");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        rig.Advance(5);
        rig.OnDial = null;
        Assert.That(rig.Supervisor.DialCommand(), Is.True);
        rig.DrainPosts();
        Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Start, DialReason.Command }));
        Assert.That(rig.Supervisor.State, Is.EqualTo(SupervisorState.Dialling));
    }

    [Test]
    public void Reports_OutOfTurn_Ignored()
    {
        var rig = new Rig(DaemonMode.Interactive);
        rig.Supervisor.Start();
        rig.Supervisor.DialFailed(LinkEndCause.OpenFailed, "late", false);
        rig.Supervisor.LinkEnded(LinkEndCause.CarrierLost, "late");
        rig.Supervisor.NetworkUp();
        var status = rig.Supervisor.Status;
        Assert.That((status.State, status.FailedDials, status.Drops, status.Connects, status.EndsByCause.Count), Is.EqualTo((SupervisorState.Idle, 0, 0, 0, 0)));
    }

    // ----- settings and status ------------------------------------------------------------------

    [Test]
    public void Settings_ReadAtEachDecision()
    {
        var rig = new Rig(DaemonMode.DDial, null, false, "set redial 5 0");
        rig.FailEveryDial();
        rig.Supervisor.Start();
        Assert.That(rig.Supervisor.Status.NextAttemptText, Is.EqualTo("redial in 5 s"));
        SettingsLines.Apply(rig.Settings, "set redial 40 0");
        rig.Advance(5);
        Assert.That(rig.Supervisor.Status.NextAttemptText, Is.EqualTo("redial in 40 s"));
    }

    [Test]
    public void Status_CountdownAndNextAttemptTime()
    {
        var rig = new Rig(DaemonMode.Background, null, false, "set redial 12.3 5");
        var start = rig.Clock.GetUtcNow();
        rig.OnDial = _ => rig.Supervisor.DialFailed(LinkEndCause.ChatFailed, "NO CARRIER", rig.Dials.Count == 2);
        rig.Supervisor.Start();
        var status = rig.Supervisor.Status;
        Assert.That((status.State, status.NextAttemptText, status.NextAttemptAt, status.NextAttemptReason),
            Is.EqualTo((SupervisorState.Waiting, "redial in 12 s", start.AddSeconds(12), DialReason.Redial)));
        Assert.That(status.LastDecision, Is.EqualTo("the chat script failed: redial in 12 s (attempt 2 of 5)"));
        rig.Advance(5);
        Assert.That(rig.Supervisor.Status.NextAttemptText, Is.EqualTo("redial in 7 s"));
        rig.Advance(7);
        Assert.That(rig.Supervisor.Status.NextAttemptText, Is.EqualTo("next number in 3 s"));
        Assert.That(rig.Supervisor.Status.FailedDials, Is.EqualTo(2));
    }

    [Test]
    public void Status_EndsByCauseAndTimes()
    {
        var rig = new Rig(DaemonMode.DDial, null, false, "set redial 10 0", "set reconnect 2 0");
        var start = rig.Clock.GetUtcNow();
        rig.OnDial = _ => rig.Supervisor.DialFailed(LinkEndCause.OpenFailed, "/dev/ttyUSB0: no such device", false);
        rig.Supervisor.Start();
        rig.OnDial = _ => rig.Supervisor.LinkEnded(LinkEndCause.ChatFailed, "dial: NO CARRIER");
        rig.Advance(10);
        rig.OnDial = null;
        rig.Advance(10);
        foreach (var cause in new[] { LinkEndCause.CarrierLost, LinkEndCause.EchoTimeout, LinkEndCause.CarrierLost })
        {
            if (cause != LinkEndCause.CarrierLost || rig.Supervisor.Status.Drops > 0)
                rig.Advance(2);
            rig.Supervisor.NetworkUp();
            rig.Advance(100);
            rig.Supervisor.LinkEnded(cause, $"{cause} on the line");
        }

        var status = rig.Supervisor.Status;
        Assert.That(status.EndsByCause, Is.EquivalentTo(new Dictionary<LinkEndCause, int>
        {
            [LinkEndCause.OpenFailed] = 1,
            [LinkEndCause.ChatFailed] = 1,
            [LinkEndCause.CarrierLost] = 2,
            [LinkEndCause.EchoTimeout] = 1,
        }));
        Assert.That((status.Connects, status.FailedDials, status.Drops), Is.EqualTo((3, 2, 3)));
        // Up at 20, down at 120; reconnect at 122, up, down at 222; reconnect at 224, up, down at 324.
        Assert.That(status.LastUp, Is.EqualTo(start.AddSeconds(224)));
        Assert.That(status.LastDown, Is.EqualTo(start.AddSeconds(324)));
        Assert.That((status.LastEndCause, status.LastEndReason), Is.EqualTo(((LinkEndCause?)LinkEndCause.CarrierLost, "CarrierLost on the line")));
        Assert.That(status.NextAttemptText, Is.EqualTo("reconnect in 2 s"));
    }
}
