using System.Diagnostics;
using System.Globalization;

namespace Ppp.Fuzz;

/// <summary>
/// <c>dotnet run --project tests/Ppp.Fuzz -c Release -- [--count N] [--seed S] [target...]</c>:
/// fuzzes each target (conf, secret, linkup, chat, socket; all by default) with N inputs
/// (default 10,000,000), prints the counts, and exits 1 if any input threw or was rejected
/// without saying where.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        long count = 10_000_000;
        int seed = 1;
        var targets = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--count" when i + 1 < args.Length && long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out count):
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out seed):
                    i++;
                    break;
                case "-h" or "--help":
                    Console.WriteLine($"usage: Ppp.Fuzz [--count N] [--seed S] [{string.Join('|', Fuzzer.Targets)}]...");
                    return 0;
                default:
                    if (!Fuzzer.Targets.Contains(args[i]))
                    {
                        Console.Error.WriteLine($"Ppp.Fuzz: {args[i]}: not a target or option; targets: {string.Join(", ", Fuzzer.Targets)}");
                        return 2;
                    }
                    targets.Add(args[i]);
                    break;
            }
        }
        bool clean = true;
        foreach (string target in targets.Count > 0 ? targets : Fuzzer.Targets)
        {
            var watch = Stopwatch.StartNew();
            var report = new Fuzzer(seed).Run(target, count);
            Console.WriteLine($"{report} in {watch.Elapsed.TotalSeconds:0} s");
            foreach (string sample in report.Samples)
                Console.WriteLine($"  {sample}");
            clean &= report.Clean;
        }
        return clean ? 0 : 1;
    }
}
