using Ppp.Tests.Shared;

namespace Ppp.Benchmarks.Fuzz;

/// <summary>
/// Fuzzes the packet filters through <see cref="FilterFuzz"/> (tests/Shared, which the CI test
/// runs too): each input is one random <c>set filter</c> line and one packet for all four filters.
/// </summary>
internal static class FilterFuzzTarget
{
    private static readonly FilterFuzz s_fuzz = new();

    public static void Run(ReadOnlySpan<byte> input) => s_fuzz.Run(input);

    public static byte[] Seed(Random random) => FilterFuzz.Seed(random);
}
