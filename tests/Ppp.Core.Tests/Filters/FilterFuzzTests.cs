using NUnit.Framework;

namespace Ppp.Core.Tests.Filters;

/// <summary>The short CI run of the filter fuzzer (the long one: benchmarks, <c>--fuzz filter</c>).</summary>
[TestFixture]
public sealed class FilterFuzzTests
{
    [Test]
    public void Fuzz_RandomRulesAndPackets_NeverThrowAndKeepTheirInvariants()
    {
        var random = new Random(20261203);
        var fuzz = new FilterFuzz();
        for (int i = 0; i < 100_000; i++)
        {
            byte[] input = (i % 4) switch
            {
                0 => RandomBytes(random),
                1 => FilterFuzz.Seed(random),
                _ => FilterFuzz.Mutate(random, FilterFuzz.Seed(random)),
            };
            fuzz.Run(input);
        }
        Assert.That(fuzz.Parsed, Is.GreaterThan(50_000), "most lines are valid rules");
        Assert.That(fuzz.Refused, Is.GreaterThan(5_000), "damaged lines are refused");
        Assert.That(fuzz.Permitted, Is.GreaterThan(10_000));
        Assert.That(fuzz.Denied, Is.GreaterThan(10_000));
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 120)];
        random.NextBytes(bytes);
        return bytes;
    }
}
