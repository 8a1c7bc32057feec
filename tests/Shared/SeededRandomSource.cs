namespace Ppp.Tests.Shared;

/// <summary>A repeatable random source.</summary>
internal sealed class SeededRandomSource(int seed) : Ppp.Core.Link.IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
}
