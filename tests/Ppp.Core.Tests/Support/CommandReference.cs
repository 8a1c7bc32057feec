using System.Text.RegularExpressions;

namespace Ppp.Core.Tests.Support;

/// <summary>One command as a reference table's first cell writes it: its table ("" for the top
/// level, "set", "show", ...) and its names, the first the name and the rest its aliases.</summary>
internal sealed record DocumentedCommand(string Section, string Table, IReadOnlyList<string> Names);

/// <summary>
/// docs/commands.md, the command reference that ppp(8) holds as its COMMANDS section, read the
/// way a person reads it: each table row's first cell names commands in code spans
/// (<c>`lcpretry\|lcpretries`</c>, <c>`set server\|socket ...`</c>); a span that starts with
/// set, show, iface or resolv belongs to that table, any other to the table its section is
/// about. Code spans and code blocks elsewhere count as mentions.
/// </summary>
internal sealed partial class CommandReference
{
    private static readonly string[] s_subTables = ["set", "show", "iface", "resolv"];

    private CommandReference(string path)
    {
        Path = path;
        string section = "";
        bool inCode = false;
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }
            if (inCode)
            {
                Mentions.UnionWith(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Bare));
                continue;
            }
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
                Sections.Add(section);
                Mentions.UnionWith(WordRegex().Matches(section).Select(m => m.Value));
                continue;
            }
            var spans = CodeRegex().Matches(line).Select(m => m.Groups[1].Value.Replace("\\|", "|", StringComparison.Ordinal)).ToList();
            foreach (string span in spans)
                Mentions.UnionWith(span.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).SelectMany(w => w.Split('|')).Select(Bare));
            if (!line.StartsWith('|') || line.StartsWith("| ---", StringComparison.Ordinal))
                continue;
            string firstCell = FirstCellRegex().Match(line).Groups[1].Value;
            foreach (Match span in CodeRegex().Matches(firstCell))
                Rows.Add(Parse(section, span.Groups[1].Value.Replace("\\|", "|", StringComparison.Ordinal)));
        }
    }

    public string Path { get; }

    public List<string> Sections { get; } = [];

    /// <summary>Every table row's commands, in order.</summary>
    public List<DocumentedCommand> Rows { get; } = [];

    /// <summary>Every word that starts a code span (and the one after it), every word of a code block, every heading word.</summary>
    public HashSet<string> Mentions { get; } = new(StringComparer.Ordinal);

    public static CommandReference Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "docs", "commands.md");
            if (File.Exists(candidate) && File.Exists(System.IO.Path.Combine(dir.FullName, "global.json")))
                return new CommandReference(candidate);
        }
        throw new InvalidOperationException("docs/commands.md not found above the test directory");
    }

    /// <summary>
    /// The commands of <paramref name="table"/> as sorted "name|alias|..." strings; a command in
    /// two rows (a topic and its own section) must be written the same in both.
    /// </summary>
    public SortedSet<string> Table(string table)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in Rows.Where(r => r.Table == table).GroupBy(r => r.Names[0], StringComparer.Ordinal))
        {
            var forms = group.Select(r => string.Join('|', r.Names)).Distinct(StringComparer.Ordinal).ToList();
            if (forms.Count > 1)
                throw new InvalidOperationException($"{Path}: {table} {group.Key} is written two ways: {string.Join(" and ", forms)}");
            result.Add(forms[0]);
        }
        return result;
    }

    /// <summary>The words of the code spans of one section (split at blanks and '|').</summary>
    public HashSet<string> SpansIn(string section)
    {
        var spans = new HashSet<string>(StringComparer.Ordinal);
        bool inside = false;
        foreach (string line in File.ReadAllLines(Path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
                inside = line[3..].Trim() == section;
            else if (inside)
                spans.UnionWith(CodeRegex().Matches(line).Select(m => m.Groups[1].Value.Replace("\\|", "|", StringComparison.Ordinal)).SelectMany(s => s.Split([' ', '|'], StringSplitOptions.RemoveEmptyEntries)));
        }
        return spans;
    }

    private static DocumentedCommand Parse(string section, string span)
    {
        string[] words = span.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string table = DefaultTable(section);
        string names = words[0];
        if (s_subTables.Contains(words[0]) && words.Length > 1 && table != words[0])
        {
            table = words[0];
            names = words[1];
        }
        else if (words[0] == table && words.Length > 1)
        {
            names = words[1]; // "iface add[!] ..." in the iface section
        }
        return new DocumentedCommand(section, table, [.. names.Split('|').Select(Bare)]);
    }

    /// <summary>The table a section's rows belong to when a row does not say.</summary>
    private static string DefaultTable(string section) => section switch
    {
        "Link and daemon commands" => "",
        "set" => "set",
        "show" => "show",
        "iface" => "iface",
        "resolv" => "resolv",
        "enable, disable, accept, deny" => "option",
        _ => "other:" + section,
    };

    /// <summary>A name as written without its syntax: <c>add[!]</c> and <c>add!</c> are add.</summary>
    private static string Bare(string word)
    {
        int bracket = word.IndexOf('[', StringComparison.Ordinal);
        string bare = bracket > 0 ? word[..bracket] : word;
        return bare.Length > 1 && bare.EndsWith('!') ? bare[..^1] : bare.TrimEnd(',', ';');
    }

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeRegex();

    /// <summary>The first cell: from the leading | to the first | not escaped and not in a code span.</summary>
    [GeneratedRegex(@"^\|((?:`[^`]*`|\\\||[^|`])*)\|")]
    private static partial Regex FirstCellRegex();

    [GeneratedRegex(@"[!?\w-]+")]
    private static partial Regex WordRegex();
}
