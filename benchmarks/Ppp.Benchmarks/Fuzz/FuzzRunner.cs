using System.Diagnostics;
using System.Globalization;

namespace Ppp.Benchmarks.Fuzz;

/// <summary>
/// <c>--fuzz TARGET|all|list --count N [--seed S] [--max-length L]</c>: feeds N inputs to a target
/// (half random bytes, half mutated seeds when the target has a seed generator), counts
/// exceptions, prints the first few with the input in hex, and exits 1 if any target threw.
/// </summary>
internal static class FuzzRunner
{
    private const int MaxReported = 5;

    public static int Run(string[] args)
    {
        string target = args.Length > 1 ? args[1] : "list";
        long count = 100_000;
        int seed = Environment.TickCount;
        int maxLength = 2048;
        for (int i = 2; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--count": count = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--max-length": maxLength = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        if (target == "list")
        {
            Console.WriteLine(string.Join(Environment.NewLine, FuzzTargets.Targets.Keys.Order(StringComparer.Ordinal)));
            return 0;
        }

        IEnumerable<string> names = target == "all" ? FuzzTargets.Targets.Keys : [target];
        int failed = 0;
        foreach (string name in names)
        {
            if (!FuzzTargets.Targets.TryGetValue(name, out Action<ReadOnlySpan<byte>>? action))
            {
                Console.Error.WriteLine($"unknown fuzz target '{name}' (try --fuzz list)");
                return 2;
            }

            FuzzTargets.Seeds.TryGetValue(name, out Func<Random, byte[]>? seeds);
            failed += RunOne(name, action, seeds, count, seed, maxLength) > 0 ? 1 : 0;
        }

        return failed > 0 ? 1 : 0;
    }

    private static long RunOne(string name, Action<ReadOnlySpan<byte>> action, Func<Random, byte[]>? seeds, long count, int seed, int maxLength)
    {
        var random = new Random(seed);
        byte[] buffer = new byte[maxLength * 2];
        byte[][] corpus = seeds is null ? [] : Enumerable.Range(0, 512).Select(_ => seeds(random)).ToArray();
        long exceptions = 0;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < count; i++)
        {
            int length = corpus.Length > 0 && (i & 1) == 1
                ? Mutate(random, corpus[random.Next(corpus.Length)], buffer, maxLength)
                : RandomInput(random, buffer, maxLength);
            try
            {
                action(buffer.AsSpan(0, length));
            }
#pragma warning disable CA1031 // Any exception at all is the finding being counted.
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (++exceptions <= MaxReported)
                {
                    Console.WriteLine($"[{name}] input {i}: {e.GetType().Name}: {e.Message}");
                    Console.WriteLine($"  {Convert.ToHexString(buffer, 0, length)}");
                }
            }
        }

        clock.Stop();
        Console.WriteLine(FormattableString.Invariant(
            $"fuzz {name}: count={count} elapsed={clock.Elapsed.TotalSeconds:F1}s rate={count / clock.Elapsed.TotalSeconds:F0}/s seed={seed} exceptions={exceptions}"));
        return exceptions;
    }

    private static int RandomInput(Random random, byte[] buffer, int maxLength)
    {
        int length = random.Next(0, maxLength + 1);
        random.NextBytes(buffer.AsSpan(0, length));
        if (random.Next(2) == 0)
        {
            // Salt with flags and escapes so short frames of every kind appear.
            for (int i = 4; i < length; i += 1 + random.Next(16))
            {
                buffer[i] = random.Next(3) switch { 0 => 0x7e, 1 => 0x7d, _ => (byte)random.Next(0x20) };
            }
        }

        return length;
    }

    private static int Mutate(Random random, byte[] seed, byte[] buffer, int maxLength)
    {
        int length = Math.Min(seed.Length, maxLength);
        seed.AsSpan(0, length).CopyTo(buffer);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && length > 0; e++)
        {
            int at = random.Next(length);
            switch (random.Next(6))
            {
                case 0: buffer[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: buffer[at] = 0x7e; break;
                case 2: buffer[at] = 0x7d; break;
                case 3: buffer[at] = (byte)random.Next(256); break;
                case 4: length = Math.Max(4, at); break; // cut
                default:
                    if (length < buffer.Length - 1)
                    {
                        // insert one octet
                        Array.Copy(buffer, at, buffer, at + 1, length - at);
                        buffer[at] = (byte)random.Next(256);
                        length++;
                    }

                    break;
            }
        }

        return length;
    }
}
