using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Ppp.Chat;
using Ppp.Core.Commands;
using Ppp.Core.Config;

namespace Ppp.Fuzz;

/// <summary>What one target's run found.</summary>
internal sealed record FuzzReport(string Target, long Inputs, long Accepted, long Rejected, long Exceptions, long BadRejections, IReadOnlyList<string> Samples)
{
    public bool Clean => Exceptions == 0 && BadRejections == 0;

    public override string ToString() =>
        $"{Target}: {Inputs} inputs, {Accepted} accepted, {Rejected} rejected, {Exceptions} unhandled exceptions, {BadRejections} rejections without file:line or command error";
}

/// <summary>
/// Random and mutated inputs for every text parser a user or peer can feed: ppp.conf (with
/// <c>!include</c>), ppp.secret, ppp.linkup/ppp.linkdown, chat scripts, and command lines from
/// the diagnostic socket. Each input is either random printable text, or a seed (the sample
/// configuration, commands of the table) mutated by byte flips, insertions and deletions,
/// splices of grammar tokens, truncations and duplications. An input passes when the parser
/// returns without an exception and every rejection names <c>file:line</c> (files) or is a
/// one-line command error (the socket). Deterministic for a seed.
/// </summary>
internal sealed partial class Fuzzer(int seed)
{
    public const string ConfPath = "/etc/ppp/ppp.conf";
    public const string IncludePath = "/etc/ppp/inc.conf";
    public const string SecretPath = "/etc/ppp/ppp.secret";
    public const string LinkUpPath = "/etc/ppp/ppp.linkup";

    public static IReadOnlyList<string> Targets { get; } = ["conf", "secret", "linkup", "chat", "socket"];

    private static readonly string[] s_tokens =
    [
        "\n", "\n ", "\t", " ", ":", "\"", "\\", "\\\"", "\\\\", "#", "!include ", "!include inc.conf\n", "!include ~/x\n",
        "$", "${", "}", "$HOME", "${HOME}", "~", "~root/", "default:", "isp:\n", "MYADDR:\n", "set ", "enable ", "disable ",
        "accept ", "deny ", "add ", "delete ", "load ", "dial ", "set device ", "set ifaddr ", "10.0.0.1", "10.0.0.2-10.0.0.9",
        "0.0.0.0/0", "HISADDR", "MYADDR", "default", "set log ", "tcp/ip", "set mru ", "99999", "-1", "0x", "ABORT ", "TIMEOUT ",
        "\"\" ", "ATDT\\T ", "CONNECT ", "\\c", "\\d", "\\P", "\\U", "-", "--", "!", "!bg ", "set server ", "passwd ", "quit",
        "show ", "help", "?", "set dial ", "set login ", "*", "\r", "\u00e9", "\u0000", "\u007f", new string('a', 300), "\"unterminated",
    ];

    private readonly Random _random = new(seed);
    private readonly string[] _confSeeds = Seeds("ppp.conf", "default:\n set log Phase\n set device /dev/ttyS0\nisp:\n set ifaddr 10.0.0.1 10.0.0.2\n load default\n");
    private readonly string[] _secretSeeds = Seeds("ppp.secret", "alice \"s3cret\" 10.0.0.5 dialin\nbob key * *\n");
    private readonly string[] _linkUpSeeds = Seeds("ppp.linkup", "MYADDR:\n add default HISADDR\nisp:\n !bg echo LABEL\n");
    private readonly string[] _chatSeeds =
    [
        "ABORT BUSY TIMEOUT 5 \"\" ATZ OK-AT-OK ATDT\\T CONNECT \\c",
        "\"\" AT OK ATDT123 CONNECT",
        "TIMEOUT 30 ogin:--ogin: \\U word: \\P \"$ \" ppp",
        "SAY \"dialling\\n\" \"\" ATD\\T CONNECT \\d\\c",
    ];
    private readonly string[] _commandSeeds =
    [
        "show ipcp", "set mru 1500", "set ifaddr 10.0.0.1/24 10.0.0.2", "enable chap mschapv2", "add 10.1.0.0/16 HISADDR",
        "set log +tcp/ip -lcp", "set log local phase", "load isp", "set device /dev/ttyS0 host:3000/tcp", "passwd x",
        "set dial \"ABORT BUSY \\\"\\\" ATDT\\\\T CONNECT\"", "!bg echo HISADDR", "set server /run/ppp.sock \"\" 0177", "help set",
        "set openmode active 0", "set redial 10+5-3.2 4", "iface add 10.0.0.9/32 10.0.0.10", "set speed 115200", "quit",
    ];

    public FuzzReport Run(string target, long count)
    {
        long accepted = 0, rejected = 0, exceptions = 0, bad = 0;
        var samples = new List<string>();
        for (long i = 0; i < count; i++)
        {
            string input = target switch
            {
                "conf" => Input(_confSeeds),
                "secret" => Input(_secretSeeds),
                "linkup" => Input(_linkUpSeeds),
                "chat" => Input(_chatSeeds),
                "socket" => Line(Input(_commandSeeds)),
                _ => throw new ArgumentException($"unknown target {target}; targets: {string.Join(", ", Targets)}", nameof(target)),
            };
            try
            {
                var errors = Check(target, input);
                if (errors.Count == 0)
                {
                    accepted++;
                    continue;
                }
                rejected++;
                foreach (string error in errors)
                {
                    if (!WellFormed(target, error))
                    {
                        bad++;
                        if (samples.Count < 10)
                            samples.Add($"bad rejection \"{error}\" for input {Escape(input)}");
                        break;
                    }
                }
            }
#pragma warning disable CA1031 // the point is to catch whatever the parser throws
            catch (Exception ex)
#pragma warning restore CA1031
            {
                exceptions++;
                if (samples.Count < 10)
                    samples.Add($"{ex.GetType().Name}: {ex.Message} for input {Escape(input)}");
            }
        }
        return new FuzzReport(target, count, accepted, rejected, exceptions, bad, samples);
    }

    /// <summary>Runs one input through the target's parser (and the interpreter); the problems it reported.</summary>
    private static List<string> Check(string target, string input)
    {
        switch (target)
        {
            case "conf":
            {
                // ppp.conf includes inc.conf, which is the input's second half: both files are fuzzed.
                int half = input.Length / 2;
                var files = new Dictionary<string, string> { [ConfPath] = input[..half] + "\n!include inc.conf\n", [IncludePath] = input[half..] };
                var interpreter = Interpreter(files);
                return [.. interpreter.LoadSystem(["isp", "default"], TextWriter.Null)];
            }
            case "secret":
                return [.. SecretsFile.Parse(SecretPath, input).Errors.Select(e => e.ToString())];
            case "linkup":
            {
                var file = ConfigFile.Parse(LinkUpPath, input, _ => null);
                var errors = file.Errors.Select(e => e.ToString()).ToList();
                var interpreter = Interpreter([]);
                foreach (var section in file.Sections)
                {
                    foreach (var line in section.Lines)
                    {
                        var result = interpreter.Execute(line.Text, CommandOrigin.File(line.File, line.Line), TextWriter.Null);
                        if (!result.Success)
                            errors.Add(result.Error!);
                    }
                }
                return errors;
            }
            case "chat":
                return ChatScript.TryParse(input, out _, out string? chatError) ? [] : [chatError];
            default:
            {
                var result = Interpreter([]).Execute(input, CommandOrigin.Socket, TextWriter.Null);
                return result.Success ? [] : [result.Error ?? ""];
            }
        }
    }

    private static CommandInterpreter Interpreter(Dictionary<string, string> files) =>
        new(new BundleSettings(), null, NullLoggerFactory.Instance, new CommandInterpreterOptions
        {
            ConfigPath = ConfPath,
            ReadFile = path => files.GetValueOrDefault(path),
            CheckChatScript = text => ChatScript.TryParse(text, out _, out string? error) ? null : error,
            Expansion = new WordExpansion(name => name == "HOME" ? "/home/fuzz" : null, user => user is null or "root" ? "/root" : null),
        });

    /// <summary>A rejection names where: "path:line: ..." or "path: ..." for files; a non-empty message for a command or chat script.</summary>
    private static bool WellFormed(string target, string error)
    {
        if (error.Length == 0)
            return false;
        return target switch
        {
            "conf" or "secret" or "linkup" => error.Split('\n').All(l => FileError().IsMatch(l) || CommandLineLabel().IsMatch(l)),
            _ => true,
        };
    }

    [GeneratedRegex(@"^/etc/ppp/(ppp\.conf|inc\.conf|ppp\.secret|ppp\.linkup|\S+)(:\d+)?: \S")]
    private static partial Regex FileError();

    // A label named on the command line has no line: the message names the file.
    [GeneratedRegex(@"^ppp: label ""[^""]*"" not found in /etc/ppp/ppp\.conf")]
    private static partial Regex CommandLineLabel();

    private string Input(string[] seeds) => _random.Next(4) == 0 ? RandomText() : Mutate(seeds[_random.Next(seeds.Length)]);

    private static string Line(string text) => text.Replace('\n', ' ');

    private string RandomText()
    {
        int length = _random.Next(200);
        var builder = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            builder.Append(_random.Next(10) switch
            {
                0 => s_tokens[_random.Next(s_tokens.Length)],
                1 => ((char)_random.Next(0x20, 0x7f)).ToString(),
                2 => ((char)_random.Next(0, 0x100)).ToString(),
                _ => ((char)_random.Next(0x20, 0x7f)).ToString(),
            });
        }
        return builder.ToString();
    }

    private string Mutate(string seed)
    {
        var text = new StringBuilder(seed);
        int mutations = 1 + _random.Next(8);
        for (int m = 0; m < mutations; m++)
        {
            int at = text.Length == 0 ? 0 : _random.Next(text.Length);
            switch (_random.Next(6))
            {
                case 0 when text.Length > 0:
                    text[at] = (char)(text[at] ^ (1 << _random.Next(7)));
                    break;
                case 1:
                    text.Insert(at, s_tokens[_random.Next(s_tokens.Length)]);
                    break;
                case 2 when text.Length > 0:
                    text.Remove(at, Math.Min(text.Length - at, 1 + _random.Next(10)));
                    break;
                case 3:
                    text.Insert(at, (char)_random.Next(0, 0x80));
                    break;
                case 4 when text.Length > 0:
                    text.Length = at;
                    break;
                case 5 when text.Length > 0 && text.Length < 4000:
                    string part = text.ToString(at, Math.Min(text.Length - at, 40));
                    text.Insert(_random.Next(text.Length), part);
                    break;
                default:
                    text.Append(s_tokens[_random.Next(s_tokens.Length)]);
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>The sample configuration file (conf/ in the repository) when found, else a built-in seed.</summary>
    private static string[] Seeds(string name, string builtIn)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "conf", name);
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "UserPpp.sln")))
                return [builtIn, File.ReadAllText(path)];
        }
        return [builtIn];
    }

    private static string Escape(string input)
    {
        string shown = input.Length > 300 ? input[..300] + "..." : input;
        var builder = new StringBuilder("\"");
        foreach (char c in shown)
            builder.Append(c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c == '"' ? "\\\"" : c.ToString());
        return builder.Append('"').ToString();
    }
}
