using System.Globalization;
using System.Net;

namespace Ppp.Core.Filters;

/// <summary>What one <c>set filter</c> line asks for.</summary>
/// <param name="Filter">The filter named.</param>
/// <param name="RuleNumber">0-39, or -1 when the whole filter is cleared.</param>
/// <param name="Rule">The new rule; null clears <paramref name="RuleNumber"/> (or, with -1, every rule).</param>
public sealed record FilterChange(FilterName Filter, int RuleNumber, FilterRule? Rule);

/// <summary>
/// Parses ppp(8)'s rule language:
/// <code>
///   name rule-no permit|deny|clear|rule-no [!] [src_addr[/width] [dst_addr[/width]]]
///        [proto [src lt|eq|gt port] [dst lt|eq|gt port] [estab] [syn] [finrst]] [timeout secs]
///   name -1
/// </code>
/// An address is a literal (IPv4 or IPv6), MYADDR, HISADDR, MYADDR6, HISADDR6, DNS0, DNS1 or
/// <c>any</c>; a protocol is tcp, udp, icmp, icmp6, igmp, ipip, ospf, gre or <c>any</c>. ICMP and
/// ICMPv6 take <c>src lt|eq|gt type</c>. Every error names the word it stopped at.
/// </summary>
public static class FilterRuleParser
{
    public const int MaxRules = 40;

    private static readonly (string Name, byte Number)[] Protocols =
    [
        ("icmp", 1), ("igmp", 2), ("ipip", 4), ("tcp", 6), ("udp", 17), ("gre", 47), ("icmp6", 58), ("ospf", 89),
    ];

    // ppp(8) reads /etc/services; the core does no I/O, so it knows the common names itself.
    private static readonly Dictionary<string, ushort> Services = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ftp-data"] = 20, ["ftp"] = 21, ["ssh"] = 22, ["telnet"] = 23, ["smtp"] = 25, ["domain"] = 53,
        ["bootps"] = 67, ["bootpc"] = 68, ["tftp"] = 69, ["http"] = 80, ["www"] = 80, ["pop3"] = 110,
        ["sunrpc"] = 111, ["ntp"] = 123, ["imap"] = 143, ["snmp"] = 161, ["bgp"] = 179, ["ldap"] = 389,
        ["https"] = 443, ["syslog"] = 514, ["submission"] = 587, ["imaps"] = 993, ["pop3s"] = 995,
    };

    /// <summary>The names <c>set filter</c> takes, in ppp(8)'s order.</summary>
    public static IReadOnlyList<string> FilterNames { get; } = ["in", "out", "dial", "alive"];

    public static string ProtocolName(byte number)
    {
        foreach (var (name, n) in Protocols)
        {
            if (n == number)
                return name;
        }
        return number.ToString(CultureInfo.InvariantCulture);
    }

    public static (FilterName Name, string? Error) ParseName(string word)
    {
        for (int i = 0; i < FilterNames.Count; i++)
        {
            if (FilterNames[i].Equals(word, StringComparison.OrdinalIgnoreCase))
                return ((FilterName)i, null);
        }
        return (default, $"\"{word}\" is not a filter (in, out, dial or alive)");
    }

    /// <summary>Parses the words after <c>set filter</c>; the error, if any, names the offending word.</summary>
    public static (FilterChange? Change, string? Error) Parse(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count < 2)
            return (null, "a filter name and a rule number are expected");
        var (name, nameError) = ParseName(words[0]);
        if (nameError is not null)
            return (null, nameError);
        if (words[1] == "-1")
        {
            return words.Count == 2
                ? (new FilterChange(name, -1, null), null)
                : (null, $"\"{words[2]}\": nothing may follow -1 (which clears the filter)");
        }
        if (!TryNumber(words[1], MaxRules - 1, out int ruleNumber))
            return (null, $"\"{words[1]}\" is not a rule number (0 to {MaxRules - 1}, or -1 to clear the filter)");
        if (words.Count == 2)
            return (null, $"rule {ruleNumber}: an action is expected (permit, deny, clear or a later rule number)");

        var reader = new Words(words, 2);
        string actionWord = reader.Next()!;
        var rule = new FilterRule { Action = FilterActionKind.Permit };
        if (actionWord.Equals("clear", StringComparison.OrdinalIgnoreCase))
        {
            return reader.Peek() is { } extra
                ? (null, $"\"{extra}\": nothing may follow clear")
                : (new FilterChange(name, ruleNumber, null), null);
        }
        if (actionWord.Equals("permit", StringComparison.OrdinalIgnoreCase))
        {
            rule = rule with { Action = FilterActionKind.Permit };
        }
        else if (actionWord.Equals("deny", StringComparison.OrdinalIgnoreCase))
        {
            rule = rule with { Action = FilterActionKind.Deny };
        }
        else if (TryNumber(actionWord, MaxRules - 1, out int target))
        {
            if (target <= ruleNumber)
                return (null, $"\"{actionWord}\": rule {ruleNumber} can only jump forward (to {ruleNumber + 1} or later)");
            rule = rule with { Action = FilterActionKind.Jump, JumpTarget = target };
        }
        else
        {
            return (null, $"\"{actionWord}\" is not an action (permit, deny, clear or a rule number from {ruleNumber + 1} to {MaxRules - 1})");
        }

        if (reader.Peek() == "!")
        {
            reader.Next();
            rule = rule with { Invert = true };
        }

        // The timeout comes last, whatever precedes it (as ppp(8) reads it).
        int end = words.Count;
        if (end - reader.Index >= 2 && words[end - 2].Equals("timeout", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryNumber(words[end - 1], int.MaxValue, out int seconds))
                return (null, $"\"{words[end - 1]}\" is not a number of seconds for timeout");
            rule = rule with { Timeout = (uint)seconds };
            reader = reader with { End = end - 2 };
        }

        // [src [dst]] [proto]: a protocol name ends the addresses.
        // "any" in an address slot is the address; as the protocol it means the same: no condition.
        for (int slot = 0; slot < 2 && reader.Peek() is { } word && (IsAny(word) || !IsProtocol(word, out _)); slot++)
        {
            var (address, error) = ParseAddress(word);
            if (error is not null)
                return (null, error);
            reader.Next();
            rule = slot == 0 ? rule with { Source = address! } : rule with { Destination = address! };
        }
        if (reader.Peek() is not { } protoWord)
            return (new FilterChange(name, ruleNumber, rule), null);
        if (!IsProtocol(protoWord, out byte protocol))
            return (null, $"\"{protoWord}\" is not a protocol (tcp, udp, icmp, icmp6, igmp, ipip, ospf, gre or any)");
        reader.Next();
        rule = rule with { Protocol = protocol };

        var (withPorts, portError) = ParseProtocolOptions(rule, ref reader);
        if (portError is not null)
            return (null, portError);
        if (reader.Peek() is { } trailing)
        {
            return (null, words.Skip(reader.Index).Contains("timeout", StringComparer.OrdinalIgnoreCase)
                ? $"\"{trailing}\": timeout must be the last two words"
                : $"\"{trailing}\" is not expected after {protoWord}{ProtocolSyntax(protocol)}");
        }
        return (new FilterChange(name, ruleNumber, withPorts), null);
    }

    private static (FilterRule Rule, string? Error) ParseProtocolOptions(FilterRule rule, ref Words reader)
    {
        byte protocol = rule.Protocol;
        bool ports = protocol is 6 or 17;
        bool icmp = protocol is 1 or 58;
        if (!ports && !icmp)
            return (rule, null);
        if (reader.Peek() is { } srcWord && srcWord.Equals("src", StringComparison.OrdinalIgnoreCase))
        {
            reader.Next();
            var (op, value, error) = ParseComparison("src", ref reader, icmp ? 255 : 65535, icmp);
            if (error is not null)
                return (rule, error);
            rule = rule with { SourceOperator = op, SourcePort = value };
        }
        if (ports && reader.Peek() is { } dstWord && dstWord.Equals("dst", StringComparison.OrdinalIgnoreCase))
        {
            reader.Next();
            var (op, value, error) = ParseComparison("dst", ref reader, 65535, false);
            if (error is not null)
                return (rule, error);
            rule = rule with { DestinationOperator = op, DestinationPort = value };
        }
        if (protocol == 6)
        {
            while (reader.Peek() is { } flag)
            {
                if (flag.Equals("estab", StringComparison.OrdinalIgnoreCase))
                    rule = rule with { Established = true };
                else if (flag.Equals("syn", StringComparison.OrdinalIgnoreCase))
                    rule = rule with { Syn = true };
                else if (flag.Equals("finrst", StringComparison.OrdinalIgnoreCase))
                    rule = rule with { FinRst = true };
                else
                    break;
                reader.Next();
            }
        }
        return (rule, null);
    }

    private static (PortOperator Op, ushort Value, string? Error) ParseComparison(string side, ref Words reader, int max, bool icmpType)
    {
        string what = icmpType ? "an ICMP type" : "a port";
        if (reader.Next() is not { } opWord)
            return (PortOperator.None, 0, $"{side}: lt, eq or gt is expected");
        PortOperator op = opWord.ToUpperInvariant() switch
        {
            "LT" => PortOperator.Lt,
            "EQ" => PortOperator.Eq,
            "GT" => PortOperator.Gt,
            _ => PortOperator.None,
        };
        if (op == PortOperator.None)
            return (op, 0, $"\"{opWord}\" is not lt, eq or gt");
        if (reader.Next() is not { } valueWord)
            return (op, 0, $"{side} {opWord}: {what} is expected");
        if (TryNumber(valueWord, max, out int value))
            return (op, (ushort)value, null);
        if (!icmpType && Services.TryGetValue(valueWord, out ushort port))
            return (op, port, null);
        return (op, 0, icmpType
            ? $"\"{valueWord}\" is not an ICMP type (0 to 255)"
            : $"\"{valueWord}\" is not a port (0 to 65535 or a service name such as http)");
    }

    private static string ProtocolSyntax(byte protocol) => protocol switch
    {
        6 => " [src lt|eq|gt port] [dst lt|eq|gt port] [estab] [syn] [finrst]",
        17 => " [src lt|eq|gt port] [dst lt|eq|gt port]",
        1 or 58 => " [src lt|eq|gt type]",
        _ => "",
    };

    private static bool IsAny(string word) => word.Equals("any", StringComparison.OrdinalIgnoreCase);

    private static bool IsProtocol(string word, out byte number)
    {
        number = 0;
        if (word.Equals("any", StringComparison.OrdinalIgnoreCase))
            return true;
        foreach (var (name, n) in Protocols)
        {
            if (name.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                number = n;
                return true;
            }
        }
        return false;
    }

    /// <summary>An address with an optional /width: a literal, a symbol, or <c>any</c>.</summary>
    public static (FilterAddress? Address, string? Error) ParseAddress(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Equals("any", StringComparison.OrdinalIgnoreCase))
            return (FilterAddress.Any, null);
        int slash = word.IndexOf('/', StringComparison.Ordinal);
        string head = slash < 0 ? word : word[..slash];
        FilterAddressKind kind = head.ToUpperInvariant() switch
        {
            "MYADDR" => FilterAddressKind.MyAddr,
            "HISADDR" => FilterAddressKind.HisAddr,
            "MYADDR6" => FilterAddressKind.MyAddr6,
            "HISADDR6" => FilterAddressKind.HisAddr6,
            "DNS0" => FilterAddressKind.Dns0,
            "DNS1" => FilterAddressKind.Dns1,
            _ => FilterAddressKind.Literal,
        };
        IPAddress? literal = null;
        if (kind == FilterAddressKind.Literal)
        {
            literal = Commands.ArgParse.Address(head);
            if (literal is null)
            {
                return (null, $"\"{word}\" is not an address (a.b.c.d, an IPv6 address, MYADDR, HISADDR, MYADDR6, HISADDR6, DNS0, DNS1 or any)"
                    + " and not a protocol (tcp, udp, icmp, icmp6, igmp, ipip, ospf, gre or any)");
            }
            if (literal.IsIPv4MappedToIPv6)
                literal = literal.MapToIPv4();
        }
        var address = new FilterAddress(kind, literal, 0);
        int max = address.MaxWidth;
        int width;
        if (slash >= 0)
        {
            if (!TryNumber(word[(slash + 1)..], max, out width))
                return (null, $"\"{word}\": the width after / must be 0 to {max}");
        }
        else
        {
            width = address.DefaultWidth;
        }
        return (address with { Width = width }, null);
    }

    private static bool TryNumber(string word, int max, out int value)
    {
        value = 0;
        return word.Length is > 0 and <= 10 && word.All(char.IsAsciiDigit)
            && int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
    }

    /// <summary>A cursor over the words, stopping at <see cref="End"/> (before a trailing timeout).</summary>
    private record struct Words(IReadOnlyList<string> All, int Index)
    {
        public int End { get; init; } = All.Count;

        public readonly string? Peek() => Index < End ? All[Index] : null;

        public string? Next() => Index < End ? All[Index++] : null;
    }
}
