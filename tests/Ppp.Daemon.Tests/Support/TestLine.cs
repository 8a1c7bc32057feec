using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Ppp.Core.Framing;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Tests.Support;

/// <summary>One frame as a <see cref="TestLine"/> saw it written: protocol and, for control protocols, the code.</summary>
internal readonly record struct WrittenFrame(ushort Protocol, byte Code, int Length)
{
    public bool IsData => Protocol is 0x0021 or 0x0057;
}

/// <summary>One write to a <see cref="TestLine"/>: when it began and when the line had carried it, and its frames in order.</summary>
internal sealed record LineWrite(long Started, long Ended, IReadOnlyList<WrittenFrame> Frames);

/// <summary>
/// One end of a simulated line for the device writer and the link driver: a write takes the
/// time the line needs at <see cref="BytesPerSecond"/> (0: at once), optionally waits for the
/// test to open <see cref="Gate"/>, and then reaches the other end's reads. Every write is
/// recorded with its frames (decoded) and times (Stopwatch ticks).
/// </summary>
internal sealed class TestLine : IDeviceConnection
{
    private readonly OutputBuffer _output = new();
    private readonly BlockingCollection<byte[]> _inbound = new();
    private readonly ConcurrentQueue<LineWrite> _writes = new();
    private readonly Action<ReadOnlySpan<byte>> _write;
    private byte[] _pending = [];
    private int _pendingOffset;

    private TestLine(string name, int bytesPerSecond)
    {
        Name = name;
        BytesPerSecond = bytesPerSecond;
        _write = Carry;
    }

    public string Name { get; }

    public int BytesPerSecond { get; }

    /// <summary>The other end (null: written bytes go nowhere).</summary>
    public TestLine? Peer { get; private set; }

    /// <summary>When set, each write waits for one release of it before the line carries the bytes.</summary>
    public SemaphoreSlim? Gate { get; set; }

    /// <summary>Raised (on the writing thread) when a write has entered the line, before the gate.</summary>
    public event Action? WriteEntered;

    public IReadOnlyList<LineWrite> Writes => [.. _writes];

    public IBufferWriter<byte> Output => _output;

    /// <summary>An end whose writes go nowhere.</summary>
    public static TestLine Sink(int bytesPerSecond = 0) => new("test line", bytesPerSecond);

    /// <summary>Two ends joined: what one writes, the other reads.</summary>
    public static (TestLine A, TestLine B) Pair(int bytesPerSecond)
    {
        var a = new TestLine("line A", bytesPerSecond);
        var b = new TestLine("line B", bytesPerSecond);
        a.Peer = b;
        b.Peer = a;
        return (a, b);
    }

    public void Flush() => _output.Drain(_write);

    public int Read(Span<byte> buffer)
    {
        if (_pendingOffset == _pending.Length)
        {
            try
            {
                _pending = _inbound.Take();
            }
            catch (InvalidOperationException)
            {
                return 0; // hung up
            }
            _pendingOffset = 0;
        }
        int n = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
        _pending.AsSpan(_pendingOffset, n).CopyTo(buffer);
        _pendingOffset += n;
        return n;
    }

    public ValueTask DisposeAsync()
    {
        _inbound.CompleteAdding();
        Peer?._inbound.CompleteAdding();
        return ValueTask.CompletedTask;
    }

    private void Carry(ReadOnlySpan<byte> bytes)
    {
        long started = Stopwatch.GetTimestamp();
        WriteEntered?.Invoke();
        Gate?.Wait();
        if (BytesPerSecond > 0)
            Thread.Sleep(TimeSpan.FromSeconds((double)bytes.Length / BytesPerSecond));
        byte[] copy = bytes.ToArray();
        if (Peer is not null && !Peer._inbound.IsAddingCompleted)
        {
            try
            {
                Peer._inbound.Add(copy);
            }
            catch (InvalidOperationException)
            {
                // The other end hung up meanwhile.
            }
        }
        var frames = new Recorder();
        new HdlcDecoder(65535).Decode(copy, frames);
        _writes.Enqueue(new LineWrite(started, Stopwatch.GetTimestamp(), frames.Frames));
    }

    private sealed class Recorder : IHdlcFrameHandler
    {
        public List<WrittenFrame> Frames { get; } = [];

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) =>
            Frames.Add(new WrittenFrame(protocol, protocol >= 0x8000 && !information.IsEmpty ? information[0] : (byte)0, information.Length));
    }
}
