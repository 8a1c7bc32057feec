namespace Ppp.Daemon.Supervision;

/// <summary>What kind of thing happened, as the policy sees it.</summary>
internal enum PolicyEventKind
{
    /// <summary>An attempt failed before the network phase: the device did not open, a chat script failed, LCP or authentication never got through.</summary>
    DialFailed,

    /// <summary>A link that had reached the network phase ended without our asking.</summary>
    LinkDropped,

    /// <summary>We ended it: <c>close</c>, <c>down</c>, the idle timer.</summary>
    ClosedByUs,

    /// <summary><c>quit</c> or a signal.</summary>
    Quit,
}

/// <summary>
/// One input of <see cref="LinkPolicy.Decide"/>. <see cref="MorePhoneNumbers"/> matters only for
/// <see cref="PolicyEventKind.DialFailed"/>: the attempt used a number of a <c>set phone</c> list
/// and numbers are left in this round, so the shorter <c>.next</c> wait applies.
/// </summary>
internal readonly record struct PolicyEvent(PolicyEventKind Kind, LinkEndCause Cause, bool MorePhoneNumbers = false)
{
    public static PolicyEvent DialFailed(LinkEndCause cause, bool morePhoneNumbers = false) => new(PolicyEventKind.DialFailed, cause, morePhoneNumbers);

    public static PolicyEvent LinkDropped(LinkEndCause cause) => new(PolicyEventKind.LinkDropped, cause);

    public static PolicyEvent ClosedByUs(LinkEndCause cause = LinkEndCause.Closed) => new(PolicyEventKind.ClosedByUs, cause);

    public static PolicyEvent Quit() => new(PolicyEventKind.Quit, LinkEndCause.Quit);
}
