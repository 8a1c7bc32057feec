using System.Globalization;
using System.Net;

namespace Ppp.Ctl;

/// <summary>
/// pppctl(8)'s command line: <c>pppctl [-v] [-t n] [-p passwd] Port|LocalSocket [command[;command]...]</c>.
/// A socket containing '/' is a Unix-domain path; otherwise it is <c>[host:]port</c> (host
/// 127.0.0.1 by default, <c>[v6]:port</c> for IPv6). The command words are joined with spaces
/// and split at ';' into commands.
/// </summary>
internal sealed record CtlOptions
{
    public const string Usage = "usage: pppctl [-v] [-t n] [-p passwd] Port|LocalSocket [command[;command]...]\n" +
        "       pppctl -h | --help\n" +
        "       pppctl --version";

    /// <summary><c>-h</c>, <c>-help</c>, <c>--help</c>: print the usage and exit 0.</summary>
    public bool Help { get; init; }

    /// <summary><c>--version</c>, <c>-version</c> (<c>-v</c> is verbose, as in pppctl(8)): print the version and exit 0.</summary>
    public bool Version { get; init; }

    public bool Verbose { get; init; }

    /// <summary>How long to wait for the connection and the first prompt (pppctl(8): 2 seconds).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    public string? Password { get; init; }

    /// <summary>A Unix-domain socket path, or null for TCP.</summary>
    public string? LocalPath { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; }

    /// <summary>Commands to run one after the other; empty means an interactive session.</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    public string Target => LocalPath ?? (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}");

    public static (CtlOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new CtlOptions();
        int i = 0;
        for (; i < args.Count && args[i].StartsWith('-') && args[i].Length > 1; i++)
        {
            string flag = args[i];
            if (flag == "--")
            {
                i++;
                break;
            }
            switch (flag)
            {
                case "-v":
                    options = options with { Verbose = true };
                    break;
                case "-h" or "-help" or "--help":
                    return (new CtlOptions { Help = true }, null);
                case "-version" or "--version":
                    return (new CtlOptions { Version = true }, null);
                case "-t":
                    if (++i == args.Count || !int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds < 1)
                        return (null, "pppctl: -t needs a number of seconds (1 or more)");
                    options = options with { Timeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case "-p":
                    if (++i == args.Count)
                        return (null, "pppctl: -p needs a password");
                    options = options with { Password = args[i] };
                    break;
                default:
                    return (null, $"pppctl: {flag}: unknown option");
            }
        }
        if (i == args.Count)
            return (null, "pppctl: missing Port or LocalSocket");
        var (withTarget, error) = ParseTarget(options, args[i]);
        if (withTarget is null)
            return (null, error);
        string text = string.Join(' ', args.Skip(i + 1));
        var commands = text.Split(';').Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        return (withTarget with { Commands = commands }, null);
    }

    private static (CtlOptions? Options, string? Error) ParseTarget(CtlOptions options, string word)
    {
        if (word.Contains('/', StringComparison.Ordinal))
            return (options with { LocalPath = word }, null);
        string host = options.Host;
        string portText = word;
        int colon = word.LastIndexOf(':');
        if (colon >= 0)
        {
            host = word[..colon];
            if (host.StartsWith('[') && host.EndsWith(']'))
                host = host[1..^1];
            portText = word[(colon + 1)..];
            if (host.Length == 0)
                return (null, $"pppctl: {word}: missing host before ':'");
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            return (null, $"pppctl: {word}: not a port (1-65535) or a socket path");
        return (options with { Host = host, Port = port }, null);
    }

    /// <summary>The host to connect to as an address, resolving a name if it is one.</summary>
    public async Task<IPAddress[]> ResolveHostAsync(CancellationToken cancellationToken) =>
        IPAddress.TryParse(Host, out var address) ? [address] : await Dns.GetHostAddressesAsync(Host, cancellationToken).ConfigureAwait(false);
}
