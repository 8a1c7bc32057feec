using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Wire;
using Ppp.Daemon.Runtime;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Runtime;

/// <summary>
/// Two links run as the daemon runs a line (<see cref="LinkDriver"/>: reader thread, writer
/// thread, one loop each, the real clock) over a simulated serial line.
/// </summary>
[TestFixture]
public sealed class LinkDriverTests
{
    private const ushort Ip = (ushort)PppProtocol.Ip;
    private const ushort Lcp = (ushort)PppProtocol.Lcp;
    private const byte EchoRequest = 9;
    private const byte EchoReply = 10;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The case end to end: 115,200 bit/s, A sends bulk IPv4 as fast as its queue
    /// takes it, B asks for an echo every 250 ms. Every Echo-Reply A sends must leave behind at
    /// most two data frames counted from the moment B's request reached A's line: the one being
    /// written, and one more if that write ended while A's loop was still turning the request
    /// into a reply (the reply is queued a moment after the request arrives). Before the
    /// priority lane, a reply could wait behind 48 KiB (32 frames, over 4 s).
    /// </summary>
    [Test]
    public async Task EchoReply_SlowLineUnderBulkTransfer_OvertakesTheQueuedData()
    {
        var (lineA, lineB) = TestLine.Pair(bytesPerSecond: 11_520);
        await using var loopA = new LinkLoop(NullLogger.Instance);
        await using var loopB = new LinkLoop(NullLogger.Instance);
        var sinkB = new CountingSink();
        var a = new LinkDriver(lineA, null, Options("10.0.0.1", "10.0.0.2", echo: TimeSpan.Zero), loopA, TimeProvider.System,
            new CountingSink(), NullLoggerFactory.Instance, SystemRandomSource.Instance, InMemorySecretStore.Empty);
        var b = new LinkDriver(lineB, null, Options("10.0.0.2", "10.0.0.1", echo: TimeSpan.FromMilliseconds(250)), loopB, TimeProvider.System,
            sinkB, NullLoggerFactory.Instance, SystemRandomSource.Instance, InMemorySecretStore.Empty);
        using var stop = new CancellationTokenSource();
        Task? bulk = null;
        try
        {
            loopA.Post(() => a.Start(_ => a.Link.LowerDown()));
            loopB.Post(() => b.Start(_ => b.Link.LowerDown()));
            Assert.That(await UntilAsync(async () => await IpcpOpened(loopA, a) && await IpcpOpened(loopB, b)), Is.True, "IPCP opened both ways");

            var packet = new byte[1500];
            new Random(3).NextBytes(packet);
            packet[0] = 0x45;
            long bulkStarted = Stopwatch.GetTimestamp();
            bulk = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested && a.Link.SendNetworkPacket(Ip, packet))
                {
                }
            });
            Assert.That(await UntilAsync(() => Task.FromResult(Replies(lineA, bulkStarted).Count >= 12)), Is.True,
                "A answers B's echoes while the bulk transfer runs");
            long dataWritten = a.Writer.DataFramesWritten;
            stop.Cancel();
            await a.DisposeAsync();
            await b.DisposeAsync();
            await bulk.WaitAsync(Wait);

            var requests = lineB.Writes.Where(w => w.Ended > bulkStarted && w.Frames.Any(IsEchoRequest)).Select(w => w.Ended).ToList();
            var writes = lineA.Writes;
            var delays = new List<double>();
            var ahead = new List<int>();
            foreach (long arrived in requests)
            {
                int reply = writes.ToList().FindIndex(w => w.Ended > arrived && w.Frames.Any(IsEchoReply));
                if (reply < 0)
                    continue; // the last request may have come after A stopped
                ahead.Add(writes.Take(reply).Where(w => w.Ended > arrived).Sum(w => w.Frames.Count(f => f.IsData))
                          + writes[reply].Frames.TakeWhile(f => !IsEchoReply(f)).Count(f => f.IsData));
                delays.Add(Stopwatch.GetElapsedTime(arrived, writes[reply].Ended).TotalMilliseconds);
            }
            TestContext.Out.WriteLine($"Echo-Request arrived -> Echo-Reply on the line, 11,520 bytes/s, bulk from the replying side: " +
                                      $"mean {delays.Average():0} ms, max {delays.Max():0} ms over {delays.Count} echoes; " +
                                      $"data frames ahead: [{string.Join(' ', ahead)}]; {dataWritten} data frames written, B got {sinkB.Count}");

            Assert.Multiple(() =>
            {
                Assert.That(ahead, Has.Count.GreaterThanOrEqualTo(10));
                // A reply overtakes the queue: one or two data frames ahead of it. One reply in the run
                // may wait out a stall of the loop's thread on a loaded machine (seen once in CI: 9
                // frames, 1 s, with a build running); more than one, or a median above one, is the queue.
                Assert.That(ahead.Count(n => n > 2), Is.LessThanOrEqualTo(1), "replies with more than two data frames ahead");
                Assert.That(ahead.Order().ElementAt(ahead.Count / 2), Is.LessThanOrEqualTo(1), "the median of data frames ahead");
                Assert.That(sinkB.Count, Is.GreaterThan(0), "the bulk data crossed the line");
            });
        }
        finally
        {
            stop.Cancel();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Test]
    public async Task StopWriterAsync_WriterStuckInAWrite_GivesUpAfterTheLimit()
    {
        var line = TestLine.Sink();
        line.Gate = new SemaphoreSlim(0);
        using var entered = new SemaphoreSlim(0);
        line.WriteEntered += () => entered.Release();
        await using var loop = new LinkLoop(NullLogger.Instance);
        var driver = new LinkDriver(line, null, Options("10.0.0.1", "10.0.0.2", TimeSpan.Zero), loop, TimeProvider.System,
            new CountingSink(), NullLoggerFactory.Instance, SystemRandomSource.Instance, InMemorySecretStore.Empty);
        await loop.InvokeAsync(() => driver.Start(_ => { }));
        Assert.That(entered.Wait(Wait), Is.True, "the Configure-Request's write is held on the line");

        bool stopped = await driver.StopWriterAsync();
        line.Gate.Release();
        await driver.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.False, "a write that never ends is not waited for beyond the limit");
            Assert.That(driver.Writer.Exited.Wait(Wait), Is.True, "once the write returns, the writer ends");
        });
    }

    /// <summary>
    /// <c>set log timer</c> through the daemon's log router: LCP's restart timer is logged when
    /// it starts and when it expires (the peer never answers); with the level off, nothing is.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public async Task TimerLevel_LcpRestartTimer_StartAndExpiryLoggedOnlyWhenOn(bool on)
    {
        string path = Path.Combine(Path.GetTempPath(), $"ppp-timer-{Environment.ProcessId}-{on}.log");
        File.Delete(path);
        try
        {
            string[] levels = on ? ["Timer", "Warning", "Error", "Alert"] : ["Phase", "Warning", "Error", "Alert"];
            using (var router = new Ppp.Daemon.Logging.LogRouter(toStderr: false, filePath: path, toSyslog: false, levels))
            using (var loggers = new Microsoft.Extensions.Logging.LoggerFactory([router], new Microsoft.Extensions.Logging.LoggerFilterOptions { MinLevel = Microsoft.Extensions.Logging.LogLevel.Trace }))
            {
                var line = TestLine.Sink();
                await using var loop = new LinkLoop(NullLogger.Instance);
                var options = Options("10.0.0.1", "10.0.0.2", TimeSpan.Zero);
                options = options with { LcpFsm = options.LcpFsm with { RestartTimeout = TimeSpan.FromMilliseconds(200) } };
                var driver = new LinkDriver(line, null, options, loop, TimeProvider.System,
                    new CountingSink(), loggers, SystemRandomSource.Instance, InMemorySecretStore.Empty);
                await loop.InvokeAsync(() => driver.Start(_ => { }));
                await Task.Delay(700);
                await driver.DisposeAsync();
            }
            string log = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            if (on)
                Assert.That(log, Does.Contain("Timer: LCP: deflink: restart timer started (0.2 s)").And.Contain("Timer: LCP: deflink: restart timer expired"), log);
            else
                Assert.That(log, Does.Not.Contain("Timer:"), log);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool IsEchoRequest(WrittenFrame f) => f.Protocol == Lcp && f.Code == EchoRequest;

    private static bool IsEchoReply(WrittenFrame f) => f.Protocol == Lcp && f.Code == EchoReply;

    private static List<LineWrite> Replies(TestLine line, long since) =>
        line.Writes.Where(w => w.Ended > since && w.Frames.Any(IsEchoReply)).ToList();

    private static Task<bool> IpcpOpened(LinkLoop loop, LinkDriver driver) =>
        loop.InvokeAsync(() => driver.Link.NetworkControlProtocols.All(f => f.State == FsmState.Opened));

    private static async Task<bool> UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(20);
        }
        return true;
    }

    private static PppLinkOptions Options(string local, string remote, TimeSpan echo) => new()
    {
        Lcp = new LcpConfig { EchoPeriod = echo },
        Auth = new AuthOptions { LocalName = local },
        NetworkProtocols =
        [
            new NetworkProtocolSpec(
                new IpcpHandler(new IpcpConfig { IfAddr = IfAddr.Parse([local, remote]).Value! }, NullLogger.Instance), Ip),
        ],
    };

    private sealed class CountingSink : INetworkPacketSink
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public void Deliver(ushort protocol, ReadOnlySpan<byte> packet) => Interlocked.Increment(ref _count);
    }
}
