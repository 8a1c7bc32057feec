using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using Ppp.Tun.Systemd;

namespace Ppp.Tun.Tests.Systemd;

[TestFixture]
public sealed class SdNotifyTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("sdnotify-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Notify_PathSocket_DeliversTheStateAsOneDatagram()
    {
        string path = Path.Combine(_directory, "notify");
        using Socket receiver = Bind(path);

        Assert.That(SdNotify.Notify("READY=1\nSTATUS=up", path), Is.True);

        Assert.That(Receive(receiver), Is.EqualTo("READY=1\nSTATUS=up"));
    }

    [Test]
    public void Notify_AbstractSocket_DeliversTheState()
    {
        string name = $"userppp-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        using Socket receiver = Bind("\0" + name);

        Assert.That(SdNotify.Notify("STOPPING=1", "@" + name), Is.True);

        Assert.That(Receive(receiver), Is.EqualTo("STOPPING=1"));
    }

    [Test]
    public void Ready_UnderNotifySocket_SendsReadyAndStatus()
    {
        string path = Path.Combine(_directory, "notify");
        using Socket receiver = Bind(path);
        string? saved = Environment.GetEnvironmentVariable(SdNotify.SocketVariable);
        Environment.SetEnvironmentVariable(SdNotify.SocketVariable, path);
        try
        {
            Assert.That(SdNotify.Ready("link up:\nppp0 10.0.0.1"), Is.True);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SdNotify.SocketVariable, saved);
        }

        Assert.That(Receive(receiver), Is.EqualTo("READY=1\nSTATUS=link up: ppp0 10.0.0.1"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("relative/path")]
    [TestCase("vsock:2:1234")]
    [TestCase("@")]
    public void Notify_NoUsableSocket_ReturnsFalse(string? socket) =>
        Assert.That(SdNotify.Notify("READY=1", socket), Is.False);

    [Test]
    public void Notify_NobodyListens_ReturnsFalseWithoutThrowing() =>
        Assert.That(SdNotify.Notify("READY=1", Path.Combine(_directory, "nobody")), Is.False);

    [Test]
    public void Notify_PathLongerThanSockaddr_ReturnsFalse() =>
        Assert.That(SdNotify.Notify("READY=1", "/" + new string('x', 200)), Is.False);

    [Test]
    public void StateHelpers_Spell_TheSdNotifyKeys()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SdNotify.ReadyState("ok"), Is.EqualTo("READY=1\nSTATUS=ok"));
            Assert.That(SdNotify.StatusState("a\r\nb"), Is.EqualTo("STATUS=a b"));
            Assert.That(SdNotify.StoppingState, Is.EqualTo("STOPPING=1"));
            Assert.That(SdNotify.WatchdogState, Is.EqualTo("WATCHDOG=1"));
        });
    }

    [TestCase("30000000", null, 30.0)]
    [TestCase("30000000", "4242", 30.0)]
    [TestCase("500000", "", 0.5)]
    public void ParseWatchdog_ForThisProcess_GivesTheInterval(string usec, string? pid, double seconds) =>
        Assert.That(SdNotify.ParseWatchdog(usec, pid, 4242), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase(null, null)]
    [TestCase("0", null)]
    [TestCase("-5", null)]
    [TestCase("soon", null)]
    [TestCase("30000000", "1")]
    [TestCase("30000000", "x")]
    public void ParseWatchdog_NotForThisProcess_IsNull(string? usec, string? pid) =>
        Assert.That(SdNotify.ParseWatchdog(usec, pid, 4242), Is.Null);

    private static Socket Bind(string address)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(address));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    private static string Receive(Socket socket)
    {
        byte[] buffer = new byte[4096];
        int n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
