using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// The file a daemon appends its log lines to (PPP_LOGFILE: "Category: message"), read while
/// the daemon writes it.
/// </summary>
internal sealed class DaemonLog(string name, string path)
{
    public string Name { get; } = name;

    public string Path { get; } = path;

    /// <summary>Everything logged so far ("" before the first line).</summary>
    public string Text()
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <summary>True if a line matches <paramref name="pattern"/> (multiline: ^ and $ are line ends).</summary>
    public bool Contains(string pattern) => Regex.IsMatch(Text(), pattern, RegexOptions.Multiline);

    /// <summary>
    /// Waits for a line matching <paramref name="pattern"/> and returns it; fails the test
    /// with <paramref name="context"/> (every log of the scenario) if none comes in time.
    /// </summary>
    public string WaitFor(string pattern, TimeSpan timeout, Func<string> context)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant);
        string text = "";
        Match? match = null;
        Poll.Until(() => (match = regex.Match(text = Text())).Success, timeout);
        if (match is null || !match.Success)
        {
            Assert.Fail($"{Name}: no log line matching /{pattern}/ within {timeout.TotalSeconds} s\n{context()}");
        }

        int start = text.LastIndexOf('\n', match!.Index) + 1;
        int end = text.IndexOf('\n', match.Index);
        return text[start..(end < 0 ? text.Length : end)];
    }
}
