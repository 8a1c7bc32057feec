using System.Diagnostics.CodeAnalysis;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;

namespace Ppp.Core.Config;

/// <summary>
/// One line of ppp.secret: <c>name key [hisaddr [label [callback]]]</c>. <see cref="HisAddress"/>
/// (an address or a pool in <c>set ifaddr</c>'s hisaddr syntax) is what the peer gets once
/// authenticated, <see cref="Label"/> replaces the loaded label for ppp.linkup/ppp.linkdown, and
/// <see cref="Callback"/> is kept for callback support. The key is held for the secret store
/// only and never printed.
/// </summary>
public sealed class SecretEntry
{
    internal SecretEntry(string name, string key, string? hisAddress, string? label, string? callback, string file, int line)
    {
        Name = name;
        Key = key;
        HisAddress = hisAddress;
        Label = label;
        Callback = callback;
        File = file;
        Line = line;
    }

    public string Name { get; }

    internal string Key { get; }

    /// <summary>The hisaddr field; null when absent or <c>*</c>.</summary>
    public string? HisAddress { get; }

    /// <summary>The label field; null when absent or <c>*</c>.</summary>
    public string? Label { get; }

    public string? Callback { get; }

    public string File { get; }

    public int Line { get; }

    public override string ToString() =>
        $"{Name} ******** {HisAddress ?? "*"} {Label ?? "*"}{(Callback is null ? "" : " " + Callback)} ({File}:{Line})";
}

/// <summary>
/// ppp.secret (ppp(8) "Authentication of incoming connections"): one entry per line, fields
/// split and quoted as in ppp.conf, '#' comments. The first entry of a name wins. Errors name the
/// line and the field, never the key.
/// </summary>
public sealed class SecretsFile : ISecretStore
{
    private readonly Dictionary<string, SecretEntry> _byName;

    private SecretsFile(string path, IReadOnlyList<SecretEntry> entries, IReadOnlyList<ConfigError> errors)
    {
        Path = path;
        Entries = entries;
        Errors = errors;
        _byName = new Dictionary<string, SecretEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
            _byName.TryAdd(entry.Name, entry);
    }

    public string Path { get; }

    public IReadOnlyList<SecretEntry> Entries { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    public static SecretsFile Empty { get; } = new("(none)", [], []);

    /// <summary>Reads and parses <paramref name="path"/>; a file that cannot be read gives no entries and one error.</summary>
    public static SecretsFile Load(string path, Func<string, string?> readFile)
    {
        ArgumentNullException.ThrowIfNull(readFile);
        string? text = readFile(path);
        return text is null ? new SecretsFile(path, [], [new ConfigError(path, 0, "cannot be read")]) : Parse(path, text);
    }

    public static SecretsFile Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<SecretEntry>();
        var errors = new List<ConfigError>();
        foreach (var (number, line) in ConfigFile.LogicalLines(text))
        {
            var (words, error) = CommandLine.Split(line);
            if (error is not null)
            {
                errors.Add(new ConfigError(path, number, error));
                continue;
            }
            if (words.Count == 0)
                continue;
            if (words.Count < 2)
            {
                errors.Add(new ConfigError(path, number, $"\"{words[0]}\": no key (want: name key [hisaddr [label [callback]]])"));
                continue;
            }
            if (words.Count > 5)
            {
                errors.Add(new ConfigError(path, number, $"\"{words[0]}\": {words.Count} fields, at most 5 (name key [hisaddr [label [callback]]])"));
                continue;
            }
            if (words[1] == "*")
            {
                errors.Add(new ConfigError(path, number,
                    $"\"{words[0]}\": key \"*\" (look up in the passwd database, ppp(8) passwdauth) is not supported"));
                continue;
            }
            string? his = Field(words, 2);
            if (his is not null)
            {
                var (_, hisError) = IfAddr.Parse(["0.0.0.0", his]);
                if (hisError is not null)
                {
                    errors.Add(new ConfigError(path, number, $"\"{words[0]}\": {hisError}"));
                    continue;
                }
            }
            entries.Add(new SecretEntry(words[0], words[1], his, Field(words, 3), Field(words, 4), path, number));
        }
        return new SecretsFile(path, entries, errors);
    }

    private static string? Field(IReadOnlyList<string> words, int index) =>
        index < words.Count && words[index] != "*" && words[index].Length > 0 ? words[index] : null;

    public bool TryGetEntry(string name, [NotNullWhen(true)] out SecretEntry? entry) => _byName.TryGetValue(name, out entry);

    public bool TryGetSecret(string peerName, [NotNullWhen(true)] out string? secret)
    {
        if (_byName.TryGetValue(peerName, out var entry))
        {
            secret = entry.Key;
            return true;
        }
        secret = null;
        return false;
    }

    public override string ToString() => $"SecretsFile {{ {Path}, {Entries.Count} entries, keys not shown }}";
}
