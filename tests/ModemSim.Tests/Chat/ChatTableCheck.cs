using NUnit.Framework;
using Ppp.ModemSim.Tests.Support;

namespace Ppp.ModemSim.Tests.Chat;

/// <summary>Runs one table row with a given engine against a fresh simulator and checks the outcome.</summary>
internal static class ChatTableCheck
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(90);

    /// <summary>The rows' names, for [TestCaseSource].</summary>
    public static IEnumerable<string> Names => ChatTable.Cases.Select(c => c.Name);

    public static async Task Run(IChatRunner runner, string caseName)
    {
        ChatCase row = ChatTable.Get(caseName);
        using ModemSimProcess modem = ModemSimProcess.Start(row.Scenario);
        ChatRun run = await runner.Run(row.Script, modem.LinkPath, row.Phone, s_limit);
        Assert.That(run.Outcome, Is.EqualTo(row.Expected),
            $"{runner.Name} on '{row.Name}' ({row.Source}), simulator {string.Join(' ', row.Scenario)}\n" +
            $"--- script ---\n{row.Script}--- {runner.Name} ---\n{run.Transcript}\n{modem.Describe()}");
    }
}
