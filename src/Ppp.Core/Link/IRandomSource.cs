using System.Security.Cryptography;

namespace Ppp.Core.Link;

/// <summary>Randomness for magic numbers, CHAP challenges and identifiers; tests inject their own.</summary>
public interface IRandomSource
{
    void Fill(Span<byte> destination);
}

/// <summary>The operating system's cryptographic generator.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public static SystemRandomSource Instance { get; } = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
