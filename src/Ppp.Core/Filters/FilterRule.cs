using System.Globalization;
using System.Net;
using System.Text;

namespace Ppp.Core.Filters;

/// <summary>ppp(8)'s four filters: what may enter, leave, bring the link up and keep it up.</summary>
public enum FilterName
{
    In,
    Out,
    Dial,
    Alive,
}

/// <summary>What a rule does when it matches: permit, deny, or go on at a later rule.</summary>
public enum FilterActionKind
{
    Permit,
    Deny,
    Jump,
}

/// <summary>lt, eq or gt against a port (or, for ICMP and ICMPv6, the message type).</summary>
public enum PortOperator
{
    None,
    Lt,
    Eq,
    Gt,
}

/// <summary>A literal address, or one of the names bound to the link's current addresses.</summary>
public enum FilterAddressKind
{
    /// <summary>No condition (<c>any</c>, or the address left out).</summary>
    Any,
    Literal,
    MyAddr,
    HisAddr,
    MyAddr6,
    HisAddr6,
    Dns0,
    Dns1,
}

/// <summary>
/// One address condition as written: a literal or a symbol, with its prefix width. A literal
/// 0.0.0.0 or :: without a width is the whole family (as ppp(8) reads 0.0.0.0).
/// </summary>
public sealed record FilterAddress(FilterAddressKind Kind, IPAddress? Literal, int Width)
{
    public static FilterAddress Any { get; } = new(FilterAddressKind.Any, null, 0);

    /// <summary>True for the symbols and literals of IPv6 (width up to 128).</summary>
    public bool IsIpv6 => Kind is FilterAddressKind.MyAddr6 or FilterAddressKind.HisAddr6
        || (Kind == FilterAddressKind.Literal && Literal!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);

    public int MaxWidth => IsIpv6 ? 128 : 32;

    /// <summary>The width an address written without one gets: none for 0.0.0.0 and ::, else all of it.</summary>
    public int DefaultWidth => Literal is { } literal && (literal.Equals(IPAddress.Any) || literal.Equals(IPAddress.IPv6Any)) ? 0 : MaxWidth;

    public override string ToString()
    {
        string name = Kind switch
        {
            FilterAddressKind.Any => "any",
            FilterAddressKind.Literal => Literal!.ToString(),
            FilterAddressKind.MyAddr => "MYADDR",
            FilterAddressKind.HisAddr => "HISADDR",
            FilterAddressKind.MyAddr6 => "MYADDR6",
            FilterAddressKind.HisAddr6 => "HISADDR6",
            FilterAddressKind.Dns0 => "DNS0",
            _ => "DNS1",
        };
        return Kind == FilterAddressKind.Any || Width == DefaultWidth ? name : $"{name}/{Width.ToString(CultureInfo.InvariantCulture)}";
    }
}

/// <summary>
/// One parsed <c>set filter</c> rule (without its filter name and number). Immutable: the
/// filter keeps rules, and <see cref="PacketFilter.Compile"/> turns them into a matcher.
/// </summary>
public sealed record FilterRule
{
    public required FilterActionKind Action { get; init; }

    /// <summary>The rule to go on at, for <see cref="FilterActionKind.Jump"/>; always later than this one.</summary>
    public int JumpTarget { get; init; }

    /// <summary><c>!</c>: the rule acts when the conditions do not hold.</summary>
    public bool Invert { get; init; }

    public FilterAddress Source { get; init; } = FilterAddress.Any;

    public FilterAddress Destination { get; init; } = FilterAddress.Any;

    /// <summary>The IP protocol number, 0 for any (no protocol named, or <c>any</c>).</summary>
    public byte Protocol { get; init; }

    public PortOperator SourceOperator { get; init; }

    /// <summary>Source port, or the ICMP/ICMPv6 type.</summary>
    public ushort SourcePort { get; init; }

    public PortOperator DestinationOperator { get; init; }

    public ushort DestinationPort { get; init; }

    /// <summary>TCP: ACK set.</summary>
    public bool Established { get; init; }

    /// <summary>TCP: SYN set.</summary>
    public bool Syn { get; init; }

    /// <summary>TCP: FIN or RST set.</summary>
    public bool FinRst { get; init; }

    /// <summary><c>timeout secs</c>: the idle time a permitted packet asks for (0: none given).</summary>
    public uint Timeout { get; init; }

    /// <summary>The rule as <c>show filter</c> prints it (after the rule number), parseable again.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Action switch
        {
            FilterActionKind.Permit => "permit",
            FilterActionKind.Deny => "deny",
            _ => JumpTarget.ToString(CultureInfo.InvariantCulture),
        });
        if (Invert)
            text.Append(" !");
        text.Append(' ').Append(Source).Append(' ').Append(Destination);
        if (Protocol != 0)
        {
            text.Append(' ').Append(FilterRuleParser.ProtocolName(Protocol));
            if (SourceOperator != PortOperator.None)
                text.Append(CultureInfo.InvariantCulture, $" src {OperatorName(SourceOperator)} {SourcePort}");
            if (DestinationOperator != PortOperator.None)
                text.Append(CultureInfo.InvariantCulture, $" dst {OperatorName(DestinationOperator)} {DestinationPort}");
            if (Established)
                text.Append(" estab");
            if (Syn)
                text.Append(" syn");
            if (FinRst)
                text.Append(" finrst");
        }
        if (Timeout != 0)
            text.Append(CultureInfo.InvariantCulture, $" timeout {Timeout}");
        return text.ToString();
    }

    private static string OperatorName(PortOperator op) => op switch
    {
        PortOperator.Lt => "lt",
        PortOperator.Eq => "eq",
        _ => "gt",
    };
}
