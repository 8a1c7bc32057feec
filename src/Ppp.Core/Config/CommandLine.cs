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
/// <item><c>#</c> at the start of a word outside quotes begins a comment.</item>
/// </list>
/// Never throws on input: an unterminated quote is an error.
/// </summary>
public static class CommandLine
{
    private static readonly System.Buffers.SearchValues<char> NeedsQuoting = System.Buffers.SearchValues.Create(" \t\r\n\"\\");

    public static (IReadOnlyList<string> Words, string? Error) Split(string line)
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
