using NUnit.Framework;
using Ppp.Fuzz;

namespace Ppp.Chat.Tests;

/// <summary>
/// The short CI run of tests/Ppp.Fuzz (issue 12, item 17): each text parser a user or peer can
/// feed takes 20,000 random and mutated inputs without an exception, and every rejection says
/// where (file:line) or is a command error. The long run is <c>Ppp.Fuzz --count 10000000</c>.
/// </summary>
[TestFixture]
public sealed class FuzzTests
{
    [TestCaseSource(typeof(Fuzzer), nameof(Fuzzer.Targets))]
    public void Fuzz_ShortRun_NoExceptionAndEveryRejectionSaysWhere(string target)
    {
        var report = new Fuzzer(seed: 12).Run(target, 20_000);

        Assert.That(report.Clean, Is.True, $"{report}\n{string.Join('\n', report.Samples)}");
        Assert.That(report.Rejected, Is.GreaterThan(0), "the inputs reach the parser's error paths");
        Assert.That(report.Accepted, Is.GreaterThan(0), "the inputs reach the parser's success paths");
    }
}
