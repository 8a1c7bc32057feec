using System.Globalization;
using NUnit.Framework;
using Ppp.Core.Link;
using Ppp.Daemon.Daemon;
using Ppp.Daemon.Supervision;

namespace Ppp.Daemon.Tests.Supervision;

/// <summary>
/// <see cref="LinkPolicy.Decide"/> on event scripts. A step is one letter: F a dial failed
/// (no numbers left in the round), N a dial failed with numbers left, U the network came up,
/// D a link that was up dropped, C closed by us, Q quit, S a new session (<c>dial</c>). Each
/// decision reads r30 (redial after 30 s), n3 (next number after 3 s), c3 (reconnect after
/// 3 s), stay, or exit0/exit1. Randomness is all zeros unless a test says otherwise: no jitter.
/// </summary>
[TestFixture]
internal sealed class LinkPolicyTests
{
    private static string Run(DaemonMode mode, string steps, string[] commands, IRandomSource? random = null)
    {
        var settings = SettingsLines.From(commands);
        var counters = new PolicyCounters();
        var outcomes = new List<string>();
        foreach (char step in steps)
        {
            PolicyEvent ev;
            switch (step)
            {
                case 'U':
                    counters = counters.NetworkUp();
                    continue;
                case 'S':
                    counters = counters.NewSession();
                    continue;
                case 'F':
                    ev = PolicyEvent.DialFailed(LinkEndCause.ChatFailed);
                    break;
                case 'N':
                    ev = PolicyEvent.DialFailed(LinkEndCause.ChatFailed, morePhoneNumbers: true);
                    break;
                case 'D':
                    ev = PolicyEvent.LinkDropped(LinkEndCause.CarrierLost);
                    break;
                case 'C':
                    ev = PolicyEvent.ClosedByUs();
                    break;
                case 'Q':
                    ev = PolicyEvent.Quit();
                    break;
                default:
                    throw new ArgumentException($"unknown step {step}", nameof(steps));
            }
            var decision = LinkPolicy.Decide(mode, ev, counters, settings.Redial, settings.Reconnect, random ?? ConstantRandomSource.Zero);
            counters = decision.Counters;
            outcomes.Add(Describe(decision));
        }
        return string.Join(",", outcomes);
    }

    private static string Describe(PolicyDecision d)
    {
        string seconds = d.Delay.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        return d.Action switch
        {
            PolicyAction.Stay => "stay",
            PolicyAction.Finish => $"exit{d.ExitStatus}",
            PolicyAction.Reconnect => $"c{seconds}",
            PolicyAction.Redial when d.NextDial == DialReason.NextNumber => $"n{seconds}",
            PolicyAction.Redial => $"r{seconds}",
            _ => d.Action.ToString(),
        };
    }

    private static string Repeat(string item, int count) => string.Join(",", Enumerable.Repeat(item, count));

    // ----- every form of set redial ------------------------------------------------------------

    [TestCase(new string[0], DaemonMode.Background, "F", "exit1", TestName = "Redial_Default_BackgroundTriesOnce")]
    [TestCase(new string[0], DaemonMode.DDial, "FF", "r30,r30", TestName = "Redial_Default_DDialWaits30s")]
    [TestCase(new[] { "set redial 10 4" }, DaemonMode.Background, "FFFF", "r10,r10,r10,exit1", TestName = "Redial_Secs_Attempts")]
    [TestCase(new[] { "set redial 7 0" }, DaemonMode.Background, "FFFFFF", "r7,r7,r7,r7,r7,r7", TestName = "Redial_ZeroAttempts_ForEver")]
    [TestCase(new[] { "set redial 10.3 4" }, DaemonMode.Background, "NFNF", "n3,r10,n3,exit1", TestName = "Redial_SecsNext_TotalAttemptsAcrossNumbers")]
    [TestCase(new[] { "set redial 10+10.3 0" }, DaemonMode.DDial, "NFNFNF", "n3,r10,n3,r20,n3,r30", TestName = "Redial_NextWait_DoesNotGrow")]
    [TestCase(new[] { "set redial 10+5 0" }, DaemonMode.DDial, "FFFFFFFFFFFFF", "r10,r15,r20,r25,r30,r35,r40,r45,r50,r55,r60,r60,r60", TestName = "Redial_SecsInc_DefaultMaxTen")]
    [TestCase(new[] { "set redial 10+10-2 0" }, DaemonMode.DDial, "FFFFF", "r10,r20,r30,r30,r30", TestName = "Redial_SecsIncMax_Capped")]
    [TestCase(new[] { "set redial 10+10-0 0" }, DaemonMode.DDial, "FFF", "r10,r10,r10", TestName = "Redial_MaxZero_NeverGrows")]
    [TestCase(new[] { "set redial 0 0" }, DaemonMode.DDial, "FF", "r1,r1", TestName = "Redial_Zero_FlooredAtOneSecond")]
    [TestCase(new[] { "set redial 0.0 0" }, DaemonMode.DDial, "NF", "n1,r1", TestName = "Redial_ZeroNext_FlooredAtOneSecond")]
    [TestCase(new[] { "set redial 86400+86400-10000 0" }, DaemonMode.DDial, "FF", "r86400,r86400", TestName = "Redial_Huge_CappedAtADay")]
    [TestCase(new[] { "set redial 1 3", "set redial 7" }, DaemonMode.Background, "FFF", "r7,r7,exit1", TestName = "Redial_AttemptsOmitted_Kept")]
    [TestCase(new[] { "set redial 10.3 3" }, DaemonMode.DDial, "NNNNNN", "n3,n3,r10,n3,n3,r10", TestName = "Redial_DDialAttemptsUsed_NewRoundAfterFullPause")]
    [TestCase(new[] { "set redial 10 2" }, DaemonMode.Interactive, "FFSFF", "r10,stay,r10,stay", TestName = "Redial_InteractiveAttemptsUsed_StayUntilDial")]
    [TestCase(new[] { "set redial 10+10 0" }, DaemonMode.DDial, "FFUDFF", "r10,r20,c3,r10,r20", TestName = "Redial_NetworkUp_IncrementStartsOver")]
    public void Redial_Forms(string[] commands, DaemonMode mode, string steps, string expected) =>
        Assert.That(Run(mode, steps, commands), Is.EqualTo(expected));

    [Test]
    public void Redial_ManPageExample_TwentyAttemptsPausesGrowToAMinute()
    {
        // ppp(8): "set redial 10+10-5.3 20" pauses 10 s, 20 s, ... 60 s after the sixth attempt,
        // then 60 s; the twentieth failure gives up.
        string expected = "r10,r20,r30,r40,r50," + Repeat("r60", 14) + ",exit1";
        Assert.That(Run(DaemonMode.Background, new string('F', 20), ["set redial 10+10-5.3 20"]), Is.EqualTo(expected));
    }

    [Test]
    public void Redial_RandomSecsAndNext_OneToThirtyWholeSeconds()
    {
        var settings = SettingsLines.From("set redial random.random 0");
        var random = new SeededRandomSource(7);
        var seen = new HashSet<double>();
        var counters = new PolicyCounters();
        for (int i = 0; i < 600; i++)
        {
            var decision = LinkPolicy.Decide(DaemonMode.DDial, PolicyEvent.DialFailed(LinkEndCause.OpenFailed, morePhoneNumbers: i % 2 == 0),
                counters, settings.Redial, settings.Reconnect, random);
            counters = decision.Counters;
            Assert.That(decision.Delay.TotalSeconds, Is.InRange(1, 30).And.EqualTo(Math.Floor(decision.Delay.TotalSeconds)));
            seen.Add(decision.Delay.TotalSeconds);
        }
        Assert.That(seen, Has.Count.EqualTo(30), "every value 1..30 turns up");
    }

    [TestCase("set redial random.5 0", "N", 5.0)]
    [TestCase("set redial 5.random 0", "F", 5.0)]
    public void Redial_OneSideRandom_OtherSideFixed(string command, string fixedStep, double fixedSeconds)
    {
        var random = new SeededRandomSource(3);
        var settings = SettingsLines.From(command);
        var fixedWait = LinkPolicy.Decide(DaemonMode.DDial, PolicyEvent.DialFailed(LinkEndCause.OpenFailed, fixedStep == "N"), default,
            settings.Redial, settings.Reconnect, random).Delay;
        Assert.That(fixedWait.TotalSeconds, Is.InRange(fixedSeconds, fixedSeconds * 1.1));
        var randomWait = LinkPolicy.Decide(DaemonMode.DDial, PolicyEvent.DialFailed(LinkEndCause.OpenFailed, fixedStep != "N"), default,
            settings.Redial, settings.Reconnect, ConstantRandomSource.Zero).Delay;
        Assert.That(randomWait, Is.EqualTo(TimeSpan.FromSeconds(1)), "random with all-zero randomness is the smallest, 1 s");
    }

    // ----- every form of set reconnect ---------------------------------------------------------

    [TestCase(new[] { "set reconnect 3 5" }, DaemonMode.Background, "UDUDUDUDUDUD", "c3,c3,c3,c3,c3,exit0", TestName = "Reconnect_Tries_ThenBackgroundExits0")]
    [TestCase(new[] { "set reconnect 3 2" }, DaemonMode.Interactive, "UDUDUDSUD", "c3,c3,stay,c3", TestName = "Reconnect_TriesUsed_InteractiveStaysUntilDial")]
    [TestCase(new[] { "set reconnect 3 2" }, DaemonMode.Foreground, "UDUDUD", "c3,c3,exit0", TestName = "Reconnect_TriesUsed_ForegroundExits0")]
    [TestCase(new[] { "set reconnect 0 1" }, DaemonMode.Background, "UD", "c1", TestName = "Reconnect_Zero_FlooredAtOneSecond")]
    [TestCase(new[] { "set reconnect 9 0" }, DaemonMode.Background, "UD", "exit0", TestName = "Reconnect_NoTries_BackgroundExits0")]
    [TestCase(new[] { "set reconnect 9 0" }, DaemonMode.Interactive, "UD", "stay", TestName = "Reconnect_NoTries_InteractiveStays")]
    [TestCase(new[] { "set reconnect 9 0" }, DaemonMode.Direct, "UD", "exit0", TestName = "Reconnect_Direct_Exits0")]
    [TestCase(new[] { "set reconnect 9 0" }, DaemonMode.DDial, "UDUDUD", "c9,c9,c9", TestName = "Reconnect_DDial_ForEver")]
    [TestCase(new[] { "set reconnect 9 1" }, DaemonMode.Dedicated, "UDUDUD", "c9,c9,c9", TestName = "Reconnect_Dedicated_ForEver")]
    [TestCase(new[] { "set reconnect 9 0" }, DaemonMode.Auto, "UD", "c9", TestName = "Reconnect_Auto_AsDDial")]
    [TestCase(new[] { "set reconnect 3 1", "set redial 10 2" }, DaemonMode.Background, "UDFF", "c3,r10,exit0", TestName = "Reconnect_DialFails_RedialAttemptsThenExit0")]
    [TestCase(new[] { "set reconnect 3 1", "set redial 10 2" }, DaemonMode.Interactive, "UDFF", "c3,r10,stay", TestName = "Reconnect_DialFails_RedialAttemptsThenStay")]
    public void Reconnect_Forms(string[] commands, DaemonMode mode, string steps, string expected) =>
        Assert.That(Run(mode, steps, commands), Is.EqualTo(expected));

    [Test]
    public void Reconnect_Random_OneToThirtyWholeSeconds()
    {
        var settings = SettingsLines.From("set reconnect random 2");
        var random = new SeededRandomSource(11);
        var seen = new HashSet<double>();
        for (int i = 0; i < 600; i++)
        {
            var decision = LinkPolicy.Decide(DaemonMode.DDial, PolicyEvent.LinkDropped(LinkEndCause.EchoTimeout), new PolicyCounters(EverUp: true),
                settings.Redial, settings.Reconnect, random);
            Assert.That(decision.Action, Is.EqualTo(PolicyAction.Reconnect));
            Assert.That(decision.Delay.TotalSeconds, Is.InRange(1, 30).And.EqualTo(Math.Floor(decision.Delay.TotalSeconds)));
            seen.Add(decision.Delay.TotalSeconds);
        }
        Assert.That(seen, Has.Count.EqualTo(30));
    }

    // ----- each mode: attempts used, closed by us, quit ----------------------------------------

    [TestCase(DaemonMode.Interactive, "F", "stay")]
    [TestCase(DaemonMode.Background, "F", "exit1")]
    [TestCase(DaemonMode.Foreground, "F", "exit1")]
    [TestCase(DaemonMode.Direct, "F", "exit1")]
    [TestCase(DaemonMode.DDial, "FFF", "r30,r30,r30")]
    [TestCase(DaemonMode.Dedicated, "FFF", "r30,r30,r30")]
    [TestCase(DaemonMode.Auto, "FFF", "r30,r30,r30")]
    public void AttemptsUsed_EachMode(DaemonMode mode, string steps, string expected) =>
        Assert.That(Run(mode, steps, []), Is.EqualTo(expected));

    [TestCase(DaemonMode.Background)]
    [TestCase(DaemonMode.Foreground)]
    public void AttemptsUsed_AfterTheLinkWasUpInThisRun_Exit0(DaemonMode mode) =>
        Assert.That(Run(mode, "UDF", ["set reconnect 3 1"]), Is.EqualTo("c3,exit0"));

    [TestCase(DaemonMode.Interactive, "C", "stay")]
    [TestCase(DaemonMode.Background, "C", "exit1")]
    [TestCase(DaemonMode.Background, "UC", "exit0")]
    [TestCase(DaemonMode.Foreground, "UC", "exit0")]
    [TestCase(DaemonMode.Direct, "C", "exit1")]
    [TestCase(DaemonMode.Direct, "UC", "exit0")]
    [TestCase(DaemonMode.DDial, "UC", "stay")]
    [TestCase(DaemonMode.Dedicated, "UC", "stay")]
    [TestCase(DaemonMode.Auto, "UC", "stay")]
    public void ClosedByUs_EachMode(DaemonMode mode, string steps, string expected) =>
        Assert.That(Run(mode, steps, ["set reconnect 3 5"]), Is.EqualTo(expected));

    [Test]
    public void Quit_EveryMode_Exit0([Values] DaemonMode mode, [Values("Q", "UQ", "FQ")] string steps) =>
        Assert.That(Run(mode, steps, ["set redial 5 0"]), Does.EndWith("exit0"));

    // ----- delays: jitter, reasons -------------------------------------------------------------

    [Test]
    public void Wait_Fixed_NeverShorterAtMostTenPercentLonger()
    {
        var random = new SeededRandomSource(42);
        var waits = Enumerable.Range(0, 1000).Select(_ => LinkPolicy.Wait(false, 30, random)).ToList();
        Assert.That(waits, Has.All.InRange(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(33)));
        Assert.That(waits.Distinct().Count(), Is.GreaterThan(100), "the jitter varies");
        Assert.That(LinkPolicy.Wait(false, 30, new ConstantRandomSource(0xff)), Is.InRange(TimeSpan.FromSeconds(32.99), TimeSpan.FromSeconds(33)));
    }

    [Test]
    public void Wait_Bounds_FloorAndCeiling()
    {
        Assert.That(LinkPolicy.Wait(false, 0, ConstantRandomSource.Zero), Is.EqualTo(LinkPolicy.Floor));
        Assert.That(LinkPolicy.Wait(false, -5, ConstantRandomSource.Zero), Is.EqualTo(LinkPolicy.Floor));
        Assert.That(LinkPolicy.Wait(false, long.MaxValue, ConstantRandomSource.Zero), Is.EqualTo(LinkPolicy.Ceiling));
    }

    [Test]
    public void Decide_Reasons_SayWhatAndWhen()
    {
        var s = SettingsLines.From("set redial 12.3 5", "set reconnect 4 2");
        var counters = new PolicyCounters(FailedDials: 2, AttemptsInRound: 2);
        var zero = ConstantRandomSource.Zero;
        Assert.That(LinkPolicy.Decide(DaemonMode.Background, PolicyEvent.DialFailed(LinkEndCause.ChatFailed), counters, s.Redial, s.Reconnect, zero).Reason,
            Is.EqualTo("the chat script failed: redial in 12 s (attempt 4 of 5)"));
        Assert.That(LinkPolicy.Decide(DaemonMode.Background, PolicyEvent.DialFailed(LinkEndCause.OpenFailed, true), counters, s.Redial, s.Reconnect, zero).Reason,
            Is.EqualTo("the device did not open: next number in 3 s (attempt 4 of 5)"));
        Assert.That(LinkPolicy.Decide(DaemonMode.Background, PolicyEvent.LinkDropped(LinkEndCause.PeerTerminated), new PolicyCounters(EverUp: true), s.Redial, s.Reconnect, zero).Reason,
            Is.EqualTo("the link dropped (the peer terminated the link): reconnect in 4 s (reconnect 1 of 2)"));
        Assert.That(LinkPolicy.Decide(DaemonMode.Background, PolicyEvent.DialFailed(LinkEndCause.AuthFailed), counters with { AttemptsInRound = 4 }, s.Redial, s.Reconnect, zero).Reason,
            Is.EqualTo("authentication failed: 5 dial attempts failed; ppp exits"));
        Assert.That(LinkPolicy.Decide(DaemonMode.DDial, PolicyEvent.DialFailed(LinkEndCause.LineError), counters, SettingsLines.From("set redial 12 0").Redial, s.Reconnect, zero).Reason,
            Is.EqualTo("the line failed: redial in 12 s (attempt 4)"));
    }

    [Test]
    public void Decide_Counters_FailedDialsCountAcrossRoundsAttemptsPerRound()
    {
        var s = SettingsLines.From("set redial 5 2");
        var counters = new PolicyCounters();
        for (int i = 0; i < 5; i++)
            counters = LinkPolicy.Decide(DaemonMode.DDial, PolicyEvent.DialFailed(LinkEndCause.OpenFailed), counters, s.Redial, s.Reconnect, ConstantRandomSource.Zero).Counters;
        Assert.That(counters, Is.EqualTo(new PolicyCounters(FailedDials: 5, AttemptsInRound: 1, FullPauses: 5)));
        Assert.That(counters.NetworkUp(), Is.EqualTo(new PolicyCounters(EverUp: true)));
        Assert.That((counters with { ReconnectsUsed = 2 }).NetworkUp().ReconnectsUsed, Is.EqualTo(2), "reconnects count per session, as ppp(8)");
        Assert.That(new PolicyCounters(3, 3, 3, 3, EverUp: true).NewSession(), Is.EqualTo(new PolicyCounters(EverUp: true)));
    }
}
