using NUnit.Framework;
using Ppp.Core.Fsm;

namespace Ppp.Core.Tests.Fsm;

[TestFixture]
public class FsmTableTests
{
    private static IEnumerable<TestCaseData> AllCells() =>
        Rfc1661Table.Cells().Select(c => new TestCaseData(c).SetName($"Transition_{c.State}_{c.Event}_MatchesRfc1661"));

    [TestCaseSource(nameof(AllCells))]
    public void Transition_EveryCell_MatchesRfc1661(Rfc1661Table.Cell cell)
    {
        var t = FsmTable.Transition(cell.State, cell.Event);

        Assert.Multiple(() =>
        {
            Assert.That(t.IsLegal, Is.EqualTo(cell.Legal));
            Assert.That(t.Next, Is.EqualTo(cell.Next));
            Assert.That(t.Actions, Is.EqualTo(Rfc1661Table.ToFlags(cell.Actions)));
        });
    }

    [Test]
    public void Oracle_CoversEveryStateAndEvent()
    {
        var cells = Rfc1661Table.Cells().ToList();

        Assert.That(cells, Has.Count.EqualTo(Enum.GetValues<FsmState>().Length * Enum.GetValues<FsmEvent>().Length));
        Assert.That(cells.Select(c => (c.State, c.Event)).Distinct().Count(), Is.EqualTo(cells.Count));
    }
}
