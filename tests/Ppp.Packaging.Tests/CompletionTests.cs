using System.Net.Sockets;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Daemon.Daemon;

namespace Ppp.Packaging.Tests;

/// <summary>
/// packaging/bash-completion: the word lists against ppp's command table and options (so they
/// cannot drift), and the functions run under bash as completion would run them, COMPREPLY read
/// back for a few command lines.
/// </summary>
[TestFixture]
public sealed partial class CompletionTests
{
    private static readonly string s_ppp = Repository.File("packaging", "bash-completion", "ppp");
    private static readonly string s_pppctl = Repository.File("packaging", "bash-completion", "pppctl");
    private static readonly CommandTable s_root = CommandTables.BuildRoot();
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("uppp-completion-");

    [TearDown]
    public void RemoveDirectory() => _dir.Delete(recursive: true);

    /// <summary>The words of <c>NAME="..."</c> in a completion file.</summary>
    private static SortedSet<string> List(string file, string name)
    {
        var match = Regex.Match(File.ReadAllText(file), $"^{Regex.Escape(name)}=\"([^\"]*)\"$", RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"{file} defines no {name}");
        return new SortedSet<string>(match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
    }

    /// <summary>Implemented names and aliases that are plain words (not "!" or "?").</summary>
    private static SortedSet<string> Words(IEnumerable<CommandSpec> specs) =>
        new(specs.Where(s => s.NotImplemented is null).SelectMany(s => s.Names).Where(n => WordRegex().IsMatch(n)), StringComparer.Ordinal);

    private static CommandTable Sub(string name) => s_root.Commands.Single(c => c.Name == name).Table!;

    [Test]
    public void PppctlLists_AreTheCommandTablesWords()
    {
        Assert.Multiple(() =>
        {
            Assert.That(List(s_pppctl, "_userppp_pppctl_commands"), Is.EqualTo(Words(s_root.Commands)), "top level");
            foreach (string table in new[] { "set", "show", "iface", "resolv" })
                Assert.That(List(s_pppctl, $"_userppp_pppctl_{table}"), Is.EqualTo(Words(Sub(table).Commands)), table);
            var options = NegotiationOptions.All.Where(o => o.NotImplemented is null).SelectMany(o => (string[])[o.Name, .. o.Aliases]);
            Assert.That(List(s_pppctl, "_userppp_pppctl_options"), Is.EqualTo(new SortedSet<string>(options, StringComparer.Ordinal)), "options");
        });
    }

    [Test]
    public void PppOptions_AreTheOptionsPppAccepts()
    {
        var listed = List(s_ppp, "_userppp_ppp_options");
        var usage = new SortedSet<string>(OptionRegex().Matches(DaemonOptions.Usage).Select(m => m.Value), StringComparer.Ordinal)
        {
            "-unit", // written -unitN in the usage
        };
        usage.Remove("-unitN");
        usage.Remove("-nat"); // in the usage, as ppp(8) has it, but refused
        Assert.That(listed, Is.EqualTo(usage));
        foreach (string option in listed.Where(o => o != "-demo"))
        {
            var (parsed, error) = DaemonOptions.Parse([option == "-unit" ? "-unit0" : option]);
            Assert.That(parsed, Is.Not.Null, $"{option}: {error}");
        }
    }

    /// <summary>Runs the completion function for <paramref name="words"/> (the last one being completed) and returns COMPREPLY.</summary>
    private List<string> Complete(string file, string function, params string[] words)
    {
        const string script = """
            export PPP_CONFDIR=$1; source "$2"; f=$3; shift 3
            COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            "$f" 2>/dev/null
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        ProcessResult result = ProcessRunner.Run("/bin/bash", ["-c", script, "bash", _dir.FullName, file, function, .. words], TimeSpan.FromSeconds(30));
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        Assert.That(result.StdErr, Is.Empty, result.Describe());
        return [.. result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    private List<string> Ppp(params string[] words) => Complete(s_ppp, "_userppp_ppp", ["ppp", .. words]);

    private List<string> Pppctl(params string[] words) => Complete(s_pppctl, "_userppp_pppctl", ["pppctl", .. words]);

    private void WriteConf(string text, string? included = null)
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "ppp.conf"), text);
        if (included is not null)
            File.WriteAllText(Path.Combine(_dir.FullName, "extra.conf"), included);
    }

    [Test]
    public void Ppp_Labels_ComeFromPppConfAndItsIncludesWithoutDefault()
    {
        WriteConf("""
            # comment: not a label
            default:
             set log Phase
            tcp-client:   # a comment after the label
             set device 10.0.0.1:3000/tcp
            tcp-server:
             set timeout 0
             !include extra.conf
            cellular:
            """, """
            vendor:
             set speed 115200
            """);
        Assert.That(Ppp("t"), Is.EqualTo(new[] { "tcp-client", "tcp-server" }));
        Assert.That(Ppp(""), Is.EqualTo(new[] { "cellular", "tcp-client", "tcp-server", "vendor" }));
        Assert.That(Ppp("-check", "c"), Is.EqualTo(new[] { "cellular" }));
    }

    [Test]
    public void Ppp_NoReadableConf_OffersNoLabels() => Assert.That(Ppp(""), Is.Empty);

    [Test]
    public void Ppp_Options_AndTheDemosAuthentication()
    {
        Assert.That(Ppp("-d"), Is.EqualTo(new[] { "-ddial", "-dedicated", "-demo", "-direct" }));
        Assert.That(Ppp("-f"), Is.EqualTo(new[] { "-foreground" }));
        Assert.That(Ppp("-demo", "m"), Is.EqualTo(new[] { "mschapv2" }));
    }

    [Test]
    public void Pppctl_Options_ThenNothingForTheirValues()
    {
        Assert.That(Pppctl("-"), Is.EqualTo(new[] { "-p", "-t", "-v" }));
        Assert.That(Pppctl("-p", ""), Is.Empty);
        Assert.That(Pppctl("-t", ""), Is.Empty);
    }

    [Test]
    public void Pppctl_Targets_ArePppConfsServersThatExistAndSocketFiles()
    {
        string sockets = Directory.CreateDirectory(Path.Combine(_dir.FullName, "run")).FullName;
        using var live = Listen(Path.Combine(sockets, "ppp0.sock"));
        File.WriteAllText(Path.Combine(sockets, "not-a-socket"), "");
        WriteConf($"""
            default:
             set server 3000 pw
            other:
             set socket {sockets}/ppp%d.sock ""
            third:
             set server {sockets}/gone.sock ""
             set server 127.0.0.1:+4000 pw
            """);
        var targets = Pppctl("");
        Assert.That(targets, Does.Contain("3000").And.Contain($"{sockets}/ppp0.sock"));
        Assert.That(targets, Has.Some.Match("^40[0-9][0-9]$"), "+4000 plus the unit of a running daemon (0 when none runs)");
        Assert.That(targets, Has.None.Contain("gone"));
        Assert.That(Pppctl($"{sockets}/"), Is.EqualTo(new[] { $"{sockets}/ppp0.sock" }), "only sockets, by path");
        Assert.That(Pppctl($"{_dir.FullName}/r"), Is.EqualTo(new[] { $"{sockets}/" }), "directories lead on");
    }

    private static Socket Listen(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(1);
        return socket;
    }

    [Test]
    public void Pppctl_CommandWords_FollowTheTable()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Pppctl("3000", "sh"), Is.EqualTo(new[] { "sh", "shell", "show" }));
            Assert.That(Pppctl("-p", "pw", "3000", "set", "me"), Is.EqualTo(new[] { "metrics" }));
            Assert.That(Pppctl("3000", "show", "ipcp;", "show", "st"), Is.EqualTo(new[] { "status", "stopped" }), "a new command after ';'");
            Assert.That(Pppctl("3000", "enable", "echo", "d"), Is.EqualTo(new[] { "dns" }), "every word after enable is an option");
            Assert.That(Pppctl("3000", "iface", "d"), Is.EqualTo(new[] { "delete", "description" }));
            Assert.That(Pppctl("3000", "show", "ipcp", ""), Is.Empty, "show takes one topic");
            Assert.That(Pppctl("/run/ppp0.sock", "resolv", "re"), Is.EqualTo(new[] { "readonly", "reload", "restore", "rewrite" }));
        });
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"-[a-zN]+")]
    private static partial Regex OptionRegex();
}
