using System.Buffers.Binary;
using System.Globalization;
using Ppp.Core.Config;
using Ppp.Core.Link;
using Ppp.Daemon.Daemon;

namespace Ppp.Daemon.Supervision;

/// <summary>
/// What ppp does after a dial attempt fails or a connection ends, in each mode: ppp(8)'s
/// datalink rules for <c>set redial</c> and <c>set reconnect</c>, as one pure function. No
/// clock, no I/O: <see cref="LinkSupervisor"/> carries the decision out on the loop's timer.
/// <list type="bullet">
/// <item>A failed dial waits <c>.next</c> while the phone list has numbers left in this round,
/// else the full pause <c>secs + inc × n</c> (n = full pauses already taken, at most
/// <c>max</c>); after <c>attempts</c> failures (0: never) -interactive goes back to the prompt,
/// -background/-foreground exit, -ddial, -dedicated and -auto start a new round.</item>
/// <item>A link that was up and dropped reconnects after <c>set reconnect</c>'s timeout while
/// tries are left (always in -ddial, -dedicated, -auto), else as attempts running out.</item>
/// <item>-direct ends with its link: 0 if the network came up, 1 if not.</item>
/// <item>close/down/idle: -interactive, -ddial, -dedicated and -auto stay down until
/// <c>dial</c>/<c>open</c>; -direct, -background and -foreground exit. quit: exit 0.</item>
/// <item>Waits: never shorter than <see cref="Floor"/> nor longer than <see cref="Ceiling"/>;
/// a fixed wait gets up to <see cref="JitterFraction"/> more (never less) so that two ends
/// that failed together do not redial together; "random" is 1 to 30 s as ppp(8).</item>
/// </list>
/// </summary>
internal static class LinkPolicy
{
    /// <summary>The shortest wait, even with <c>set redial 0</c>: a device that fails at once must not spin.</summary>
    public static readonly TimeSpan Floor = TimeSpan.FromSeconds(1);

    /// <summary>The longest configured wait (secs + inc × max is capped here, before jitter).</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(86400);

    /// <summary>A fixed wait is lengthened by a random 0 to 10 % of itself.</summary>
    public const double JitterFraction = 0.10;

    /// <summary>ppp(8)'s "random": 1 to 30 s inclusive.</summary>
    public const int RandomMinSeconds = 1;

    public const int RandomMaxSeconds = 30;

    /// <summary>Modes that never give up on the link: -ddial, -dedicated, and for now -auto.</summary>
    public static bool IsPersistent(DaemonMode mode) => mode is DaemonMode.DDial or DaemonMode.Dedicated or DaemonMode.Auto;

    public static PolicyDecision Decide(DaemonMode mode, PolicyEvent ev, PolicyCounters counters, RedialSettings redial,
        ReconnectSettings reconnect, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(redial);
        ArgumentNullException.ThrowIfNull(reconnect);
        ArgumentNullException.ThrowIfNull(random);
        return ev.Kind switch
        {
            PolicyEventKind.Quit => PolicyDecision.Finish(0, counters, "quit: ppp exits"),
            PolicyEventKind.ClosedByUs => ClosedByUs(mode, ev.Cause, counters),
            PolicyEventKind.LinkDropped => LinkDropped(mode, ev.Cause, counters, reconnect, random),
            PolicyEventKind.DialFailed => DialFailed(mode, ev, counters, redial, random),
            _ => throw new ArgumentOutOfRangeException(nameof(ev), ev.Kind, "unknown policy event"),
        };
    }

    private static PolicyDecision ClosedByUs(DaemonMode mode, LinkEndCause cause, PolicyCounters counters)
    {
        string what = Describe(cause);
        return mode is DaemonMode.Direct or DaemonMode.Background or DaemonMode.Foreground
            ? PolicyDecision.Finish(counters.EverUp ? 0 : 1, counters, $"{what}: ppp exits")
            : PolicyDecision.Stay(counters, $"{what}: no redial until dial or open");
    }

    private static PolicyDecision LinkDropped(DaemonMode mode, LinkEndCause cause, PolicyCounters counters, ReconnectSettings reconnect,
        IRandomSource random)
    {
        string what = $"the link dropped ({Describe(cause)})";
        if (mode == DaemonMode.Direct)
            return PolicyDecision.Finish(0, counters, $"{what}: -direct exits");
        bool persistent = IsPersistent(mode);
        if (persistent || counters.ReconnectsUsed < reconnect.Tries)
        {
            var next = counters with { ReconnectsUsed = counters.ReconnectsUsed + 1 };
            var delay = Wait(reconnect.Random, reconnect.Seconds, random);
            string count = persistent ? "" : string.Create(CultureInfo.InvariantCulture, $" (reconnect {next.ReconnectsUsed} of {reconnect.Tries})");
            return PolicyDecision.Reconnect(delay, next, $"{what}: reconnect in {Seconds(delay)}{count}");
        }
        string none = reconnect.Tries == 0
            ? "set reconnect allows none"
            : string.Create(CultureInfo.InvariantCulture, $"all {reconnect.Tries} reconnects used");
        return mode == DaemonMode.Interactive
            ? PolicyDecision.Stay(counters, $"{what}: {none}")
            : PolicyDecision.Finish(counters.EverUp ? 0 : 1, counters, $"{what}: {none}; ppp exits");
    }

    private static PolicyDecision DialFailed(DaemonMode mode, PolicyEvent ev, PolicyCounters counters, RedialSettings redial, IRandomSource random)
    {
        var next = counters with { FailedDials = counters.FailedDials + 1, AttemptsInRound = counters.AttemptsInRound + 1 };
        string what = Describe(ev.Cause);
        if (mode == DaemonMode.Direct)
            return PolicyDecision.Finish(1, next, $"{what}: -direct exits");
        bool exhausted = redial.Attempts > 0 && next.AttemptsInRound >= redial.Attempts;
        if (exhausted)
        {
            string used = string.Create(CultureInfo.InvariantCulture, $"{what}: {redial.Attempts} dial attempt{(redial.Attempts == 1 ? "" : "s")} failed");
            if (mode == DaemonMode.Interactive)
                return PolicyDecision.Stay(next, used);
            if (!IsPersistent(mode))
                return PolicyDecision.Finish(next.EverUp ? 0 : 1, next, $"{used}; ppp exits");
            // -ddial and -dedicated never give up: a new round of attempts after the full pause.
            next = next with { AttemptsInRound = 0 };
        }
        else if (ev.MorePhoneNumbers)
        {
            var nextNumber = Wait(redial.RandomNext, redial.NextSeconds, random);
            return PolicyDecision.Redial(nextNumber, DialReason.NextNumber, next,
                $"{what}: next number in {Seconds(nextNumber)} ({Attempt(next, redial)})");
        }
        long seconds = redial.Seconds + ((long)redial.Increment * Math.Min(counters.FullPauses, redial.MaxIncrements));
        var delay = Wait(redial.RandomSeconds, seconds, random);
        next = next with { FullPauses = next.FullPauses + 1 };
        return PolicyDecision.Redial(delay, DialReason.Redial, next, $"{what}: redial in {Seconds(delay)} ({Attempt(next, redial)})");
    }

    /// <summary>"attempt 3 of 5" for the coming attempt, or "attempt 3" when attempts are unlimited.</summary>
    private static string Attempt(PolicyCounters next, RedialSettings redial) =>
        redial.Attempts > 0
            ? string.Create(CultureInfo.InvariantCulture, $"attempt {next.AttemptsInRound + 1} of {redial.Attempts}")
            : string.Create(CultureInfo.InvariantCulture, $"attempt {next.AttemptsInRound + 1}");

    /// <summary>A configured wait: random 1-30 s, or fixed, floored, capped and lengthened by jitter.</summary>
    public static TimeSpan Wait(bool isRandom, long seconds, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (isRandom)
            return TimeSpan.FromSeconds(RandomMinSeconds + (int)(NextUInt32(random) % (RandomMaxSeconds - RandomMinSeconds + 1)));
        var wait = TimeSpan.FromSeconds(Math.Clamp(seconds, (long)Floor.TotalSeconds, (long)Ceiling.TotalSeconds));
        double fraction = NextUInt32(random) / 4294967296.0;
        return wait + TimeSpan.FromMilliseconds(Math.Floor(wait.TotalMilliseconds * JitterFraction * fraction));
    }

    /// <summary>
    /// For logs and status, rounded up: tenths below 10 s ("1.1 s": a jittered 1 s wait must
    /// not read as 2 s), whole seconds above ("12 s").
    /// </summary>
    public static string Seconds(TimeSpan delay)
    {
        double seconds = Math.Max(0, delay.TotalSeconds);
        return seconds < 10
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(seconds * 10) / 10:0.#} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Ceiling(seconds)} s");
    }

    public static string Describe(LinkEndCause cause) => cause switch
    {
        LinkEndCause.OpenFailed => "the device did not open",
        LinkEndCause.ChatFailed => "the chat script failed",
        LinkEndCause.NegotiationFailed => "negotiation failed",
        LinkEndCause.AuthFailed => "authentication failed",
        LinkEndCause.CarrierLost => "carrier lost",
        LinkEndCause.LineError => "the line failed",
        LinkEndCause.EchoTimeout => "no answer to LCP echo",
        LinkEndCause.PeerTerminated => "the peer terminated the link",
        LinkEndCause.IdleTimeout => "idle timeout",
        LinkEndCause.Closed => "closed",
        LinkEndCause.Quit => "quit",
        LinkEndCause.Scheduled => "the daily reset (set resetat)",
        _ => cause.ToString(),
    };

    private static uint NextUInt32(IRandomSource random)
    {
        Span<byte> bytes = stackalloc byte[4];
        random.Fill(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }
}
