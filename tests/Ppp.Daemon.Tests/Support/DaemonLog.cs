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
    /// with <paramref name="context"/> (every log of the scenario) if none comes in time, or
    /// as soon as <paramref name="writer"/> (the process that writes this log, if known) has
    /// exited without writing it.
    /// </summary>
    public string WaitFor(string pattern, TimeSpan timeout, Func<string> context, ChildProcess? writer = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant);
        string text = "";
        Match? match = null;
        bool writerGone = false;
        Poll.Until(() =>
        {
            // Read the exit state first: a line written just before the exit is still seen.
            writerGone = writer is not null && writer.HasExited;
            return (match = regex.Match(text = Text())).Success || writerGone;
        }, timeout);
        if (match is null || !match.Success)
        {
            string why = writerGone ? $"{writer!.Name} exited ({writer.ExitCode}) first" : $"none within {timeout.TotalSeconds} s";
            Assert.Fail($"{Name}: no log line matching /{pattern}/: {why}\n{context()}");
        }

        int start = text.LastIndexOf('\n', match!.Index) + 1;
        int end = text.IndexOf('\n', match.Index);
        return text[start..(end < 0 ? text.Length : end)];
    }

    /// <summary>Waits until <paramref name="count"/> lines match <paramref name="pattern"/>; fails the test with <paramref name="context"/> if they do not come in time.</summary>
    public void WaitForCount(string pattern, int count, TimeSpan timeout, Func<string> context, ChildProcess? writer = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant);
        Poll.Until(() => regex.Count(Text()) >= count || (writer is not null && writer.HasExited), timeout);
        int found = regex.Count(Text());
        Assert.That(found, Is.GreaterThanOrEqualTo(count),
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name}: /{pattern}/ seen {found} time(s), want {count}, within {timeout.TotalSeconds} s\n{context()}"));
    }
}
