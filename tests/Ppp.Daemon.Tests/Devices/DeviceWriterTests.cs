using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Link;
using Ppp.Core.Wire;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Devices;

/// <summary>
/// The device writer's lanes and bounds, who writes the line, and the priority of control
/// frames over queued data. Cases either run single-threaded (the test thread is the line's
/// holder, <see cref="DeviceWriter.WriteNext"/>) or hold a write on the line's gate while they
/// queue, so what is asserted is order, never timing.
/// </summary>
[TestFixture]
public sealed class DeviceWriterTests
{
    private const ushort Ip = (ushort)PppProtocol.Ip;
    private const ushort Lcp = (ushort)PppProtocol.Lcp;
    private const ushort Ipcp = (ushort)PppProtocol.Ipcp;
    private const byte EchoReply = 10;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void TrySendControl_LaneFull_DropsWithoutBlocking()
    {
        var writer = new DeviceWriter(TestLine.Sink(), NullLogger.Instance);

        var accepted = Enumerable.Range(0, DeviceWriter.ControlLaneFrames).Select(i => writer.TrySendControl(Lcp, Echo(i))).ToList();
        bool overflow = writer.TrySendControl(Lcp, Echo(99));

        Assert.Multiple(() =>
        {
            Assert.That(accepted, Is.All.True);
            Assert.That(overflow, Is.False);
        });
    }

    [Test]
    public void IsStalled_WriteBlockedPastTheLimit_TrueUntilTheWriteReturns()
    {
        var clock = new ManualTimeProvider();
        var line = TestLine.Sink();
        line.Gate = new SemaphoreSlim(0);
        var entered = new SemaphoreSlim(0);
        line.WriteEntered += () => entered.Release();
        var writer = new DeviceWriter(line, NullLogger.Instance, clock);
        writer.Start();
        bool idle = writer.IsStalled(TimeSpan.FromMilliseconds(500));

        writer.TrySendControl(Lcp, Echo(0));
        Assert.That(entered.Wait(Wait), Is.True, "the writer thread is in its write");
        clock.Advance(TimeSpan.FromMilliseconds(400));
        bool early = writer.IsStalled(TimeSpan.FromMilliseconds(500));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        bool stalled = writer.IsStalled(TimeSpan.FromMilliseconds(500));
        line.Gate.Release(1000);
        bool released = Poll.Until(() => !writer.IsStalled(TimeSpan.FromMilliseconds(500)), Wait);
        writer.Stop();

        Assert.That((idle, early, stalled, released), Is.EqualTo((false, false, true, true)));
    }

    [TestCase(1500, DeviceWriter.DataLaneFrames, TestName = "SendData_LaneFullOfSmallPacketsLineHeldElsewhere_BlocksAtTheFrameBoundUntilRoomIsMade")]
    [TestCase(4000, DeviceWriter.DataLaneBytes / 4000, TestName = "SendData_LaneFullOfLargePacketsLineHeldElsewhere_BlocksAtTheByteBoundUntilRoomIsMade")]
    public void SendData_LaneFullLineHeldElsewhere_BlocksTheProducerUntilRoomIsMade(int size, int fits)
    {
        var (line, writer, entered) = HeldLine();
        writer.Start();
        writer.TrySendControl(Lcp, Echo(0));
        Assert.That(entered.Wait(Wait), Is.True, "the writer thread holds the line, in a write");
        for (int i = 0; i < fits; i++)
            Assert.That(writer.SendData(Ip, Packet(size, i)), Is.True);

        var blocked = Task.Run(() => writer.SendData(Ip, Packet(size, fits)));
        bool finishedEarly = blocked.Wait(TimeSpan.FromMilliseconds(300));
        line.Gate!.Release(1000);

        Assert.Multiple(() =>
        {
            Assert.That(finishedEarly, Is.False, "the producer must wait while the lane is full and another thread writes");
            Assert.That(blocked.Wait(Wait), Is.True, "room made by the writer's writes lets it in");
            Assert.That(blocked.Result, Is.True);
        });
        writer.Stop();
    }

    [Test]
    public void SendData_LineFree_TheProducerWritesItsBurstItself()
    {
        var line = TestLine.Sink();
        var writer = new DeviceWriter(line, NullLogger.Instance);
        writer.Start();
        int producer = Environment.CurrentManagedThreadId;
        int? writingThread = null;
        line.WriteEntered += () => writingThread ??= Environment.CurrentManagedThreadId;

        writer.SendData(Ip, Packet(200, 1));
        writer.SendData(Ip, Packet(200, 2));
        int beforeFlush = line.Writes.Count;
        writer.FlushData();

        Assert.Multiple(() =>
        {
            Assert.That(beforeFlush, Is.Zero, "a burst under a quantum waits for its end");
            Assert.That(writingThread, Is.EqualTo(producer), "no hand-over to the writer thread on the data path");
            Assert.That(line.Writes, Has.Count.EqualTo(1));
            Assert.That(line.Writes[0].Frames, Has.Count.EqualTo(2));
        });
        writer.Stop();
    }

    [Test]
    public void SendData_BurstReachesAQuantum_WrittenWithoutWaitingForTheFlush()
    {
        var line = TestLine.Sink();
        var writer = new DeviceWriter(line, NullLogger.Instance);

        for (int i = 0; i < 3; i++)
            writer.SendData(Ip, Packet(600, i)); // 1800 octets: over the first quantum of 1500

        Assert.That(line.Writes.Select(w => w.Frames.Count), Is.EqualTo(new[] { 2, 1 }), "whole frames within the quantum");
    }

    [Test]
    public void Writes_ControlQueuedBetweenData_ControlFirstAndEachLaneInOrder()
    {
        var (line, writer, entered) = HeldLine();
        writer.Start();
        writer.TrySendControl(Lcp, [1, 1, 0, 4]); // a Configure-Request: the writer thread takes the line
        Assert.That(entered.Wait(Wait), Is.True);
        writer.SendData(Ip, Packet(1500, 1));
        writer.TrySendControl(Ipcp, [1, 7, 0, 4]);
        writer.SendData(Ip, Packet(1500, 2));
        writer.TrySendControl(Lcp, Echo(8));
        writer.SendData(Ip, Packet(1500, 3));

        line.Gate!.Release(1000);
        Assert.That(() => line.Writes.Sum(w => w.Frames.Count), Is.EqualTo(6).After((int)Wait.TotalMilliseconds, 10));
        writer.Stop();

        var frames = line.Writes.SelectMany(w => w.Frames).ToList();
        Assert.That(frames.Select(f => (f.Protocol, f.Code)), Is.EqualTo(new[]
        {
            (Lcp, (byte)1), (Ipcp, (byte)1), (Lcp, EchoReply), (Ip, (byte)0), (Ip, (byte)0), (Ip, (byte)0),
        }));
        Assert.That(line.Writes.Max(w => w.Frames.Count(f => f.IsData)), Is.EqualTo(1), "one full-size data frame a write");
    }

    [Test]
    public void Writes_ControlQueuedDuringTheProducersWrite_NextWriteAheadOfQueuedData()
    {
        var (line, writer, entered) = HeldLine();
        writer.Start();
        var holder = Task.Run(() => writer.SendData(Ip, Packet(1500, 0))); // the tun reader writing its own burst
        Assert.That(entered.Wait(Wait), Is.True, "the producer is in its write");
        for (int i = 1; i < 20; i++)
            writer.SendData(Ip, Packet(1500, i));

        writer.TrySendControl(Lcp, Echo(1));
        line.Gate!.Release(1000);
        Assert.That(holder.Wait(Wait), Is.True);
        Assert.That(() => line.Writes.Sum(w => w.Frames.Count), Is.EqualTo(21).After((int)Wait.TotalMilliseconds, 10));
        writer.Stop();

        var writes = line.Writes;
        Assert.Multiple(() =>
        {
            Assert.That(writes[0].Frames.Select(f => f.Protocol), Is.EqualTo(new[] { Ip }), "one full-size data frame in the write in progress");
            Assert.That(writes[1].Frames[0].Protocol, Is.EqualTo(Lcp), "the Echo-Reply overtakes the 19 queued data frames");
        });
    }

    [Test]
    public void WriteNext_SynchronousFraming_OneFramePerWrite()
    {
        var line = TestLine.Sink();
        var writer = new DeviceWriter(line, NullLogger.Instance);
        writer.Publish(LinkParameters.Default with { Synchronous = true });
        writer.SendData(Ip, Packet(100, 1));
        writer.SendData(Ip, Packet(100, 2));
        writer.FlushData();
        writer.TrySendControl(Lcp, Echo(1));
        while (writer.WriteNext())
        {
        }

        // With no flags the bytes of a write are one datagram, so one frame.
        Assert.That(line.Writes, Has.Count.EqualTo(3));
        Assert.That(writer.ControlFramesWritten + writer.DataFramesWritten, Is.EqualTo(3));
    }

    [Test]
    public void Stop_WhileWriting_QueuedControlStillWrittenDataDroppedProducerReleased()
    {
        var (line, writer, entered) = HeldLine();
        writer.Start();
        var holder = Task.Run(() => writer.SendData(Ip, Packet(1500, 0)));
        Assert.That(entered.Wait(Wait), Is.True);
        // The frame being written still holds its slot: 63 more fill the lane.
        for (int i = 1; i < DeviceWriter.DataLaneFrames; i++)
            writer.SendData(Ip, Packet(1500, i));
        var producer = Task.Run(() => writer.SendData(Ip, Packet(1500, 99)));
        writer.TrySendControl(Lcp, [6, 3, 0, 4]); // Terminate-Ack

        writer.Stop();
        bool exitedWhileWriting = writer.Exited.IsCompleted;
        line.Gate!.Release(1000);

        Assert.Multiple(() =>
        {
            Assert.That(exitedWhileWriting, Is.False, "the line is not free while a write is in progress");
            Assert.That(writer.Exited.Wait(Wait), Is.True);
            Assert.That(holder.Wait(Wait), Is.True);
            Assert.That(producer.Wait(Wait) && !producer.Result, Is.True, "a producer waiting for room gets false");
            Assert.That(line.Writes.SelectMany(w => w.Frames).Select(f => (f.Protocol, f.Code)),
                Is.EqualTo(new[] { (Ip, (byte)0), (Lcp, (byte)6) }), "the write in progress, then the Terminate-Ack");
            Assert.That(writer.DataDiscarded, Is.EqualTo(DeviceWriter.DataLaneFrames - 1));
            Assert.That(writer.TrySendControl(Lcp, Echo(2)), Is.False, "nothing is accepted after Stop");
        });
    }

    [Test]
    public void Quantum_FastLine_GrowsToTheMaximumAndBatchesManyFramesPerWrite()
    {
        var line = TestLine.Sink();
        var writer = new DeviceWriter(line, NullLogger.Instance);

        // A bulk sender on a line that takes everything at once.
        int rounds = 0;
        for (; rounds < 40 && writer.Quantum < DeviceWriter.MaxQuantum; rounds++)
        {
            for (int i = 0; i < DeviceWriter.DataLaneFrames; i++)
                writer.SendData(Ip, Packet(1000, i));
            writer.FlushData();
        }
        int before = line.Writes.Count;
        for (int i = 0; i < DeviceWriter.DataLaneFrames; i++)
            writer.SendData(Ip, Packet(1000, i));
        writer.FlushData();

        Assert.Multiple(() =>
        {
            Assert.That(writer.Quantum, Is.EqualTo(DeviceWriter.MaxQuantum), $"after {rounds} lanes full of data");
            Assert.That(line.Writes.Skip(before).Max(w => w.Frames.Count), Is.EqualTo(DeviceWriter.MaxQuantum / 1000), "a 48 KiB write of 1000-octet packets");
        });
    }

    [Test]
    public void Quantum_SmallWritesTakenAtOnce_DoNotGrowIt()
    {
        // 64-octet packets (ACKs, keystrokes) that a kernel buffer takes at once: they say
        // nothing about how fast the line drains a full write.
        var line = TestLine.Sink();
        var writer = new DeviceWriter(line, NullLogger.Instance);

        for (int i = 0; i < 4 * 16; i++)
        {
            writer.SendData(Ip, Packet(64, i));
            writer.FlushData();
        }

        Assert.That(line.Writes, Has.Count.EqualTo(64));
        Assert.That(writer.Quantum, Is.EqualTo(LinkParameters.Default.PeerMru));
    }

    [Test]
    public void Writes_SteadyState_AllocateNothing()
    {
        var line = new DiscardLine();
        var writer = new DeviceWriter(line, NullLogger.Instance);
        writer.Publish(LinkParameters.Default with { TransmitAccm = 0, AddressControlCompression = true, ProtocolCompression = true });
        byte[] packet = Packet(1400, 1);
        byte[] echo = Echo(1);

        void Round()
        {
            for (int i = 0; i < 40; i++)
                writer.SendData(Ip, packet);
            writer.FlushData();
            writer.TrySendControl(Lcp, echo);
            while (writer.WriteNext())
            {
            }
        }

        for (int i = 0; i < 50; i++)
            Round(); // every slot used, the output buffer grown, the JIT done
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
            Round();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(writer.DataFramesWritten, Is.EqualTo(250 * 40));
        Assert.That(writer.ControlFramesWritten, Is.EqualTo(250));
        Assert.That(line.Octets, Is.GreaterThan(250L * 40 * 1400));
    }

    /// <summary>
    /// The case: a line that carries 11,520 bytes/s (115,200 bit/s), a bulk transfer
    /// keeping the data lane full, and an Echo-Reply queued every 200 ms. Asserted: after each
    /// reply was queued, at most one data frame (the write in progress) reached the line before
    /// it. The delay itself is printed, not asserted.
    /// </summary>
    [Test]
    public void EchoReply_SlowLineUnderBulkTransfer_LeavesBehindAtMostOneDataFrame()
    {
        var line = TestLine.Sink(bytesPerSecond: 11_520);
        var writer = new DeviceWriter(line, NullLogger.Instance);
        writer.Start();
        using var stop = new CancellationTokenSource();
        var bulk = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested && writer.SendData(Ip, Packet(1500, i)); i++)
            {
            }
        });
        Assert.That(() => writer.DataFramesWritten, Is.GreaterThanOrEqualTo(2).After((int)Wait.TotalMilliseconds, 10));

        var queued = new List<long>();
        for (int i = 0; i < 12; i++)
        {
            Thread.Sleep(200); // the line's pace, not a wait for a condition
            Assert.That(writer.TrySendControl(Lcp, Echo(i)), Is.True);
            queued.Add(Stopwatch.GetTimestamp());
        }
        Assert.That(() => line.Writes.SelectMany(w => w.Frames).Count(f => f.Protocol == Lcp), Is.EqualTo(12).After((int)Wait.TotalMilliseconds, 10));
        stop.Cancel();
        writer.Stop();
        Assert.That(bulk.Wait(Wait), Is.True);

        var writes = line.Writes;
        var delays = new List<double>();
        var ahead = new List<int>();
        foreach (long at in queued)
        {
            int carrying = -1;
            for (int w = 0; w < writes.Count && carrying < 0; w++)
            {
                if (writes[w].Ended >= at && writes[w].Frames.Any(f => f.Protocol == Lcp))
                    carrying = w;
            }
            // Data that reached the line after the reply was queued and before it.
            int before = writes.Take(carrying).Where(w => w.Ended > at).Sum(w => w.Frames.Count(f => f.IsData))
                         + writes[carrying].Frames.TakeWhile(f => f.Protocol != Lcp).Count(f => f.IsData);
            ahead.Add(before);
            delays.Add(Stopwatch.GetElapsedTime(at, writes[carrying].Ended).TotalMilliseconds);
        }
        double frameMs = writes.Where(w => w.Frames.All(f => f.IsData) && w.Frames.Count == 1)
            .Select(w => Stopwatch.GetElapsedTime(w.Started, w.Ended).TotalMilliseconds).Average();
        TestContext.Out.WriteLine($"Echo-Reply delay at 11,520 bytes/s under bulk: mean {delays.Average():0} ms, max {delays.Max():0} ms " +
                                  $"(one 1500-octet data frame: {frameMs:0} ms); data frames ahead: [{string.Join(' ', ahead)}]");

        Assert.That(ahead, Is.All.LessThanOrEqualTo(1));
        Assert.That(writer.Quantum, Is.EqualTo(LinkParameters.Default.PeerMru), "one full-size frame per write on this line");
    }

    /// <summary>A line whose writes wait for the test to open the gate, and a signal for each write that started.</summary>
    private static (TestLine Line, DeviceWriter Writer, SemaphoreSlim Entered) HeldLine()
    {
        var line = TestLine.Sink();
        line.Gate = new SemaphoreSlim(0);
        var entered = new SemaphoreSlim(0);
        line.WriteEntered += () => entered.Release();
        return (line, new DeviceWriter(line, NullLogger.Instance), entered);
    }

    /// <summary>A line that takes every write at once and keeps nothing but the count (allocation measurements).</summary>
    private sealed class DiscardLine : IDeviceConnection
    {
        private readonly OutputBuffer _output = new();
        private readonly Action<ReadOnlySpan<byte>> _write;

        public DiscardLine() => _write = bytes => Octets += bytes.Length;

        public long Octets { get; private set; }

        public string Name => "discard";

        public System.Buffers.IBufferWriter<byte> Output => _output;

        public int Read(Span<byte> buffer) => 0;

        public void Flush() => _output.Drain(_write);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static byte[] Packet(int size, int seed)
    {
        var packet = new byte[size];
        new Random(seed).NextBytes(packet);
        packet[0] = 0x45;
        return packet;
    }

    /// <summary>An LCP Echo-Reply: code, identifier, length, magic number.</summary>
    private static byte[] Echo(int identifier) => [EchoReply, (byte)identifier, 0, 8, 0x12, 0x34, 0x56, 0x78];
}
