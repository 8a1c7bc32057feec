namespace Ppp.Core.Config;

/// <summary>One command line of a configuration file, with where it came from.</summary>
public sealed record ConfigLine(string File, int Line, string Text)
{
    public string Location => $"{File}:{Line}";
}

/// <summary>A problem in a configuration file. Line 0 means the file as a whole.</summary>
public sealed record ConfigError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>A label (<c>name:</c> in column 0) and the indented command lines under it.</summary>
public sealed record ConfigSection(string Label, string File, int Line, IReadOnlyList<ConfigLine> Lines);

/// <summary>
/// ppp.conf, ppp.linkup and ppp.linkdown (ppp(8) "Automatic dialing"): labels in column 0 end
/// with ':'; command lines start with a space or a tab; a line whose first non-blank is '#' is a
/// comment; a line ending in an odd number of backslashes continues on the next one; a line
/// <c>!include file</c> reads another file (relative to the including file's directory) whose
/// labels join this one's, and whose commands before its first label belong to the section the
/// include sits in. Parsing collects every error instead of stopping at the first; commands are
/// kept as text and checked when they are executed.
/// </summary>
public sealed class ConfigFile
{
    private const int MaxIncludeDepth = 16;

    private ConfigFile(string path, IReadOnlyList<ConfigSection> sections, IReadOnlyList<ConfigError> errors)
    {
        Path = path;
        Sections = sections;
        Errors = errors;
    }

    public string Path { get; }

    public IReadOnlyList<ConfigSection> Sections { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>The section of that label (labels are case-sensitive, as in ppp(8)).</summary>
    public ConfigSection? Find(string label) => Sections.FirstOrDefault(s => s.Label == label);

    /// <summary>
    /// Parses <paramref name="text"/> read from <paramref name="path"/>. <paramref name="readFile"/>
    /// returns a file's text or null when it cannot be read; without it <c>!include</c> is an error.
    /// </summary>
    public static ConfigFile Parse(string path, string text, Func<string, string?>? readFile = null, WordExpansion? expansion = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(readFile, expansion);
        parser.ParseText(path, text, [path], null);
        return new ConfigFile(path, parser.Build(), parser.Errors);
    }

    /// <summary>Reads and parses <paramref name="path"/>; a file that cannot be read gives one error.</summary>
    public static ConfigFile Load(string path, Func<string, string?> readFile, WordExpansion? expansion = null)
    {
        ArgumentNullException.ThrowIfNull(readFile);
        string? text = readFile(path);
        if (text is null)
            return new ConfigFile(path, [], [new ConfigError(path, 0, "cannot be read")]);
        return Parse(path, text, readFile, expansion);
    }

    /// <summary>True when the physical line continues on the next one (an odd run of trailing backslashes).</summary>
    internal static bool EndsWithContinuation(string line)
    {
        int count = 0;
        for (int i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
            count++;
        return count % 2 == 1;
    }

    /// <summary>Physical lines joined across continuations, each with the number of its first line.</summary>
    internal static IEnumerable<(int Line, string Text)> LogicalLines(string text)
    {
        string[] physical = text.Split('\n');
        for (int i = 0; i < physical.Length; i++)
        {
            int start = i + 1;
            string line = physical[i].TrimEnd('\r', ' ', '\t');
            while (EndsWithContinuation(line) && i + 1 < physical.Length)
            {
                i++;
                line = line[..^1] + physical[i].TrimEnd('\r', ' ', '\t');
            }
            if (EndsWithContinuation(line))
                line = line[..^1];
            yield return (start, line);
        }
    }

    private sealed class SectionBuilder(string label, string file, int line)
    {
        public string Label { get; } = label;
        public string File { get; } = file;
        public int Line { get; } = line;
        public List<ConfigLine> Lines { get; } = [];
    }

    private sealed class Parser(Func<string, string?>? readFile, WordExpansion? expansion)
    {
        private readonly List<SectionBuilder> _sections = [];

        public List<ConfigError> Errors { get; } = [];

        public IReadOnlyList<ConfigSection> Build() =>
            [.. _sections.Select(s => new ConfigSection(s.Label, s.File, s.Line, s.Lines.AsReadOnly()))];

        /// <summary>Returns the section current at the end of the text.</summary>
        public SectionBuilder? ParseText(string file, string text, List<string> includeStack, SectionBuilder? current)
        {
            foreach (var (number, line) in LogicalLines(text))
            {
                string trimmed = line.TrimStart(' ', '\t');
                if (trimmed.Length == 0 || trimmed[0] == '#')
                    continue;
                if (trimmed.StartsWith("!include", StringComparison.Ordinal)
                    && (trimmed.Length == 8 || trimmed[8] is ' ' or '\t'))
                {
                    Include(file, number, trimmed, includeStack, current);
                    continue;
                }
                if (line[0] is ' ' or '\t')
                {
                    if (current is null)
                        Errors.Add(new ConfigError(file, number, $"\"{FirstWord(trimmed)}\": command outside any label (put a label such as \"default:\" above it)"));
                    else
                        current.Lines.Add(new ConfigLine(file, number, trimmed));
                    continue;
                }
                current = Label(file, number, line) ?? current;
            }
            return current;
        }

        private SectionBuilder? Label(string file, int number, string line)
        {
            var (words, error) = CommandLine.Split(line);
            if (error is not null)
            {
                Errors.Add(new ConfigError(file, number, error));
                return null;
            }
            string word = words.Count > 0 ? words[0] : line.Trim();
            if (words.Count != 1 || word.Length < 2 || word[^1] != ':')
            {
                Errors.Add(new ConfigError(file, number,
                    $"\"{word}\": not a label (labels end with ':'; commands must be indented with a space or a tab)"));
                return null;
            }
            string label = word[..^1];
            var existing = _sections.FirstOrDefault(s => s.Label == label);
            if (existing is not null)
            {
                Errors.Add(new ConfigError(file, number, $"label \"{label}\" is already defined at {existing.File}:{existing.Line}"));
                return existing;
            }
            var section = new SectionBuilder(label, file, number);
            _sections.Add(section);
            return section;
        }

        private void Include(string file, int number, string line, List<string> includeStack, SectionBuilder? current)
        {
            var (words, error) = CommandLine.Split(line, expansion);
            if (error is not null)
            {
                Errors.Add(new ConfigError(file, number, $"!include: {error}"));
                return;
            }
            if (words.Count != 2)
            {
                Errors.Add(new ConfigError(file, number, "!include: expects exactly one file name"));
                return;
            }
            string name = words[1];
            if (expansion is null && name.StartsWith('~'))
            {
                Errors.Add(new ConfigError(file, number, $"!include: \"{name}\": '~' is not expanded; give a path relative to {System.IO.Path.GetDirectoryName(file)}"));
                return;
            }
            string target = System.IO.Path.IsPathRooted(name)
                ? name
                : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file) ?? "", name);
            if (includeStack.Contains(target, StringComparer.Ordinal))
            {
                Errors.Add(new ConfigError(file, number, $"!include: \"{name}\": include loop ({string.Join(" -> ", includeStack)} -> {target})"));
                return;
            }
            if (includeStack.Count >= MaxIncludeDepth)
            {
                Errors.Add(new ConfigError(file, number, $"!include: \"{name}\": includes nested more than {MaxIncludeDepth} deep"));
                return;
            }
            if (readFile is null)
            {
                Errors.Add(new ConfigError(file, number, $"!include: \"{name}\": includes cannot be read here"));
                return;
            }
            string? text = readFile(target);
            if (text is null)
            {
                Errors.Add(new ConfigError(file, number, $"!include: \"{target}\" cannot be read"));
                return;
            }
            includeStack.Add(target);
            ParseText(target, text, includeStack, current);
            includeStack.RemoveAt(includeStack.Count - 1);
        }

        private static string FirstWord(string text)
        {
            int end = text.AsSpan().IndexOfAny(' ', '\t');
            return end < 0 ? text : text[..end];
        }
    }
}
