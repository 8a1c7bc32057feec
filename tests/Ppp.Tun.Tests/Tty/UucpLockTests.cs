using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Ppp.Tun.Tty;

namespace Ppp.Tun.Tests.Tty;

[TestFixture]
public sealed class UucpLockTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() =>
        _directory = Directory.CreateTempSubdirectory("uucplock-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private string LockFile => Path.Combine(_directory, "LCK..ttyUSB0");

    [Test]
    public void Acquire_FreeDevice_WritesTheHdbPidAndDisposeRemovesIt()
    {
        string expected = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId,10}\n");

        using (var held = UucpLock.Acquire("/dev/ttyUSB0", _directory))
        {
            Assert.That(held.LockPath, Is.EqualTo(LockFile));
            Assert.That(File.ReadAllText(LockFile), Is.EqualTo(expected));
            Assert.That(expected, Has.Length.EqualTo(11));
        }

        Assert.That(Directory.GetFiles(_directory), Is.Empty, "lock or temporary file left behind");
    }

    [TestCase("/dev/ttyUSB0", "LCK..ttyUSB0")]
    [TestCase("/dev/pts/3", "LCK..pts_3")]
    [TestCase("/dev/serial/by-id/usb-modem", "LCK..serial_by-id_usb-modem")]
    [TestCase("/tmp/devices/ttyS1", "LCK..ttyS1")]
    [TestCase("ttyS0", "LCK..ttyS0")]
    public void LockFileName_DevicePath_FollowsTheUucpConvention(string device, string expected) =>
        Assert.That(UucpLock.LockFileName(device), Is.EqualTo(expected));

    [Test]
    public void Acquire_HeldByALiveProcess_ThrowsNamingThePid()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            File.WriteAllBytes(LockFile, UucpLock.Content(sleeper.Id));

            var error = Assert.Throws<IOException>(() => UucpLock.Acquire("/dev/ttyUSB0", _directory));

            Assert.Multiple(() =>
            {
                Assert.That(error!.Message, Does.Contain($"device /dev/ttyUSB0 is locked by pid {sleeper.Id}"));
                Assert.That(UucpLock.ParsePid(File.ReadAllBytes(LockFile)), Is.EqualTo(sleeper.Id), "the holder's lock was touched");
            });
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Test]
    public void Acquire_AlreadyHeldInThisProcess_Throws()
    {
        using var first = UucpLock.Acquire("/dev/ttyUSB0", _directory);

        var error = Assert.Throws<IOException>(() => UucpLock.Acquire("/dev/ttyUSB0", _directory));

        Assert.That(error!.Message, Does.Contain($"locked by pid {Environment.ProcessId}"));
    }

    [Test]
    public void Acquire_LockOfAProcessThatIsGone_TakesItOverAndLogs()
    {
        int gone = ExitedPid();
        File.WriteAllBytes(LockFile, UucpLock.Content(gone));
        var logger = new ListLogger();

        using var held = UucpLock.Acquire("/dev/ttyUSB0", _directory, logger);

        Assert.Multiple(() =>
        {
            Assert.That(UucpLock.ParsePid(File.ReadAllBytes(LockFile)), Is.EqualTo(Environment.ProcessId));
            Assert.That(logger.Messages, Has.One.Contains("removing stale lock").And.Contains(gone.ToString(CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public void Acquire_BinaryLockOfAProcessThatIsGone_TakesItOver()
    {
        File.WriteAllBytes(LockFile, BitConverter.GetBytes(ExitedPid()));

        using var held = UucpLock.Acquire("/dev/ttyUSB0", _directory);

        Assert.That(UucpLock.ParsePid(File.ReadAllBytes(LockFile)), Is.EqualTo(Environment.ProcessId));
    }

    [TestCase("")]
    [TestCase("hello world\n")]
    [TestCase("         0\n")]
    [TestCase("-42\n")]
    [TestCase("99999999999999\n")]
    public void Acquire_GarbageLock_TakesItOver(string content)
    {
        File.WriteAllText(LockFile, content);
        var logger = new ListLogger();

        using var held = UucpLock.Acquire("/dev/ttyUSB0", _directory, logger);

        Assert.Multiple(() =>
        {
            Assert.That(UucpLock.ParsePid(File.ReadAllBytes(LockFile)), Is.EqualTo(Environment.ProcessId));
            Assert.That(logger.Messages, Has.One.Contains("removing stale lock"));
        });
    }

    [Test]
    public void Dispose_LockRewrittenBySomeoneElse_LeavesIt()
    {
        var held = UucpLock.Acquire("/dev/ttyUSB0", _directory);
        File.WriteAllBytes(LockFile, UucpLock.Content(1));

        held.Dispose();

        Assert.That(File.ReadAllText(LockFile), Is.EqualTo("         1\n"));
    }

    [Test]
    public void Dispose_LockAlreadyRemoved_DoesNotThrow()
    {
        var held = UucpLock.Acquire("/dev/ttyUSB0", _directory);
        File.Delete(LockFile);

        Assert.That(held.Dispose, Throws.Nothing);
    }

    [Test]
    public void Acquire_MissingLockDirectory_CreatesIt()
    {
        string nested = Path.Combine(_directory, "run", "lock");

        using var held = UucpLock.Acquire("/dev/pts/7", nested);

        Assert.That(File.Exists(Path.Combine(nested, "LCK..pts_7")), Is.True);
    }

    [TestCase("      1234\n", 1234)]
    [TestCase("1234", 1234)]
    [TestCase("  77  \r\n", 77)]
    [TestCase("12a4\n", null)]
    [TestCase("\n", null)]
    public void ParsePid_AsciiContent_ReadsThePid(string content, int? expected) =>
        Assert.That(UucpLock.ParsePid(Encoding.ASCII.GetBytes(content)), Is.EqualTo(expected));

    [Test]
    public void ParsePid_FourBinaryOctets_ReadsANativeInt() =>
        Assert.That(UucpLock.ParsePid(BitConverter.GetBytes(12345)), Is.EqualTo(12345));

    private static int ExitedPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
