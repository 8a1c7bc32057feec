namespace Ppp.Chat;

/// <summary>
/// Picks the number for <c>\T</c> on each dial attempt from a <c>set phone</c> list, as ppp(8)
/// does. Groups are the ':'-separated parts, taken in turn whatever happened on the last
/// attempt; inside a group the '|'-separated alternatives are tried one after another, but only
/// while attempts fail: once dial and login succeed (<see cref="Connected"/>) the next attempt
/// moves on to the next group. After the last group the list starts over, and
/// <see cref="AtEndOfList"/> tells the daemon to wait its full redial period rather than the
/// shorter wait between numbers ("set redial secs ... next").
/// <example>With "1234567|2345678:3456789|4567890": 1234567; if that failed, 2345678; after
/// that (failed or not), 3456789; 4567890 only if 3456789 failed.</example>
/// </summary>
internal sealed class PhoneSchedule
{
    private readonly IReadOnlyList<IReadOnlyList<string>> _groups;
    private int _group = -1;
    private int _next;

    /// <param name="groups">BundleSettings.PhoneNumbers: groups in turn, each with its alternatives; groups are never empty.</param>
    public PhoneSchedule(IReadOnlyList<IReadOnlyList<string>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Any(g => g.Count == 0))
            throw new ArgumentException("a phone group has no number", nameof(groups));
        _groups = groups;
    }

    /// <summary>The number chosen by the last <see cref="Next"/>, or null before the first.</summary>
    public string? Current { get; private set; }

    /// <summary>
    /// True when the next <see cref="Next"/> starts the list over: the number just tried was the
    /// last alternative of the last group, or the last group connected.
    /// </summary>
    public bool AtEndOfList => _groups.Count == 0 || (_group == _groups.Count - 1 && _next >= _groups[_group].Count);

    /// <summary>The number for the coming dial attempt; "" when no number is set (<c>\T</c> expands to nothing).</summary>
    public string Next()
    {
        if (_groups.Count == 0)
            return Current = "";
        if (_group < 0 || _next >= _groups[_group].Count)
        {
            _group = (_group + 1) % _groups.Count;
            _next = 0;
        }
        return Current = _groups[_group][_next++];
    }

    /// <summary>The dial and login scripts succeeded: the alternatives left in this group are skipped.</summary>
    public void Connected()
    {
        if (_group >= 0)
            _next = _groups[_group].Count;
    }
}
