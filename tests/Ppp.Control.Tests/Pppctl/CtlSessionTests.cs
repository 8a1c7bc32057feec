using NUnit.Framework;
using Ppp.Ctl;

namespace Ppp.Control.Tests.Pppctl;

/// <summary>What pppctl says when the local socket it is given cannot be reached.</summary>
[TestFixture]
public sealed class CtlSessionTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("pppctl-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    [Test]
    public async Task RunAsync_LocalSocketMissing_SaysNoSuchSocket()
    {
        string path = Path.Combine(_dir.FullName, "does", "not", "exist");
        var (status, error) = await RunAsync(path);
        Assert.That(status, Is.EqualTo(Program.ExitConnection));
        Assert.That(error, Does.Contain($"pppctl: {path}: no such socket").And.Not.Contains("Cannot assign"));
    }

    [Test]
    public async Task RunAsync_LocalPathIsADirectory_SaysNotASocket()
    {
        var (status, error) = await RunAsync(_dir.FullName + "/");
        Assert.That(status, Is.EqualTo(Program.ExitConnection));
        Assert.That(error, Does.Contain("not a socket"));
    }

    private static async Task<(int Status, string Error)> RunAsync(string path)
    {
        var (options, parseError) = CtlOptions.Parse(["-t", "1", path, "show", "version"]);
        Assert.That(parseError, Is.Null);
        var terminal = new BufferTerminal();
        int status = await new CtlSession(options!, terminal).RunAsync();
        return (status, terminal.Error.ToString()!);
    }

    private sealed class BufferTerminal : ICtlTerminal
    {
        public TextWriter Out { get; } = new StringWriter();

        public TextWriter Error { get; } = new StringWriter();

        public bool IsInteractive => false;

        public string? ReadPassword(string prompt) => null;

        public Task<string?> ReadLineAsync(string prompt, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }
}
