using NUnit.Framework;

namespace Ppp.ModemSim.Tests.Chat;

/// <summary>
/// The chat table run by our engine: every row must end as Debian's chat(8) ends it
/// (<see cref="Chat8RunnerTests"/> checks the same expectations against chat(8)).
/// </summary>
[TestFixture]
public sealed class PppChatRunnerTests
{
    [TestCaseSource(typeof(ChatTableCheck), nameof(ChatTableCheck.Names))]
    public Task Run_TableScript_ReachesTheTablesOutcome(string caseName) => ChatTableCheck.Run(new PppChatRunner(), caseName);
}
