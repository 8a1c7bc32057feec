using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Ppp.Chat;

/// <summary>
/// A chat script as ppp(8) stores it for <c>set dial|login|logout|hangup</c>, read into steps
/// before anything runs, so a bad script is reported when it is parsed and the runner only
/// executes.
/// <para>
/// Words are split at blanks; double quotes group (and are removed), <c>""</c> is an empty
/// word; single quotes group too, as in chat(8) script files (ppp(8) knows only double quotes,
/// so a vendor's chat file pastes in unchanged); a backslash protects the next character from both and is kept for the string's own
/// escapes (<see cref="ChatText"/>). Words alternate expect, send, expect, ... Keywords take the
/// next word as their argument and do not change that alternation; like ppp(8) (and unlike
/// chat(8), which only looks in expect position) they are recognised wherever they stand:
/// ABORT, CLR_ABORT, REPORT, CLR_REPORT, TIMEOUT, SAY, HANGUP, ECHO. An expect word with an even
/// number of unescaped dashes is an expect-send-expect chain (<c>OK-AT-OK</c>); with an odd
/// number its dashes are literal and a warning says so, as ppp(8) does.
/// </para>
/// </summary>
internal sealed class ChatScript
{
    private static readonly string[] Keywords = ["ABORT", "CLR_ABORT", "REPORT", "CLR_REPORT", "TIMEOUT", "SAY", "HANGUP", "ECHO"];

    private ChatScript(IReadOnlyList<ChatStep> steps, IReadOnlyList<string> warnings)
    {
        Steps = steps;
        Warnings = warnings;
    }

    /// <summary>An empty script: runs to success at once (ppp(8)'s "set dial" with no argument).</summary>
    public static ChatScript Empty { get; } = new([], []);

    public IReadOnlyList<ChatStep> Steps { get; }

    /// <summary>Things ppp(8) accepts with a warning (odd dashes, TIMEOUT 0); the runner logs them.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Parses a chat(8) script file (<c>chat -f</c>, a vendor's chatscript): as
    /// <see cref="TryParse"/>, after dropping the lines whose first non-blank character is
    /// '#', which chat(8) reads as comments. (A one-line <c>set dial</c> string keeps its '#',
    /// as in <c>ATDT*99#</c>.)
    /// </summary>
    public static bool TryParseFile(string? text, [NotNullWhen(true)] out ChatScript? script, [NotNullWhen(false)] out string? error)
    {
        var lines = (text ?? "").Split('\n').Where(line => !line.TrimStart().StartsWith('#'));
        return TryParse(string.Join('\n', lines), out script, out error);
    }

    /// <summary>Parses a script; on failure <paramref name="error"/> says what and where. Never throws on input.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ChatScript? script, [NotNullWhen(false)] out string? error)
    {
        script = null;
        error = SplitWords(text ?? "", out var words);
        if (error is not null)
            return false;
        var steps = new List<ChatStep>();
        var warnings = new List<string>();
        bool expecting = true;
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            if (Array.IndexOf(Keywords, word) >= 0)
            {
                if (i + 1 >= words.Count)
                {
                    error = $"{word} at the end of the script has no argument";
                    return false;
                }
                if (!TryKeyword(word, words[++i], warnings, out var step, out error))
                    return false;
                steps.Add(step);
                continue;
            }
            if (expecting)
            {
                if (!TryExpect(word, warnings, out var expect, out error))
                    return false;
                steps.Add(expect);
            }
            else
            {
                if (!TryText(word, out var send, out error))
                    return false;
                steps.Add(new SendStep(send));
            }
            expecting = !expecting;
        }
        script = new ChatScript(steps, warnings);
        return true;
    }

    private static bool TryKeyword(string keyword, string argument, List<string> warnings, [NotNullWhen(true)] out ChatStep? step, [NotNullWhen(false)] out string? error)
    {
        step = null;
        error = null;
        switch (keyword)
        {
            case "TIMEOUT":
                if (!int.TryParse(argument, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int seconds))
                {
                    error = $"TIMEOUT \"{argument}\" is not a number of seconds";
                    return false;
                }
                if (seconds <= 0)
                {
                    warnings.Add($"TIMEOUT {argument}: not positive, using the default of {(int)ChatRunner.DefaultTimeout.TotalSeconds} seconds");
                    seconds = (int)ChatRunner.DefaultTimeout.TotalSeconds;
                }
                step = new TimeoutStep(seconds);
                return true;
            case "HANGUP" or "ECHO":
                bool? on = argument.ToUpperInvariant() switch { "ON" => true, "OFF" => false, _ => null };
                if (on is null)
                {
                    error = $"{keyword} \"{argument}\" is not ON or OFF";
                    return false;
                }
                step = keyword == "HANGUP" ? new HangupStep(on.Value) : new EchoStep(on.Value);
                return true;
        }
        if (!TryText(argument, out var text, out error))
            return false;
        if (text.IsCommand)
        {
            error = $"{keyword} \"{argument}\": a !command is allowed only as an expect or send string";
            return false;
        }
        if (keyword is "ABORT" or "REPORT" or "CLR_ABORT" or "CLR_REPORT" && text.Pieces.All(p => p.Kind == ChatPieceKind.Pause))
        {
            error = $"{keyword} needs a non-empty string";
            return false;
        }
        step = keyword switch
        {
            "ABORT" => new AbortStep(text),
            "CLR_ABORT" => new ClearAbortStep(text),
            "REPORT" => new ReportStep(text),
            "CLR_REPORT" => new ClearReportStep(text),
            _ => new SayStep(text),
        };
        return true;
    }

    private static bool TryText(string word, [NotNullWhen(true)] out ChatText? text, [NotNullWhen(false)] out string? error)
    {
        text = ChatText.Parse(word, out string? problem);
        error = text is null ? "chat string " + problem : null;
        return text is not null;
    }

    private static bool TryExpect(string word, List<string> warnings, [NotNullWhen(true)] out ExpectStep? step, [NotNullWhen(false)] out string? error)
    {
        step = null;
        error = null;
        // A !command is run whole: its arguments' dashes (chat -v -f file) are not sub-expects.
        var parts = word.StartsWith('!') && !word.StartsWith("!!", StringComparison.Ordinal) ? [word] : SplitDashes(word);
        if (parts.Count % 2 == 0)
        {
            warnings.Add($"\"{word}\": uneven number of '-' characters, all taken literally");
            parts = [word];
        }
        var expects = new List<ChatText>();
        var sends = new List<ChatText>();
        for (int i = 0; i < parts.Count; i++)
        {
            if (!TryText(parts[i], out var text, out error))
                return false;
            (i % 2 == 0 ? expects : sends).Add(text);
        }
        step = new ExpectStep(expects, sends);
        return true;
    }

    /// <summary>The parts of a word between unescaped dashes (a backslash protects the next character).</summary>
    private static List<string> SplitDashes(string word)
    {
        var parts = new List<string>();
        int start = 0;
        for (int i = 0; i < word.Length; i++)
        {
            if (word[i] == '\\')
            {
                i++;
            }
            else if (word[i] == '-')
            {
                parts.Add(word[start..i]);
                start = i + 1;
            }
        }
        parts.Add(word[start..]);
        return parts;
    }

    private static string? SplitWords(string text, out List<string> words)
    {
        words = [];
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote == '\0' && c is ' ' or '\t' or '\r' or '\n')
            {
                if (inWord)
                    words.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (quote == '\0' && c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = '\0';
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[++i]);
            }
            else
            {
                current.Append(c);
            }
        }
        if (quote != '\0')
            return $"unterminated quote ({quote}) in the chat script";
        if (inWord)
            words.Add(current.ToString());
        return null;
    }
}
