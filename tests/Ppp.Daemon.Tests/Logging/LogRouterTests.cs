using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Ppp.Daemon.Logging;

namespace Ppp.Daemon.Tests.Logging;

[TestFixture]
public sealed partial class LogRouterTests
{
    private const int LinesEach = 3000;

    [Test]
    public void LogFile_TwoRoutersWritingAtOnce_EveryLineIntact()
    {
        // Two daemons on one PPP_LOGFILE (inetd, socat): each router opens the file itself,
        // as each process would, and both write as fast as they can.
        string path = Path.Combine(Path.GetTempPath(), $"ppp-log-{Environment.ProcessId}-{Guid.NewGuid():N}.log");
        try
        {
            var routers = new[] { new LogRouter(false, path, false, ["Phase"]), new LogRouter(false, path, false, ["Phase"]) };
            string padding = new('x', 200);
            var writers = routers.Select((router, i) => new Thread(() =>
            {
                var logger = router.CreateLogger("Phase");
                for (int n = 0; n < LinesEach; n++)
                    logger.Log(LogLevel.Information, default, $"writer {i} line {n:D5} {padding}", null, (s, _) => s);
            })).ToList();
            writers.ForEach(t => t.Start());
            writers.ForEach(t => t.Join());
            foreach (var router in routers)
                router.Dispose();

            string[] lines = File.ReadAllLines(path);
            var bad = lines.Where(l => !LinePattern().IsMatch(l) || !l.EndsWith(padding, StringComparison.Ordinal)).Take(3).ToList();
            var seen = lines.Select(l => LinePattern().Match(l)).Where(m => m.Success).Select(m => m.Groups["key"].Value).ToHashSet();
            Assert.Multiple(() =>
            {
                Assert.That(lines, Has.Length.EqualTo(2 * LinesEach));
                Assert.That(bad, Is.Empty, "spliced or overwritten lines");
                Assert.That(seen, Has.Count.EqualTo(2 * LinesEach), "every line once");
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"^\w{3} \d\d \d\d:\d\d:\d\d ppp\[\d+\]: Phase: (?<key>writer [01] line \d{5}) x{200}$")]
    private static partial Regex LinePattern();
}
