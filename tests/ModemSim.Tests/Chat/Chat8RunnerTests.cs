using NUnit.Framework;

namespace Ppp.ModemSim.Tests.Chat;

/// <summary>
/// The chat table run by Debian's chat(8): the reference outcomes our engine must match.
/// </summary>
[TestFixture]
public sealed class Chat8RunnerTests
{
    [OneTimeSetUp]
    public void RequireChat()
    {
        if (!File.Exists(Chat8Runner.Program))
        {
            Assert.Fail($"{Chat8Runner.Program} is missing: run scripts/test-deps.sh (Debian package ppp)");
        }
    }

    [TestCaseSource(typeof(ChatTableCheck), nameof(ChatTableCheck.Names))]
    public Task Run_TableScript_ReachesTheTablesOutcome(string caseName) => ChatTableCheck.Run(new Chat8Runner(), caseName);

    [Test]
    public void Table_HasTwentyOrMoreUniquelyNamedRows()
    {
        List<string> names = [.. ChatTable.Cases.Select(c => c.Name)];
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.Unique);
            Assert.That(names, Has.Count.GreaterThanOrEqualTo(20));
        });
    }
}
