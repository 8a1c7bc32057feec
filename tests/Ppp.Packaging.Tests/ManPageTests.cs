using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Config;

namespace Ppp.Packaging.Tests;

/// <summary>
/// The man pages as scripts/build-man.sh builds them from docs/ (pandoc and its filter): no
/// warning from groff (as man(1) formats for a terminal) or mandoc's lint, none from man(1)
/// itself at common widths, and ppp(8) names every command, set variable, show topic and
/// option of the interpreter's table (Ppp.Core.Tests' CommandReferenceTests holds the
/// Markdown to the table; this holds the built page to it).
/// </summary>
[TestFixture]
public sealed partial class ManPageTests
{
    private static readonly string[] s_pages = ["ppp.8", "pppctl.8", "ppp.conf.5", "ppp-modemsim.1"];
    private DirectoryInfo _out = null!;

    [OneTimeSetUp]
    public void Build()
    {
        _out = Directory.CreateTempSubdirectory("uppp-man-");
        ProcessResult result = Repository.Bash(TimeSpan.FromMinutes(2), "SKIP_LINT=1 scripts/build-man.sh \"$1\"", _out.FullName);
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
    }

    [OneTimeTearDown]
    public void Remove() => _out.Delete(recursive: true);

    private string Page(string name) => Path.Combine(_out.FullName, name);

    [TestCaseSource(nameof(s_pages))]
    public void Page_GroffWithEveryWarning_SaysNothing(string page)
    {
        ProcessResult result = ProcessRunner.Run("groff", ["-t", "-man", "-Tutf8", "-ww", "-z", Page(page)], TimeSpan.FromSeconds(60));
        Assert.That((result.ExitCode, result.StdErr), Is.EqualTo((0, "")), result.Describe());
    }

    [TestCaseSource(nameof(s_pages))]
    public void Page_MandocLint_SaysNothing(string page)
    {
        ProcessResult result = ProcessRunner.Run("mandoc", ["-T", "lint", "-W", "style", Page(page)], TimeSpan.FromSeconds(60));
        Assert.That((result.ExitCode, result.StdOut + result.StdErr), Is.EqualTo((0, "")), result.Describe());
    }

    [TestCaseSource(nameof(s_pages))]
    public void Page_ReadWithMan_PrintsNoWarningAtCommonWidths(string page)
    {
        foreach (int width in new[] { 80, 100, 132, 200 })
        {
            ProcessResult result = ProcessRunner.Run("/bin/sh", ["-c", "MANWIDTH=$0 man -l \"$1\" >/dev/null", width.ToString(System.Globalization.CultureInfo.InvariantCulture), Page(page)],
                TimeSpan.FromSeconds(60));
            Assert.That((result.ExitCode, result.StdErr), Is.EqualTo((0, "")), $"MANWIDTH={width}\n{result.Describe()}");
        }
    }

    [TestCaseSource(nameof(s_pages))]
    public void Page_HasNameDescriptionAndSeeAlso(string page)
    {
        string roff = File.ReadAllText(Page(page));
        string name = page[..page.LastIndexOf('.')];
        Assert.That(roff, Does.Match($@"\.SH NAME\n{Regex.Escape(name)} \\-\s\S"), @"whatis(1) reads NAME as 'name \- description'");
        Assert.That(roff, Does.Contain(".SH DESCRIPTION\n").And.Contain(".SH SEE ALSO\n"));
        Assert.That(roff, Does.Not.Match(@"\]\([^)\s]*\.md").And.Not.Contain("<!--"), "no Markdown link or marker left over");
    }

    /// <summary>The page's COMMANDS section as plain text: fonts, break points and escapes gone.</summary>
    private string CommandsText()
    {
        string roff = File.ReadAllText(Page("ppp.8"));
        int start = roff.IndexOf(".SH COMMANDS\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "ppp(8) has no COMMANDS section");
        int end = roff.IndexOf("\n.SH ", start + 1, StringComparison.Ordinal);
        string text = roff[start..(end < 0 ? roff.Length : end)];
        text = FontRegex().Replace(text, "");
        return text.Replace("\\:", "", StringComparison.Ordinal).Replace("\\-", "-", StringComparison.Ordinal)
            .Replace("\\[rs]", "\\", StringComparison.Ordinal).Replace("\\[ti]", "~", StringComparison.Ordinal)
            .Replace("\\[ha]", "^", StringComparison.Ordinal).Replace("\\&", "", StringComparison.Ordinal);
    }

    [Test]
    public void PppEight_NamesEveryCommandVariableTopicAndOptionOfTheTable()
    {
        string text = CommandsText();
        var root = CommandTables.BuildRoot();
        var names = root.Commands.SelectMany(c => c.Names.Select(n => ("", n)))
            .Concat(root.Commands.Where(c => c.Table is not null).SelectMany(c => c.Table!.Commands.SelectMany(s => s.Names.Select(n => (c.Name, n)))))
            .Concat(NegotiationOptions.All.SelectMany(o => ((string[])[o.Name, .. o.Aliases]).Select(n => ("option", n))));
        var missing = names.Where(x => !Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(x.n)}(?![\w-])")).Select(x => $"{x.Item1} {x.n}".Trim()).ToList();
        Assert.That(missing, Is.Empty, "not in ppp(8)'s COMMANDS");
        Assert.That(text, Does.Contain(".SS set\n").And.Contain(".SS show\n").And.Contain(".SS Metrics\n"), "commands.md's sections are sub-sections of COMMANDS");
    }

    [GeneratedRegex(@"\\f(\[[A-Z]*\]|[A-Z])")]
    private static partial Regex FontRegex();
}
