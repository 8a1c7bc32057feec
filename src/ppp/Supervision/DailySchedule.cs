namespace Ppp.Daemon.Supervision;

/// <summary>
/// <c>set resetat HH:MM</c>: when the next daily reset is due, as a pure function of the time
/// now and the local zone (the loop's <see cref="TimeProvider.LocalTimeZone"/>). Every local day
/// has exactly one instant, so a daylight-saving change neither skips nor repeats a day: a time
/// the spring change skips (02:30 when clocks go from 02:00 to 03:00) is due when the clock jumps
/// over it (03:00 new time); a time the autumn change repeats is due at its first occurrence only.
/// </summary>
internal static class DailySchedule
{
    /// <summary>Longest gap a zone's clock change leaves (in practice 30 min to 1 h), in minutes: a bound for the search.</summary>
    private const int MaxGapMinutes = 24 * 60;

    /// <summary>The first instant strictly after <paramref name="now"/> at which the local time is <paramref name="at"/>.</summary>
    public static DateTimeOffset Next(DateTimeOffset now, TimeOnly at, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (int day = -1; day <= 2; day++)
        {
            var instant = On(today.AddDays(day), at, zone);
            if (instant > now)
                return instant;
        }
        throw new InvalidOperationException("no daily instant within two days");
    }

    /// <summary>The one instant of <paramref name="day"/> (local) that stands for <paramref name="at"/>.</summary>
    public static DateTimeOffset On(DateOnly day, TimeOnly at, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(at, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Skipped by a spring change: the first local minute that exists, i.e. the jump.
            var truncated = local.AddSeconds(-local.Second).AddTicks(-(local.Ticks % TimeSpan.TicksPerSecond));
            for (int minute = 1; minute <= MaxGapMinutes && zone.IsInvalidTime(local); minute++)
                local = truncated.AddMinutes(minute);
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
