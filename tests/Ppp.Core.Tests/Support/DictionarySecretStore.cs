using System.Diagnostics.CodeAnalysis;
using Ppp.Core.Protocols.Auth;

namespace Ppp.Core.Tests.Support;

/// <summary>An in-memory ppp.secret for tests.</summary>
public sealed class DictionarySecretStore(IReadOnlyDictionary<string, string> secrets) : ISecretStore
{
    public static DictionarySecretStore Empty { get; } = new(new Dictionary<string, string>());

    public bool TryGetSecret(string peerName, [NotNullWhen(true)] out string? secret) => secrets.TryGetValue(peerName, out secret);
}

/// <summary>A repeatable random source.</summary>
public sealed class SeededRandomSource(int seed) : Ppp.Core.Link.IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
}
