using BenchmarkDotNet.Running;
using Ppp.Benchmarks.Fuzz;

namespace Ppp.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Ppp.Benchmarks -- [BenchmarkDotNet args]</c> runs
/// benchmarks (e.g. <c>--filter *Hdlc* --job short</c>);
/// <c>-- --fuzz TARGET --count N [--seed S]</c> runs a fuzz target (<c>--fuzz list</c> lists them).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--fuzz")
        {
            return FuzzRunner.Run(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ThroughputConfig.Create());
        return 0;
    }
}
