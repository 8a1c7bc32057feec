using System.Globalization;
using System.Net;

namespace Ppp.Core.Filters;

/// <summary>
/// The addresses the filter symbols stand for, as they are now: MYADDR and HISADDR from IPCP,
/// MYADDR6 and HISADDR6 from IPV6CP, DNS0 and DNS1 from IPCP's DNS. Null: not known yet, and a
/// condition on that symbol matches no packet until it is (ppp(8) would read 0.0.0.0 and match
/// every packet, which turns a deny rule written for the peer into a deny-all).
/// </summary>
public sealed record FilterAddresses(
    IPAddress? MyAddress = null,
    IPAddress? HisAddress = null,
    IPAddress? MyAddress6 = null,
    IPAddress? HisAddress6 = null,
    IPAddress? Dns0 = null,
    IPAddress? Dns1 = null)
{
    public static FilterAddresses None { get; } = new();
}

/// <summary>
/// One of the four filters: up to 40 rules by number, as <c>set filter</c> leaves them. Mutable
/// and owned by the command loop; <see cref="Compile"/> makes the immutable matcher the data
/// path reads, and is called again (cheaply) when the addresses the symbols stand for change.
/// </summary>
public sealed class PacketFilter
{
    private readonly FilterRule?[] _rules = new FilterRule?[FilterRuleParser.MaxRules];

    public PacketFilter(FilterName name) => Name = name;

    public FilterName Name { get; }

    /// <summary>The rule at each number, null where none is set.</summary>
    public IReadOnlyList<FilterRule?> Rules => _rules;

    /// <summary>No rule 0: ppp(8) then lets every packet through, whatever the later rules say.</summary>
    public bool PassesEverything => _rules[0] is null;

    public bool IsEmpty => Array.TrueForAll(_rules, r => r is null);

    /// <summary>Sets (or, with null, clears) one rule.</summary>
    public void Set(int ruleNumber, FilterRule? rule)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ruleNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ruleNumber, FilterRuleParser.MaxRules);
        if (rule is { Action: FilterActionKind.Jump } && rule.JumpTarget <= ruleNumber)
            throw new ArgumentException($"rule {ruleNumber} jumps backwards to {rule.JumpTarget}", nameof(rule));
        _rules[ruleNumber] = rule;
    }

    public void Clear() => Array.Clear(_rules);

    /// <summary>The matcher for these rules with the symbols bound to <paramref name="addresses"/>.</summary>
    public FilterMatcher Compile(FilterAddresses addresses) => FilterMatcher.Create(Name, _rules, addresses);

    internal void CopyFrom(PacketFilter other) => other._rules.CopyTo(_rules, 0);

    /// <summary>ppp(8)'s <c>show filter name</c>: each rule that is set, by number.</summary>
    public void Write(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"{FilterRuleParser.FilterNames[(int)Name]}:");
        if (IsEmpty)
        {
            output.WriteLine("  no rules: every packet passes");
            return;
        }
        if (PassesEverything)
            output.WriteLine("  no rule 0: every packet passes until rule 0 is set");
        for (int n = 0; n < _rules.Length; n++)
        {
            if (_rules[n] is { } rule)
                output.WriteLine($"  {n.ToString(CultureInfo.InvariantCulture),2} {rule.Format()}");
        }
    }
}

/// <summary>The in, out, dial and alive filters of one bundle.</summary>
public sealed class FilterSet
{
    private readonly PacketFilter[] _filters = [new(FilterName.In), new(FilterName.Out), new(FilterName.Dial), new(FilterName.Alive)];

    public PacketFilter this[FilterName name] => _filters[(int)name];

    public IReadOnlyList<PacketFilter> All => _filters;

    /// <summary>Carries out one parsed <c>set filter</c>.</summary>
    public void Apply(FilterChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var filter = this[change.Filter];
        if (change.RuleNumber < 0)
            filter.Clear();
        else
            filter.Set(change.RuleNumber, change.Rule);
    }

    public FilterSet Clone()
    {
        var copy = new FilterSet();
        for (int i = 0; i < _filters.Length; i++)
            copy._filters[i].CopyFrom(_filters[i]);
        return copy;
    }
}
