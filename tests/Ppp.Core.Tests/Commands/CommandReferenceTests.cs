using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Control;
using Ppp.Core.Tests.Support;

namespace Ppp.Core.Tests.Commands;

/// <summary>
/// The command table against docs/commands.md, which ppp(8) holds as its COMMANDS section
/// (scripts/build-man.sh): every command, set variable, show topic and enable/disable option
/// the interpreter accepts is in the page with the same aliases, and the page lists nothing the
/// interpreter does not have, so the two cannot drift apart.
/// </summary>
[TestFixture]
public sealed class CommandReferenceTests
{
    private static readonly CommandReference s_reference = CommandReference.Load();
    private static readonly CommandTable s_root = CommandTables.BuildRoot();

    private static CommandTable Sub(string name) => s_root.Commands.Single(c => c.Name == name).Table!;

    private static SortedSet<string> Implemented(CommandTable table) =>
        new(table.Commands.Where(c => c.NotImplemented is null).Select(c => string.Join('|', c.Names)), StringComparer.Ordinal);

    [TestCase("set")]
    [TestCase("show")]
    [TestCase("iface")]
    [TestCase("resolv")]
    public void SubTable_Implemented_IsExactlyWhatTheReferenceLists(string table) =>
        Assert.That(s_reference.Table(table), Is.EqualTo(Implemented(Sub(table))),
            $"{s_reference.Path}: the rows naming {table} commands against the interpreter's {table} table (name|aliases)");

    [TestCase("set")]
    [TestCase("show")]
    public void SubTable_NotImplemented_IsNamedInItsSection(string table)
    {
        var spans = s_reference.SpansIn(table);
        foreach (var spec in Sub(table).Commands.Where(c => c.NotImplemented is not null))
            Assert.That(spec.Names, Is.SubsetOf(spans), $"{table} {spec.Name} ({spec.NotImplemented}) is not named in the section \"{table}\"");
    }

    [Test]
    public void Options_AreExactlyWhatTheReferenceLists()
    {
        var options = new SortedSet<string>(NegotiationOptions.All.Select(o => string.Join('|', [o.Name, .. o.Aliases])), StringComparer.Ordinal);
        Assert.That(s_reference.Table("option"), Is.EqualTo(options), "the enable/disable/accept/deny tables against NegotiationOptions.All");
    }

    [Test]
    public void TopLevel_EveryCommandAndAlias_IsInTheReference()
    {
        foreach (var spec in s_root.Commands)
            Assert.That(spec.Names, Is.SubsetOf(s_reference.Mentions), $"top-level {spec.Name} is not in {s_reference.Path}");
    }

    [Test]
    public void TopLevel_RowsOfTheLinkTable_AreCommandsWithThoseAliases()
    {
        var table = new SortedSet<string>(s_root.Commands.Select(c => string.Join('|', c.Names)), StringComparer.Ordinal);
        Assert.That(s_reference.Table(""), Is.SubsetOf(table));
        Assert.That(s_reference.Table(""), Has.Count.GreaterThanOrEqualTo(10));
    }

    [Test]
    public void MetricsSection_NamesEveryMetricFamily()
    {
        var names = s_reference.SpansIn("Metrics").Select(s => s.Split('{')[0].TrimEnd(',')).ToHashSet(StringComparer.Ordinal);
        Assert.That(MetricsFormatter.FamilyNames, Is.SubsetOf(names));
        Assert.That(names.Where(n => n.StartsWith("ppp_", StringComparison.Ordinal)), Is.SubsetOf(MetricsFormatter.FamilyNames), "the page names no metric that does not exist");
    }

    [Test]
    public void Reference_HasTheSectionsPppEightIncludes() =>
        Assert.That(s_reference.Sections, Is.SupersetOf(new[] { "Link and daemon commands", "set", "enable, disable, accept, deny", "show", "iface", "resolv", "Metrics" }));
}
