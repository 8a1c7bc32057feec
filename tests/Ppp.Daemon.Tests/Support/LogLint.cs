using System.Text.RegularExpressions;

namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// Log lines are read by people, in ppp(8)'s words: no C# internals (a record's ToString
/// with its braces and empty "Name = ," fields, enum member names such as ChapMd5, a category
/// written twice) and no trailing blanks. ppp(8)'s own CamelCase words (SendConfigReq,
/// RecvTerminateAck, LayerUp) are what it logs and stay.
/// </summary>
internal static partial class LogLint
{
    /// <summary>Every offending line with why, one per line; empty when the log reads well.</summary>
    public static IReadOnlyList<string> Problems(string log)
    {
        var problems = new List<string>();
        foreach (string line in log.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            if (line.Contains('{', StringComparison.Ordinal) || line.Contains('}', StringComparison.Ordinal))
                problems.Add($"braces: {line}");
            if (EmptyField().IsMatch(line))
                problems.Add($"empty field: {line}");
            if (line[^1] is ' ' or '\t')
                problems.Add($"trailing blank: \"{line}\"");
            if (DoubledCategory().IsMatch(line))
                problems.Add($"category written twice: {line}");
            // File paths (random temporary folders) are not words.
            foreach (Match word in CamelCase().Matches(Path().Replace(line, "")))
            {
                if (!PppWord().IsMatch(word.Value))
                    problems.Add($"C# name \"{word.Value}\": {line}");
            }
        }
        return problems;
    }

    [GeneratedRegex(@"\S*/\S*")]
    private static partial Regex Path();

    [GeneratedRegex(@"=\s*(,|$)")]
    private static partial Regex EmptyField();

    [GeneratedRegex(@"\b([A-Z][A-Z0-9]+): \1: ")]
    private static partial Regex DoubledCategory();

    // A capital, a word with a lower-case letter, then more capitals: ChapMd5, IpcpResult. Hex
    // digits (an MS-CHAP-V2 authenticator response, E82F7F...) have no lower case and are no name.
    [GeneratedRegex(@"\b[A-Z][a-z0-9]*[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\b")]
    private static partial Regex CamelCase();

    // ppp(8)'s FSM words: Send/Recv + packet, LayerStart/Up/Down/Finish.
    [GeneratedRegex(@"^(?:(?:Send|Recv)(?:Config|Terminate|Code|Protocol|Echo|Discard|Ident|TimeRemaining|ResetReq|ResetAck)[A-Za-z]*|Layer(?:Start|Up|Down|Finish))$")]
    private static partial Regex PppWord();
}
