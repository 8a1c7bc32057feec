using System.Text;

namespace Ppp.Core.Config;

/// <summary>
/// Splits one command line into words the way ppp.conf, ppp.secret, the prompt and the
/// diagnostic socket all read them:
/// <list type="bullet">
/// <item>words are separated by spaces and tabs;</item>
/// <item>double quotes group text into one word (and may be empty: <c>""</c> is a word); they can
/// start or end in the middle of a word;</item>
/// <item><c>\"</c> is a literal quote and <c>\\</c> a literal backslash, in or out of quotes; any other
/// backslash is kept, because chat scripts (<c>\d</c>, <c>\T</c>, <c>\P</c>) read their own escapes
/// after this parser, as ppp(8) says ("escape it from the command parser");</item>
/// <item><c>#</c> at the start of a word outside quotes begins a comment;</item>
/// <item>with a <see cref="WordExpansion"/>, <c>$NAME</c>, <c>${NAME}</c>, <c>~</c> and <c>~user</c>
/// are expanded as ppp(8) does (see there).</item>
/// </list>
/// Never throws on input: an unterminated quote or <c>${</c>, or an unknown <c>~user</c>, is an error.
/// </summary>
public static class CommandLine
{
    private static readonly System.Buffers.SearchValues<char> NeedsQuoting = System.Buffers.SearchValues.Create(" \t\r\n\"\\");

    public static (IReadOnlyList<string> Words, string? Error) Split(string line) => Split(line, null);

    public static (IReadOnlyList<string> Words, string? Error) Split(string line, WordExpansion? expansion)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        bool inQuote = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (!inQuote && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
                continue;
            }
            if (!inQuote && !inWord && c == '#')
                break;
            if (expansion is not null && !inQuote && !inWord && c == '~')
            {
                int end = i + 1;
                while (end < line.Length && line[end] is not ('/' or ' ' or '\t' or '\r' or '\n' or '"'))
                    end++;
                string? user = end == i + 1 ? null : line[(i + 1)..end];
                string? home = expansion.Home(user);
                if (home is null)
                    return (words, $"~{user}: no such user");
                current.Append(home);
                inWord = true;
                i = end - 1;
                continue;
            }
            if (expansion is not null && c == '$' && i + 1 < line.Length && (line[i + 1] == '{' || WordExpansion.IsNameChar(line[i + 1])))
            {
                int start;
                int end;
                if (line[i + 1] == '{')
                {
                    start = i + 2;
                    end = line.IndexOf('}', start);
                    if (end < 0)
                        return (words, "unterminated ${ (want ${NAME})");
                    string braced = line[start..end];
                    if (braced.Length == 0 || !braced.All(WordExpansion.IsNameChar))
                        return (words, $"${{{braced}}}: not a variable name (letters, digits and _)");
                    current.Append(expansion.Variable(braced));
                    i = end;
                }
                else
                {
                    start = i + 1;
                    end = start;
                    while (end < line.Length && WordExpansion.IsNameChar(line[end]))
                        end++;
                    current.Append(expansion.Variable(line[start..end]));
                    i = end - 1;
                }
                inWord = true;
                continue;
            }
            inWord = true;
            if (c == '"')
            {
                inQuote = !inQuote;
            }
            else if (c == '\\' && i + 1 < line.Length && (line[i + 1] == '"' || line[i + 1] == '\\'))
            {
                current.Append(line[i + 1]);
                i++;
            }
            else
            {
                current.Append(c);
            }
        }
        if (inQuote)
            return (words, "unterminated quote (\")");
        if (inWord)
            words.Add(current.ToString());
        return (words, null);
    }

    /// <summary>
    /// Writes a word so that <see cref="Split"/> reads it back unchanged: quoted when it is empty
    /// or holds blanks, quotes or a leading <c>#</c>.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        bool plain = word.Length > 0 && word[0] != '#'
            && word.AsSpan().IndexOfAny(NeedsQuoting) < 0;
        if (plain)
            return word;
        var builder = new StringBuilder(word.Length + 2).Append('"');
        foreach (char c in word)
        {
            if (c is '"' or '\\')
                builder.Append('\\');
            builder.Append(c);
        }
        return builder.Append('"').ToString();
    }

    /// <summary>Words joined with single spaces, each quoted as needed.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
