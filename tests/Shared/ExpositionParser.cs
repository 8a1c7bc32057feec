using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ppp.Tests.Shared;

/// <summary>One sample of the Prometheus text format: name, labels in order, value.</summary>
internal sealed record ExpositionSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public string Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value
        ?? throw new KeyNotFoundException($"{Name} has no label {name}");
}

/// <summary>One metric family: its HELP, its TYPE and its samples.</summary>
internal sealed record ExpositionFamily(string Name, string Help, string Type, List<ExpositionSample> Samples);

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, written from its rules:
/// lines end in LF; <c># HELP name text</c> and <c># TYPE name type</c> at most once per family,
/// the TYPE before the family's first sample; a family's samples in one group; metric names
/// <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, label names <c>[a-zA-Z_][a-zA-Z0-9_]*</c> and not starting
/// with <c>__</c>; label values quoted with only <c>\\</c>, <c>\"</c> and <c>\n</c> escapes;
/// a value a Go float parser reads (NaN, +Inf, -Inf included); no two samples with the same
/// name and label set. Anything else throws <see cref="FormatException"/> naming the line,
/// so a test can check the format without promtool.
/// </summary>
internal static partial class ExpositionParser
{
    private static readonly string[] s_types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyList<ExpositionFamily> Parse(string text)
    {
        var families = new List<ExpositionFamily>();
        var byName = new Dictionary<string, ExpositionFamily>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        ExpositionFamily? current = null;
        if (text.Length > 0 && !text.EndsWith('\n'))
            throw new FormatException("the last line does not end in a line feed");
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length - 1; n++)
        {
            string line = lines[n];
            string where = $"line {n + 1} \"{line}\"";
            if (line.Contains('\r', StringComparison.Ordinal))
                throw new FormatException($"{where}: carriage return (lines end in LF only)");
            if (line.Length == 0)
                continue;
            if (line.StartsWith('#'))
            {
                var comment = CommentRegex().Match(line);
                if (!comment.Success)
                    continue; // any other comment is allowed and means nothing
                string kind = comment.Groups[1].Value, name = comment.Groups[2].Value, rest = comment.Groups[3].Value;
                if (!MetricNameRegex().IsMatch(name))
                    throw new FormatException($"{where}: bad metric name");
                if (kind == "HELP")
                {
                    if (!helps.TryAdd(name, UnescapeHelp(rest, where)))
                        throw new FormatException($"{where}: second HELP for {name}");
                    continue;
                }
                if (!s_types.Contains(rest))
                    throw new FormatException($"{where}: unknown type {rest}");
                if (byName.ContainsKey(name))
                    throw new FormatException($"{where}: second TYPE for {name} (or TYPE after its samples)");
                current = new ExpositionFamily(name, "", rest, []);
                byName.Add(name, current);
                families.Add(current);
                continue;
            }
            var sample = ParseSample(line, where);
            string family = sample.Name;
            if (current is null || current.Name != family)
            {
                if (byName.ContainsKey(family))
                    throw new FormatException($"{where}: samples of {family} are not in one group");
                current = new ExpositionFamily(family, "", "untyped", []);
                byName.Add(family, current);
                families.Add(current);
            }
            string key = family + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!series.Add(key))
                throw new FormatException($"{where}: duplicate series {key}");
            current.Samples.Add(sample);
        }
        return [.. families.Select(f => f with { Help = helps.GetValueOrDefault(f.Name, "") })];
    }

    private static ExpositionSample ParseSample(string line, string where)
    {
        int at = 0;
        while (at < line.Length && line[at] is not ('{' or ' '))
            at++;
        string name = line[..at];
        if (!MetricNameRegex().IsMatch(name))
            throw new FormatException($"{where}: bad metric name \"{name}\"");
        var labels = new List<KeyValuePair<string, string>>();
        if (at < line.Length && line[at] == '{')
        {
            at++;
            while (true)
            {
                if (at < line.Length && line[at] == '}')
                {
                    at++;
                    break;
                }
                int eq = line.IndexOf('=', at);
                if (eq < 0)
                    throw new FormatException($"{where}: label without '='");
                string label = line[at..eq];
                if (!LabelNameRegex().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
                    throw new FormatException($"{where}: bad label name \"{label}\"");
                if (labels.Any(l => l.Key == label))
                    throw new FormatException($"{where}: label {label} twice");
                at = eq + 1;
                if (at >= line.Length || line[at] != '"')
                    throw new FormatException($"{where}: label value not quoted");
                at++;
                var value = new StringBuilder();
                while (true)
                {
                    if (at >= line.Length)
                        throw new FormatException($"{where}: unterminated label value");
                    char ch = line[at++];
                    if (ch == '"')
                        break;
                    if (ch == '\\')
                    {
                        if (at >= line.Length)
                            throw new FormatException($"{where}: escape at the end of the line");
                        value.Append(line[at++] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            char other => throw new FormatException($"{where}: unknown escape \\{other}"),
                        });
                        continue;
                    }
                    value.Append(ch);
                }
                labels.Add(new(label, value.ToString()));
                if (at < line.Length && line[at] == ',')
                    at++;
                else if (at >= line.Length || line[at] != '}')
                    throw new FormatException($"{where}: expected ',' or '}}' after a label");
            }
        }
        if (at >= line.Length || line[at] != ' ')
            throw new FormatException($"{where}: no value");
        string[] rest = line[(at + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2)
            throw new FormatException($"{where}: expected a value and an optional timestamp");
        double number = rest[0] switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            string v when FloatRegex().IsMatch(v) => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            string v => throw new FormatException($"{where}: \"{v}\" is not a float"),
        };
        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw new FormatException($"{where}: bad timestamp");
        return new ExpositionSample(name, labels, number);
    }

    private static string UnescapeHelp(string text, string where)
    {
        var help = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                help.Append(text[i]);
                continue;
            }
            if (++i >= text.Length)
                throw new FormatException($"{where}: escape at the end of HELP");
            help.Append(text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                char other => throw new FormatException($"{where}: unknown HELP escape \\{other}"),
            });
        }
        return help.ToString();
    }

    [GeneratedRegex(@"^# (HELP|TYPE) (\S+) ?(.*)$")]
    private static partial Regex CommentRegex();

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricNameRegex();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelNameRegex();

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex FloatRegex();
}
