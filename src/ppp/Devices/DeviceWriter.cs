using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ppp.Core.Link;

namespace Ppp.Daemon.Devices;

/// <summary>
/// Writes a line while PPP runs on it: a bounded queue with a priority lane, and one writer
/// at a time. Two lanes: control packets (LCP, PAP/CHAP, the NCPs) from the link loop, and
/// network packets from the tun reader. Each write takes every queued control packet first,
/// then data up to the write quantum, encodes them with the <see cref="LinkParameters"/> the
/// loop last published and writes them in one call.
/// </summary>
/// <remarks>
/// <para>
/// Who writes: whoever holds the line, one thread at a time. The tun reader, once it has
/// queued a burst and the line is free, writes it itself, as the daemon did before this queue
/// existed: no hand-over to another thread on the data path, which costs both latency and
/// throughput. The writer thread takes the line for everything else: control packets from the
/// loop, which never writes itself. Whoever holds the line drains both lanes, control first,
/// before letting it go (data another producer queued meanwhile included), so a control packet
/// queued during a write goes out in the next one, whichever thread makes it. The encoder and the rate measurement belong
/// to the line; taking and giving it back under the gate orders their use by one thread after
/// another.
/// </para>
/// <para>
/// Who waits: the loop never does. A full control lane (32 packets: a line that has not
/// taken a byte for a long while) drops the packet and says so (<see cref="TrySendControl"/>
/// returns false; the link counts and logs it). The tun reader does wait, in its own writes
/// and while the data lane is full (64 packets or 96 KiB) and another thread holds the line:
/// that is the data path's back-pressure, and the kernel then queues and drops on the tun, as
/// for any slow interface.
/// </para>
/// <para>
/// What a control packet can wait for: only the write in progress when it was queued, because
/// a control packet never queues behind data. That write holds at most one quantum of data,
/// and the quantum follows the line (see <see cref="Adapt"/>): on a slow line it is one
/// full-size frame, so an Echo-Reply waits for at most one data frame inside the daemon.
/// </para>
/// <para>
/// Frames queued when the writer stops: control packets are still written (a Terminate-Ack
/// must reach the peer before the line closes); data packets are dropped.
/// </para>
/// </remarks>
internal sealed partial class DeviceWriter : IFrameOutput
{
    /// <summary>Control packets queued at most; a link sends a handful at a time.</summary>
    public const int ControlLaneFrames = 32;

    /// <summary>Network packets queued at most (also bounded by <see cref="DataLaneBytes"/>).</summary>
    public const int DataLaneFrames = 64;

    /// <summary>Payload octets the data lane holds at most: two of the largest writes, so one can fill while the other goes out.</summary>
    public const int DataLaneBytes = 96 * 1024;

    /// <summary>The largest write: the 48 KiB burst that brought PPP over TCP level with the C tunnel.</summary>
    public const int MaxQuantum = 48 * 1024;

    /// <summary>How long one write may keep a control packet waiting, at the line's speed, before the quantum shrinks.</summary>
    public static readonly TimeSpan TargetWrite = TimeSpan.FromMilliseconds(10);

    /// <summary>Writes the line's speed is judged over (or fewer, once they took 50 ms).</summary>
    private const int WindowWrites = 16;

    private static readonly long s_targetTicks = (long)(TargetWrite.TotalSeconds * Stopwatch.Frequency);
    private static readonly long s_windowTicks = Stopwatch.Frequency / 20;
    private static readonly long s_failureLogTicks = 10 * Stopwatch.Frequency;

    private readonly IDeviceConnection _device;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    // Monitor rather than System.Threading.Lock: the writer thread waits for work and the tun
    // reader for room on this one gate (Monitor.Wait/PulseAll); Lock has no condition variable.
    private readonly object _gate = new();
    private readonly Lane _control = new(ControlLaneFrames, int.MaxValue, 128);
    private readonly Lane _data = new(DataLaneFrames, DataLaneBytes, 2048);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Published by the link loop, read by the line's holder before each batch.
    private LinkParameters _parameters = LinkParameters.Default;

    // Under _gate.
    private bool _stopping;
    private bool _threadStarted;
    private bool _threadDone;
    private bool _lineHeld;
    private bool _writerWaiting;
    private bool _producerWaiting;
    private long? _writeStarted;

    // The line holder's own (one thread at a time, handed over under _gate).
    private readonly FrameEncoder _encoder = new();
    private int _quantum = LinkParameters.Default.PeerMru;
    private long _failureLogged = long.MinValue;
    private long _windowTicks;
    private long _windowBest;
    private int _windowWrites;
    private long _controlFrames;
    private long _dataFrames;
    private long _writes;
    private long _writeFailures;
    private long _dataDiscarded;

    /// <param name="time">The clock <see cref="IsStalled"/> judges a write's duration on (the link's).</param>
    public DeviceWriter(IDeviceConnection device, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// True when a write has been blocked in the device for at least <paramref name="limit"/>:
    /// the far end takes nothing (a peer that does not read), so nothing queued now, a
    /// Terminate-Request included, would reach it. Any thread.
    /// </summary>
    public bool IsStalled(TimeSpan limit)
    {
        lock (_gate)
            return _writeStarted is long started && _time.GetElapsedTime(started) >= limit;
    }

    /// <summary>Control frames written to the line.</summary>
    public long ControlFramesWritten => Volatile.Read(ref _controlFrames);

    /// <summary>Data frames written to the line.</summary>
    public long DataFramesWritten => Volatile.Read(ref _dataFrames);

    /// <summary>Calls to the device's write.</summary>
    public long Writes => Volatile.Read(ref _writes);

    /// <summary>Writes that failed (their frames are lost; the reader notices a dead line).</summary>
    public long WriteFailures => Volatile.Read(ref _writeFailures);

    /// <summary>Data packets still queued when the writer stopped, dropped.</summary>
    public long DataDiscarded => Volatile.Read(ref _dataDiscarded);

    /// <summary>Payload octets the next write may carry (at least one frame); for tests and diagnostics.</summary>
    public int Quantum => Volatile.Read(ref _quantum);

    /// <summary>
    /// Completes once, after <see cref="Stop"/>, nobody writes the line any more: the writer
    /// thread has ended (or never started) and no other thread holds the line.
    /// </summary>
    public Task Exited => _exited.Task;

    /// <summary>Starts the writer thread (once; not after <see cref="Stop"/>).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_stopping || _threadStarted)
                return;
            _threadStarted = true;
        }
        new Thread(Run) { IsBackground = true, Name = $"{_device.Name} writer" }.Start();
    }

    /// <summary>
    /// No more packets are accepted and queued data is dropped; the control packets already
    /// queued are written, then the writer ends (<see cref="Exited"/>). A producer waiting for
    /// room returns false.
    /// </summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (!_stopping)
                _dataDiscarded += _data.Clear();
            _stopping = true;
            Monitor.PulseAll(_gate);
            CompleteIfDone();
        }
    }

    public void Publish(LinkParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Volatile.Write(ref _parameters, parameters);
    }

    public bool TrySendControl(ushort protocol, ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            if (_stopping || !_control.CanAccept(payload.Length))
                return false;
            _control.Add(protocol, payload);
            // A holder drains the control lane before it lets the line go.
            if (!_lineHeld && _writerWaiting)
                Monitor.PulseAll(_gate);
        }
        return true;
    }

    /// <summary>
    /// Queues a network packet. It is held back until <see cref="FlushData"/> ends the burst,
    /// or until the burst holds a quantum (one write would take no more); then, if the line is
    /// free, this thread writes what is queued itself. While the lane is full it waits, or
    /// writes, if the line is free.
    /// </summary>
    public bool SendData(ushort protocol, ReadOnlySpan<byte> packet)
    {
        bool queued = false;
        while (true)
        {
            lock (_gate)
            {
                if (_stopping)
                    return queued;
                if (!queued && _data.CanAccept(packet.Length))
                {
                    _data.Hold(protocol, packet);
                    queued = true;
                    if (_data.HeldBytes < Volatile.Read(ref _quantum))
                        return true;
                }
                else if (queued)
                {
                    return true;
                }
                // A quantum held, or no room: what is held goes, and we write if we can.
                _data.Release();
                if (!TakeLine())
                {
                    // The holder drains what we released before it lets the line go.
                    if (queued)
                        return true;
                    _producerWaiting = true;
                    Monitor.Wait(_gate);
                    _producerWaiting = false;
                    continue;
                }
            }
            Drain();
        }
    }

    /// <summary>The tun reader's burst is over: what it queued goes now, written by this thread if the line is free.</summary>
    public void FlushData()
    {
        lock (_gate)
        {
            _data.Release();
            // Held elsewhere: the holder drains it before it lets the line go.
            if (!HasWork() || !TakeLine())
                return;
        }
        Drain();
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    while (_lineHeld || !HasWork())
                    {
                        if (_stopping && (_lineHeld || _control.Queued == 0))
                            return;
                        _writerWaiting = true;
                        Monitor.Wait(_gate);
                        _writerWaiting = false;
                    }
                    _lineHeld = true;
                }
                Drain();
            }
        }
        finally
        {
            lock (_gate)
            {
                _threadDone = true;
                CompleteIfDone();
            }
        }
    }

    /// <summary>
    /// One write on the test's thread, as the line's holder would make it: false when the line
    /// is held elsewhere or nothing may be written.
    /// </summary>
    internal bool WriteNext()
    {
        lock (_gate)
        {
            if (!TakeLine())
                return false;
        }
        bool wrote = WriteBatch();
        if (wrote)
        {
            lock (_gate)
                GiveLine();
        }
        return wrote;
    }

    /// <summary>Holding the line: writes until nothing may be written, then lets the line go (in the same step as finding nothing).</summary>
    private void Drain()
    {
        try
        {
            while (WriteBatch())
            {
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug, not a line error (those are caught per write): say so, stop, and let
            // nobody wait for a line that is not drained any more.
            DeviceWriterLog.Crashed(_logger, _device.Name, ex);
            lock (_gate)
            {
                _stopping = true;
                _dataDiscarded += _data.Clear();
                _control.Clear();
                GiveLine();
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// Holding the line: one write of every queued control packet, then data up to the quantum.
    /// When there is nothing to write it lets the line go, under the same lock that found the
    /// lanes empty, and returns false: work queued a moment later then sees a free line.
    /// </summary>
    private bool WriteBatch()
    {
        var parameters = Volatile.Read(ref _parameters);
        int budget = Math.Max(_quantum, parameters.PeerMru);
        // Synchronous framing has no flags: the medium delimits frames (one UDP datagram each).
        int most = parameters.Synchronous ? 1 : int.MaxValue;
        int control;
        int data = 0;
        long payload = 0;
        lock (_gate)
        {
            if (!HasWork())
            {
                GiveLine();
                return false;
            }
            control = Math.Min(_control.Queued, most);
            for (int i = 0; i < control; i++)
                payload += _control.Take().Length;
            if (!_stopping)
            {
                // Whole frames only; the first data frame of a write without control frames
                // always goes, however large.
                while (_data.Queued > 0 && control + data < most)
                {
                    int length = _data.NextLength;
                    if ((data > 0 || control > 0) && payload + length > budget)
                        break;
                    payload += _data.Take().Length;
                    data++;
                }
            }
            _writeStarted = _time.GetTimestamp();
        }

        // Encoding and the write run outside the gate: the taken slots stay occupied (the
        // producers cannot reuse them) until they are released below.
        var output = _device.Output;
        for (int i = 0; i < control; i++)
            Encode(parameters, _control.Taken(i), output);
        for (int i = 0; i < data; i++)
            Encode(parameters, _data.Taken(i), output);
        long started = Stopwatch.GetTimestamp();
        bool written = Write();
        long elapsed = Stopwatch.GetTimestamp() - started;

        lock (_gate)
        {
            _writeStarted = null;
            _control.ReleaseTaken();
            _data.ReleaseTaken();
            if (_producerWaiting)
                Monitor.PulseAll(_gate);
        }
        Volatile.Write(ref _writes, _writes + 1);
        if (written)
        {
            Volatile.Write(ref _controlFrames, _controlFrames + control);
            Volatile.Write(ref _dataFrames, _dataFrames + data);
            Adapt(payload, elapsed, parameters.PeerMru);
        }
        return true;
    }

    /// <summary>Under the gate: what the line's holder would write now.</summary>
    private bool HasWork() => _control.Queued > 0 || (!_stopping && _data.Queued > 0);

    /// <summary>Under the gate: takes the line if nobody holds it.</summary>
    private bool TakeLine()
    {
        if (_lineHeld)
            return false;
        _lineHeld = true;
        return true;
    }

    /// <summary>Under the gate: lets the line go; whoever was waiting for it or for room is told.</summary>
    private void GiveLine()
    {
        _lineHeld = false;
        if (_producerWaiting || (_writerWaiting && HasWork()))
            Monitor.PulseAll(_gate);
        CompleteIfDone();
    }

    /// <summary>Under the gate: after Stop, once the writer thread is gone and the line free, the line is the owner's again.</summary>
    private void CompleteIfDone()
    {
        if (_stopping && (_threadDone || !_threadStarted) && !_lineHeld)
            _exited.TrySetResult();
    }

    private void Encode(LinkParameters parameters, Slot slot, System.Buffers.IBufferWriter<byte> output) =>
        _encoder.Encode(parameters, slot.Protocol, slot.Buffer.AsSpan(0, slot.Length), output);

    private bool Write()
    {
        try
        {
            _device.Flush();
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException
                                       or TimeoutException or OperationCanceledException)
        {
            // The line is gone or stuck: these frames are lost. The reader sees a hang-up and
            // the session ends; until then, one line per ten seconds.
            Volatile.Write(ref _writeFailures, _writeFailures + 1);
            long now = Stopwatch.GetTimestamp();
            if (_failureLogged == long.MinValue || now - _failureLogged >= s_failureLogTicks)
            {
                _failureLogged = now;
                DeviceWriterLog.WriteFailed(_logger, _device.Name, ex.Message, _writeFailures);
            }
            return false;
        }
    }

    /// <summary>
    /// Sets the quantum from the speed at which the line has been taking bytes: the line
    /// decides how much one write may carry.
    /// </summary>
    /// <remarks>
    /// Batching many frames into one write is what keeps PPP over TCP at the C tunnel's speed
    /// (a write per frame costs about a third of the throughput), and on such a line a 48 KiB
    /// write takes well under a millisecond. At 115,200 bit/s the same write blocks for 4 s,
    /// and every control packet queued meanwhile waits for it: long enough for a peer that
    /// echoes each second to declare us dead. So the quantum is what the line carries in
    /// <see cref="TargetWrite"/> (10 ms), between one full-size frame (the peer's MRU) and
    /// 48 KiB, judged over a window of 16 writes (fewer once they took 50 ms) by the fastest
    /// full write in it (one that used at least half the quantum: payload over the time spent
    /// in the device's write). Full, because a small write (a TCP ACK) costs a system call
    /// whatever the line's speed, and a kernel buffer absorbs it at once: it says nothing
    /// about how fast the line drains a large one, so a window without a full write leaves
    /// the quantum as it is. The fastest, because a stall (the reader across a TCP connection
    /// or a pty relay not scheduled for a few milliseconds) stretches a write whatever its
    /// size, and shrinking the writes then would only cost system calls; on a slow line every
    /// full write of a window is slow. The quantum grows at most twofold per window. On a
    /// 115,200 bit/s line the first full-size write takes 130 ms, which closes the window, and
    /// from then on every write is one frame; on a fast line the quantum reaches 48 KiB within
    /// about five windows. The time is the real one (Stopwatch), not the loop's TimeProvider:
    /// it measures the device and decides no protocol event.
    /// </remarks>
    private void Adapt(long payload, long elapsedTicks, int minimum)
    {
        if (payload * 2 >= Math.Max(_quantum, minimum))
            _windowBest = Math.Max(_windowBest, payload * s_targetTicks / Math.Max(elapsedTicks, 1));
        _windowTicks += elapsedTicks;
        _windowWrites++;
        if (_windowWrites < WindowWrites && _windowTicks < s_windowTicks)
            return;
        if (_windowBest > 0)
        {
            int next = (int)Math.Min(Math.Min(_windowBest, 2L * _quantum), MaxQuantum);
            Volatile.Write(ref _quantum, Math.Max(next, minimum));
        }
        _windowTicks = 0;
        _windowBest = 0;
        _windowWrites = 0;
    }

    /// <summary>
    /// A bounded FIFO of packets, copied in by the producer and encoded in place by the writer.
    /// Slots the writer took stay occupied until its write is done, so the bound also counts
    /// what is being written. Guarded by the writer's gate, except that the writer reads the
    /// slots it took outside it. Slot buffers grow to the largest packet they carried and are
    /// then reused: nothing is allocated per packet.
    /// </summary>
    private sealed class Lane
    {
        private readonly Slot[] _slots;
        private readonly long _maxBytes;
        private int _head;
        private int _count;
        private int _taken;
        private int _held;
        private long _bytes;
        private long _takenBytes;
        private long _heldBytes;

        public Lane(int frames, long maxBytes, int slotSize)
        {
            _slots = new Slot[frames];
            for (int i = 0; i < frames; i++)
                _slots[i] = new Slot(slotSize);
            _maxBytes = maxBytes;
        }

        /// <summary>Packets the writer may take: queued and not held back.</summary>
        public int Queued => _count - _taken - _held;

        /// <summary>Packets added last and held back until <see cref="Release"/> (the producer's burst so far).</summary>
        public int Held => _held;

        public long HeldBytes => _heldBytes;

        /// <summary>Payload length of the next packet <see cref="Take"/> returns.</summary>
        public int NextLength => _slots[Index(_taken)].Length;

        /// <summary>Room for one more: a free slot and the octets (an empty lane takes any packet).</summary>
        public bool CanAccept(int length) => _count < _slots.Length && (_count == 0 || _bytes + length <= _maxBytes);

        /// <summary>Adds a packet the writer may take at once.</summary>
        public void Add(ushort protocol, ReadOnlySpan<byte> payload)
        {
            Hold(protocol, payload);
            Release();
        }

        /// <summary>Adds a packet held back until <see cref="Release"/>.</summary>
        public void Hold(ushort protocol, ReadOnlySpan<byte> payload)
        {
            var slot = _slots[Index(_count)];
            slot.Set(protocol, payload);
            _count++;
            _held++;
            _bytes += payload.Length;
            _heldBytes += payload.Length;
        }

        public void Release()
        {
            _held = 0;
            _heldBytes = 0;
        }

        public Slot Take()
        {
            var slot = _slots[Index(_taken)];
            _taken++;
            _takenBytes += slot.Length;
            return slot;
        }

        /// <summary>The <paramref name="i"/>-th slot of the batch taken.</summary>
        public Slot Taken(int i) => _slots[Index(i)];

        public void ReleaseTaken()
        {
            _head = Index(_taken);
            _count -= _taken;
            _bytes -= _takenBytes;
            _taken = 0;
            _takenBytes = 0;
        }

        /// <summary>Drops what is queued or held (not what was taken); returns how many.</summary>
        public int Clear()
        {
            int dropped = _count - _taken;
            _count = _taken;
            _bytes = _takenBytes;
            Release();
            return dropped;
        }

        private int Index(int offset) => (_head + offset) % _slots.Length;
    }

    private sealed class Slot(int size)
    {
        public ushort Protocol { get; private set; }

        public int Length { get; private set; }

        public byte[] Buffer { get; private set; } = new byte[size];

        public void Set(ushort protocol, ReadOnlySpan<byte> payload)
        {
            if (payload.Length > Buffer.Length)
                Buffer = new byte[Math.Max(payload.Length, Buffer.Length * 2)];
            payload.CopyTo(Buffer);
            Protocol = protocol;
            Length = payload.Length;
        }
    }
}

internal static partial class DeviceWriterLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: {Device}: write failed, frames lost: {Reason} ({Failures} failed writes so far)")]
    public static partial void WriteFailed(ILogger logger, string device, string reason, long failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "deflink: {Device}: internal error, the line's writer stopped")]
    public static partial void Crashed(ILogger logger, string device, Exception exception);
}
