using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Config;
using Ppp.Daemon.Daemon;
using Ppp.Daemon.Supervision;

namespace Ppp.Daemon.Tests.Supervision;

/// <summary>
/// <c>set resetat</c> (issue 15): <see cref="DailySchedule"/> in a zone with daylight saving
/// (central European rules: UTC+1, UTC+2 from the last Sunday of March 02:00 to the last Sunday
/// of October 03:00), and the supervisor's daily timer on a manual clock in that zone.
/// </summary>
[TestFixture]
internal sealed class DailyScheduleTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("Test/Central", TimeSpan.FromHours(1), "Test Central", "CET", "CEST",
    [
        TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday)),
    ]);

    private static DateTimeOffset Local(int month, int day, int hour, int minute, int offsetHours) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));

    [Test]
    public void Next_LaterToday_IsToday() =>
        Assert.That(DailySchedule.Next(Local(1, 10, 1, 0, 1), new TimeOnly(3, 0), Zone), Is.EqualTo(Local(1, 10, 3, 0, 1)));

    [Test]
    public void Next_AtTheInstant_IsTomorrow() =>
        Assert.That(DailySchedule.Next(Local(1, 10, 3, 0, 1), new TimeOnly(3, 0), Zone), Is.EqualTo(Local(1, 11, 3, 0, 1)));

    [Test]
    public void Next_SummerTime_UsesTheSummerOffset() =>
        Assert.That(DailySchedule.Next(Local(7, 1, 12, 0, 2), new TimeOnly(3, 0), Zone), Is.EqualTo(Local(7, 2, 3, 0, 2)));

    [Test]
    public void Next_TimeSkippedBySpringChange_IsDueWhenTheClockJumps()
    {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
        var due = DailySchedule.Next(Local(3, 28, 12, 0, 1), new TimeOnly(2, 30), Zone);
        Assert.Multiple(() =>
        {
            Assert.That(due, Is.EqualTo(Local(3, 29, 3, 0, 2)));
            Assert.That(due.UtcDateTime, Is.EqualTo(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc)));
            Assert.That(DailySchedule.Next(due, new TimeOnly(2, 30), Zone), Is.EqualTo(Local(3, 30, 2, 30, 2)), "the next day is not skipped");
        });
    }

    [Test]
    public void Next_TimeRepeatedByAutumnChange_IsDueOnceAtTheFirst()
    {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
        var first = DailySchedule.Next(Local(10, 24, 12, 0, 2), new TimeOnly(2, 30), Zone);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(Local(10, 25, 2, 30, 2)));
            Assert.That(DailySchedule.Next(first, new TimeOnly(2, 30), Zone), Is.EqualTo(Local(10, 26, 2, 30, 1)), "the second 02:30 is not a second reset");
        });
    }

    [TestCase(0, 0)]
    [TestCase(2, 0)]
    [TestCase(2, 30)]
    [TestCase(3, 0)]
    [TestCase(23, 59)]
    public void Next_AcrossAYear_OncePerLocalDayNeverSkippingOrRepeating(int hour, int minute)
    {
        var at = new TimeOnly(hour, minute);
        var now = Local(1, 1, 12, 0, 1);
        var days = new List<DateOnly>();
        for (int i = 0; i < 365; i++)
        {
            now = DailySchedule.Next(now, at, Zone);
            days.Add(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime));
        }
        var first = hour >= 12 ? new DateOnly(2026, 1, 1) : new DateOnly(2026, 1, 2);
        Assert.That(days, Is.EqualTo(Enumerable.Range(0, 365).Select(first.AddDays)));
    }

    // ----- the supervisor's daily timer --------------------------------------------------------

    private sealed class Rig
    {
        public Rig(DaemonMode mode, params string[] commands)
        {
            SettingsLines.Apply(Settings, commands);
            Supervisor = new LinkSupervisor(mode, () => (Settings.Redial, Settings.Reconnect), Clock, a => a(), ConstantRandomSource.Zero, NullLogger.Instance)
            {
                Dial = reason =>
                {
                    Dials.Add(reason);
                    Supervisor!.NetworkUp();
                },
                Finish = _ => { },
                ResetPolicy = () => (Settings.Reset, Settings.ResetAlways),
                ResetModem = done => done(null),
                ScheduledDisconnect = () => Disconnects++,
            };
        }

        /// <summary>2026-03-28 12:00 CET, the day before the spring change.</summary>
        public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 28, 11, 0, 0, TimeSpan.Zero)) { Zone = Zone };

        public BundleSettings Settings { get; } = new();

        public LinkSupervisor Supervisor { get; }

        public List<DialReason> Dials { get; } = [];

        public int Disconnects { get; set; }

        public void AdvanceTo(DateTimeOffset when) => Clock.Advance(when - Clock.GetUtcNow());
    }

    [Test]
    public void Supervisor_ResetAtWithTheLinkUp_DisconnectsResetsAndReconnectsOncePerDayAcrossTheChange()
    {
        var rig = new Rig(DaemonMode.DDial, "set resetat 02:30", "set reset \"\\\"\\\" AT+CFUN=1,1 OK\"", "set resetwait 10");
        rig.Supervisor.Start();
        Assert.That(rig.Supervisor.DailyResetAt, Is.EqualTo(Local(3, 29, 3, 0, 2)));

        // One second before the jump: 01:59:59 CET.
        rig.AdvanceTo(Local(3, 29, 1, 59, 1).AddSeconds(59));
        Assert.That(rig.Disconnects, Is.Zero, "not before the clock jumps");
        rig.AdvanceTo(Local(3, 29, 3, 0, 2));
        Assert.That(rig.Disconnects, Is.EqualTo(1));

        // The bundle ends the link; the supervisor resets the modem, waits resetwait and redials.
        rig.Supervisor.LinkEnded(LinkEndCause.Scheduled, "the daily reset (set resetat)");
        rig.Clock.Advance(TimeSpan.FromSeconds(10.5));
        var status = rig.Supervisor.Status;
        Assert.Multiple(() =>
        {
            Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Start, DialReason.AfterReset }));
            Assert.That(status.Resets, Is.EqualTo(1));
            Assert.That(status.DailyResets, Is.EqualTo(1));
            Assert.That(status.ReconnectsUsed, Is.Zero, "a scheduled disconnect uses no reconnect try");
            Assert.That(rig.Supervisor.DailyResetAt, Is.EqualTo(Local(3, 30, 2, 30, 2)));
        });

        rig.AdvanceTo(Local(3, 31, 2, 0, 2));
        Assert.That(rig.Disconnects, Is.EqualTo(2), "the next day once, not twice");
    }

    [Test]
    public void Supervisor_ResetAtWithoutResetScript_ReconnectsAfterTheReconnectWait()
    {
        var rig = new Rig(DaemonMode.Interactive, "set resetat 13:00", "set reconnect 5 0");
        rig.Supervisor.Start();
        Assert.That(rig.Supervisor.DialCommand(), Is.True);
        rig.AdvanceTo(Local(3, 28, 13, 0, 1));
        Assert.That(rig.Disconnects, Is.EqualTo(1));

        rig.Supervisor.LinkEnded(LinkEndCause.Scheduled, "the daily reset (set resetat)");
        Assert.That(rig.Supervisor.Status.NextAttemptText, Is.EqualTo("reconnect after the daily reset in 5 s"));
        rig.Clock.Advance(TimeSpan.FromSeconds(5.5));
        Assert.Multiple(() =>
        {
            Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Command, DialReason.Scheduled }), "-interactive with no reconnect tries still reconnects");
            Assert.That(rig.Supervisor.Status.Resets, Is.Zero);
        });
    }

    [Test]
    public void Supervisor_ResetAtChangedAtThePrompt_IsRearmed()
    {
        var rig = new Rig(DaemonMode.DDial, "set resetat 13:00");
        rig.Supervisor.Start();
        SettingsLines.Apply(rig.Settings, "set resetat 12:30");
        rig.Supervisor.ArmDaily();
        Assert.That(rig.Supervisor.DailyResetAt, Is.EqualTo(Local(3, 28, 12, 30, 1)));
        SettingsLines.Apply(rig.Settings, "set resetat");
        rig.Supervisor.ArmDaily();
        rig.AdvanceTo(Local(3, 29, 12, 0, 2));
        Assert.Multiple(() =>
        {
            Assert.That(rig.Supervisor.DailyResetAt, Is.Null);
            Assert.That(rig.Disconnects, Is.Zero);
            Assert.That(rig.Clock.PendingTimers, Is.Zero);
        });
    }

    [Test]
    public void Supervisor_ResetAtWhileWaitingToRedial_ResetsTheModemNow()
    {
        var rig = new Rig(DaemonMode.DDial, "set resetat 12:30", "set reset \"\\\"\\\" AT+CFUN=1,1 OK\"", "set resetwait 10", "set redial 3600 0", "set resetafter 0");
        var supervisor = rig.Supervisor;
        supervisor.Dial = reason => rig.Dials.Add(reason);
        supervisor.Start();
        supervisor.DialFailed(LinkEndCause.ChatFailed, "dial script: timeout", morePhoneNumbers: false);
        Assert.That(supervisor.State, Is.EqualTo(SupervisorState.Waiting));
        rig.AdvanceTo(Local(3, 28, 12, 30, 1));
        rig.Clock.Advance(TimeSpan.FromSeconds(10.5));
        Assert.Multiple(() =>
        {
            Assert.That(supervisor.Status.Resets, Is.EqualTo(1));
            Assert.That(rig.Dials, Is.EqualTo(new[] { DialReason.Start, DialReason.AfterReset }));
        });
    }
}
