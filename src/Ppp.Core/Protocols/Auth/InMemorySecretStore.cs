using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// Secrets held in memory, name to key: what ppp.secret parses into, and what the demo, tests
/// and fuzzing use directly. <see cref="ToString"/> names the entries, never the keys.
/// </summary>
public sealed class InMemorySecretStore : ISecretStore
{
    private readonly FrozenDictionary<string, string> _secrets;

    public InMemorySecretStore(IEnumerable<KeyValuePair<string, string>> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static InMemorySecretStore Empty { get; } = new([]);

    public bool TryGetSecret(string peerName, [NotNullWhen(true)] out string? secret) => _secrets.TryGetValue(peerName, out secret);

    public override string ToString() => $"InMemorySecretStore {{ {_secrets.Count} name(s), keys not shown }}";
}
