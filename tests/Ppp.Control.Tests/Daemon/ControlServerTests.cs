using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Control;
using Ppp.Daemon.Control;
using Ppp.Daemon.Runtime;

namespace Ppp.Control.Tests.Daemon;

/// <summary>
/// The server in-process over a real Unix-domain socket in a temporary folder, with an
/// interpreter that has no runtime (settings only) on a real link loop.
/// </summary>
[TestFixture]
public sealed class ControlServerTests
{
    private const string Password = "pw-123";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private DirectoryInfo _directory = null!;
    private LinkLoop _loop = null!;
    private ControlServer _server = null!;

    private string SocketPath => Path.Combine(_directory.FullName, "ctl.sock");

    private void Start(ControlServerOptions options, string password = Password, Ppp.Daemon.Logging.LogRouter? router = null)
    {
        _loop = new LinkLoop(NullLogger.Instance);
        var interpreter = new CommandInterpreter(new BundleSettings(), null, NullLoggerFactory.Instance);
        _server = new ControlServer(_loop, interpreter, NullLoggerFactory.Instance, options with { HostName = "test" });
        if (router is not null)
            _server.AttachLog = router.AttachSession;
        var (command, error) = ServerCommand.Parse([SocketPath, password]);
        Assert.That(error, Is.Null);
        var outcome = _loop.InvokeAsync(() => _server.Apply(command!)).Result;
        Assert.That(outcome.Error, Is.Null);
    }

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("uppp-ctl-");

    [TearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        if (_loop is not null)
            await _loop.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    [Test]
    public async Task Session_BeforePasswd_RunsOnlyPasswdQuitAndHelp()
    {
        Start(new ControlServerOptions());
        await using var client = await Client.ConnectAsync(SocketPath);
        Assert.That(await client.ReadUntilPromptAsync(), Is.EqualTo("ppp on test> "));

        string refused = await client.CommandAsync("show version");
        Assert.That(refused, Does.StartWith("Error: show: give the password first"));
        Assert.That(refused, Does.EndWith("ppp on test> "));

        string wrong = await client.CommandAsync("passwd nope");
        Assert.That(wrong, Is.EqualTo("Error: Invalid password\nppp on test> "));

        Assert.That(await client.CommandAsync($"passwd {Password}"), Is.EqualTo("ppp ON test> "));
        Assert.That(await client.CommandAsync("show version"), Does.StartWith("PPP Version").And.EndWith("ppp ON test> "));
    }

    [Test]
    public async Task Session_Authorised_GetsSetLogLocalLines()
    {
        using var router = new Ppp.Daemon.Logging.LogRouter(toStderr: false, filePath: null, toSyslog: false, ["Phase"]);
        router.SetLevels(["Phase"], ["Phase", "Warning", "Error", "Alert"]);
        Start(new ControlServerOptions(), router: router);
        await using var watcher = await Client.ConnectAsync(SocketPath);
        await watcher.ReadUntilPromptAsync();
        Assert.That(await watcher.CommandAsync($"passwd {Password}"), Is.EqualTo("ppp ON test> "));
        await using var stranger = await Client.ConnectAsync(SocketPath);
        Assert.That(await stranger.ReadUntilPromptAsync(), Is.EqualTo("ppp on test> "));

        router.CreateLogger("Phase").Log(LogLevel.Information, default(EventId), "bundle: Network", null, (text, _) => text);
        router.CreateLogger("LCP").Log(LogLevel.Information, default(EventId), "deflink: LayerUp", null, (text, _) => text);

        Assert.That(await watcher.ReadUntilAsync("\n"), Is.EqualTo("Phase: bundle: Network\n"), "the local levels reach an authorised session");
        Assert.That(await watcher.CommandAsync("show version"), Does.StartWith("PPP Version").And.EndWith("ppp ON test> "),
            "no LCP line (not a local level) came before the reply");
        Assert.That(await stranger.CommandAsync("show version"), Does.StartWith("Error: show: give the password first"),
            "a session without the password got no log line");
    }

    [Test]
    public async Task Session_EmptyPassword_IsAuthorisedAtOnce()
    {
        Start(new ControlServerOptions(), password: "");
        await using var client = await Client.ConnectAsync(SocketPath);
        Assert.That(await client.ReadUntilPromptAsync(), Is.EqualTo("ppp ON test> "));
    }

    [Test]
    public async Task Session_TooManyWrongPasswords_IsDropped()
    {
        Start(new ControlServerOptions { FailureDelay = TimeSpan.FromMilliseconds(1), MaxPasswordFailures = 2 });
        await using var client = await Client.ConnectAsync(SocketPath);
        await client.ReadUntilPromptAsync();
        await client.CommandAsync("passwd a");
        await client.SendAsync("passwd b");
        Assert.That(await client.ReadToEndAsync(), Does.Contain("Invalid password"));
    }

    [Test]
    public async Task Session_LineLongerThanTheLimit_IsDropped()
    {
        Start(new ControlServerOptions { MaxLineLength = 100 });
        await using var client = await Client.ConnectAsync(SocketPath);
        await client.ReadUntilPromptAsync();
        await client.SendRawAsync(new byte[1000]);
        Assert.That(await client.ReadToEndAsync(), Is.Empty);
    }

    [Test]
    public async Task Session_BinaryGarbage_GetsAnErrorAndTheSessionGoesOn()
    {
        Start(new ControlServerOptions(), password: "");
        await using var client = await Client.ConnectAsync(SocketPath);
        await client.ReadUntilPromptAsync();
        await client.SendRawAsync([0x00, 0xff, 0x1b, 0x80, (byte)'\n']);
        Assert.That(await client.ReadUntilPromptAsync(), Does.StartWith("Error: the line is not text"));
        Assert.That(await client.CommandAsync("show version"), Does.StartWith("PPP Version"));
    }

    [Test]
    public async Task Session_SilentBeforePasswd_IsDroppedAtTheLoginDeadline()
    {
        Start(new ControlServerOptions { LoginTimeout = TimeSpan.FromMilliseconds(200) });
        await using var client = await Client.ConnectAsync(SocketPath);
        await client.ReadUntilPromptAsync();
        Assert.That(await client.ReadToEndAsync(), Is.Empty);
    }

    [Test]
    public async Task Sessions_BeyondTheCap_AreToldAndClosed()
    {
        Start(new ControlServerOptions { MaxSessions = 2 });
        await using var first = await Client.ConnectAsync(SocketPath);
        await using var second = await Client.ConnectAsync(SocketPath);
        await first.ReadUntilPromptAsync();
        await second.ReadUntilPromptAsync();
        await using var third = await Client.ConnectAsync(SocketPath);
        Assert.That(await third.ReadToEndAsync(), Does.Contain("too many diagnostic-socket sessions (2)"));
        Assert.That(_server.Status!.Sessions, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Quit_EndsTheSessionOnly()
    {
        Start(new ControlServerOptions(), password: "");
        await using var client = await Client.ConnectAsync(SocketPath);
        await client.ReadUntilPromptAsync();
        await client.SendAsync("quit");
        Assert.That(await client.ReadToEndAsync(), Is.Empty);
        Assert.That(Poll(() => _server.Status!.Sessions.Count == 0), Is.True);
        Assert.That(_server.Status!.Listening, Is.True);
    }

    [Test]
    public async Task CloseSockets_DropsEverySessionAndRemovesTheFile()
    {
        Start(new ControlServerOptions(), password: "");
        await using var client = await Client.ConnectAsync(SocketPath);
        await client.ReadUntilPromptAsync();
        await _loop.InvokeAsync(_server.CloseSockets);
        Assert.That(await client.ReadToEndAsync(), Is.Empty);
        Assert.That(File.Exists(SocketPath), Is.False);
        Assert.That(_server.Status!.Listening, Is.False);

        await _loop.InvokeAsync(() => _server.Reopen());
        await using var again = await Client.ConnectAsync(SocketPath);
        Assert.That(await again.ReadUntilPromptAsync(), Is.EqualTo("ppp ON test> "));
    }

    [Test]
    public async Task Status_NeverHoldsThePassword()
    {
        Start(new ControlServerOptions());
        await using var client = await Client.ConnectAsync(SocketPath);
        await client.ReadUntilPromptAsync();
        var status = _server.Status!;
        Assert.That(status.HasPassword, Is.True);
        Assert.That(status.ToString(), Does.Not.Contain(Password));
        Assert.That(ControlCommands.DescribeServer(status), Does.Contain("password ********").And.Not.Contain(Password));
    }

    private static bool Poll(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(20);
        }
        return true;
    }

    /// <summary>A raw client: lines out, text back up to the prompt or the end.</summary>
    private sealed class Client : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly StringBuilder _text = new();

        private Client(Socket socket) => _socket = socket;

        public static async Task<Client> ConnectAsync(string path)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
            return new Client(socket);
        }

        public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

        public async Task SendRawAsync(byte[] bytes)
        {
            try
            {
                await _socket.SendAsync(bytes, SocketFlags.None);
            }
            catch (SocketException)
            {
                // The server may drop us while we write: the reply says what happened.
            }
        }

        public async Task<string> CommandAsync(string line)
        {
            await SendAsync(line);
            return await ReadUntilPromptAsync();
        }

        public async Task<string> ReadUntilPromptAsync()
        {
            using var timeout = new CancellationTokenSource(s_wait);
            while (!_text.ToString().EndsWith("> ", StringComparison.Ordinal))
            {
                if (!await ReceiveAsync(timeout.Token))
                    break;
            }
            string text = _text.ToString();
            _text.Clear();
            return text;
        }

        public async Task<string> ReadUntilAsync(string needle)
        {
            using var timeout = new CancellationTokenSource(s_wait);
            while (!_text.ToString().Contains(needle, StringComparison.Ordinal))
            {
                if (!await ReceiveAsync(timeout.Token))
                    break;
            }
            string text = _text.ToString();
            _text.Clear();
            return text;
        }

        public async Task<string> ReadToEndAsync()
        {
            using var timeout = new CancellationTokenSource(s_wait);
            while (await ReceiveAsync(timeout.Token))
            {
            }
            string text = _text.ToString();
            _text.Clear();
            return text;
        }

        private async Task<bool> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (SocketException)
            {
                return false;
            }
            _text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            return n > 0;
        }

        public ValueTask DisposeAsync()
        {
            _socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
