using NUnit.Framework;
using Ppp.Core.Config;

namespace Ppp.Core.Tests.Config;

[TestFixture]
public sealed class SecretsFileTests
{
    [Test]
    public void Parse_Fields_EntriesWithAddressAndLabel()
    {
        var file = SecretsFile.Parse("ppp.secret", "# comment\nalice \"pass word\" 10.0.0.5 lab 555\nbob key * other\ncarol k2\n\n");
        Assert.That(file.Errors, Is.Empty);
        Assert.That(file.TryGetEntry("alice", out var alice), Is.True);
        Assert.That((alice!.HisAddress, alice.Label, alice.Callback, alice.Line), Is.EqualTo(("10.0.0.5", "lab", "555", 2)));
        Assert.That(file.TryGetEntry("bob", out var bob), Is.True);
        Assert.That((bob!.HisAddress, bob.Label), Is.EqualTo(((string?)null, "other")));
        Assert.That(file.TryGetSecret("alice", out string? secret), Is.True);
        Assert.That(secret, Is.EqualTo("pass word"));
        Assert.That(file.TryGetSecret("dave", out _), Is.False);
    }

    [Test]
    public void Parse_DuplicateName_FirstWins()
    {
        var file = SecretsFile.Parse("ppp.secret", "a first\na second\n");
        Assert.That(file.TryGetSecret("a", out string? secret) ? secret : null, Is.EqualTo("first"));
    }

    [Test]
    public void Parse_Errors_NameLineNeverKey()
    {
        var file = SecretsFile.Parse("/etc/ppp/ppp.secret",
            "lonely\nx topsecret1 1 2 3 4\ny *\nz topsecret2 10.0.0.300\nw \"topsecret3\n");
        Assert.That(file.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "/etc/ppp/ppp.secret:1: \"lonely\": no key (want: name key [hisaddr [label [callback]]])",
            "/etc/ppp/ppp.secret:2: \"x\": 6 fields, at most 5 (name key [hisaddr [label [callback]]])",
            "/etc/ppp/ppp.secret:3: \"y\": key \"*\" (look up in the passwd database, ppp(8) passwdauth) is not supported",
            "/etc/ppp/ppp.secret:4: \"z\": hisaddr: \"10.0.0.300\" is not an IPv4 address (a.b.c.d[/nn])",
            "/etc/ppp/ppp.secret:5: unterminated quote (\")",
        }));
        Assert.That(string.Join('\n', file.Errors), Does.Not.Contain("topsecret"));
        Assert.That(file.Entries, Is.Empty);
    }

    [Test]
    public void ToString_NeverShowsKeys()
    {
        var file = SecretsFile.Parse("ppp.secret", "alice hunter2 10.0.0.5\n");
        Assert.That(file.ToString(), Does.Not.Contain("hunter2"));
        Assert.That(file.Entries[0].ToString(), Does.Not.Contain("hunter2").And.Contain("alice ********"));
    }

    [Test]
    public void Load_Unreadable_NoEntriesOneError()
    {
        var file = SecretsFile.Load("/etc/ppp/ppp.secret", _ => null);
        Assert.That((file.Entries.Count, file.Errors.Single().ToString()), Is.EqualTo((0, "/etc/ppp/ppp.secret: cannot be read")));
    }

    [Test]
    public void Parse_RandomText_NeverThrows()
    {
        var random = new Random(7);
        const string alphabet = "ab1.0-,* \t\n\\\"#";
        for (int i = 0; i < 3000; i++)
        {
            string text = new([.. Enumerable.Range(0, random.Next(50)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            Assert.DoesNotThrow(() => SecretsFile.Parse("s", text), text);
        }
    }

    [Test]
    public void Parse_PoolAsHisAddr_Accepted() =>
        Assert.That(SecretsFile.Parse("s", "a b 10.0.0.2-10.0.0.9\n").Errors, Is.Empty);
}
