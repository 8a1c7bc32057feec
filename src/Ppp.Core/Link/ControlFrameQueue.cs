namespace Ppp.Core.Link;

/// <summary>
/// The bounded hand-over of decoded control frames from the line's reader to the link loop.
/// The reader decodes far faster than the loop can judge frames (a flood arrives at a million
/// frames a second, the loop handles some tens of thousands), so what does not fit is dropped
/// and counted here, never buffered: a peer cannot grow our memory by sending. The loop takes
/// frames in slices (<see cref="SliceFrames"/> per turn) so that commands, signals and timers
/// posted meanwhile run between slices, not behind the whole backlog.
/// </summary>
/// <remarks>
/// Threads: <see cref="TryAdd"/> on the reader, <see cref="TryTake"/> on the loop; both under
/// one lock. Slots keep their buffers (grown to the largest frame they carried, at most the
/// decoder's frame limit), and a frame taken swaps its buffer with the loop's spare, so the
/// steady state allocates nothing and the bound is <see cref="Capacity"/> frames.
/// </remarks>
internal sealed class ControlFrameQueue
{
    /// <summary>Frames held at most: a link has a handful in flight; a backlog beyond this is a flood.</summary>
    public const int Capacity = 64;

    /// <summary>Frames the loop handles per turn before it lets other work run.</summary>
    public const int SliceFrames = 16;

    private readonly Lock _gate = new();
    private readonly Entry[] _slots = new Entry[Capacity];
    private int _head;
    private int _count;
    private bool _draining;
    private long _dropped;

    // The loop's: the buffer a taken frame lives in until the next take.
    private byte[] _spare = new byte[128];

    public ControlFrameQueue()
    {
        for (int i = 0; i < _slots.Length; i++)
            _slots[i].Buffer = new byte[128];
    }

    /// <summary>Frames dropped because the queue was full (the loop was behind).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Frames waiting for the loop.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _count;
        }
    }

    /// <summary>
    /// Reader: copies a frame in. Returns false when it was dropped (queue full). Sets
    /// <paramref name="startDrain"/> when the loop has no drain pending and must be given one.
    /// </summary>
    public bool TryAdd(ushort protocol, ReadOnlySpan<byte> information, out bool startDrain)
    {
        lock (_gate)
        {
            startDrain = false;
            if (_count == Capacity)
            {
                _dropped++;
                return false;
            }
            ref var slot = ref _slots[(_head + _count) % Capacity];
            if (slot.Buffer.Length < information.Length)
                slot.Buffer = new byte[Math.Max(information.Length, slot.Buffer.Length * 2)];
            information.CopyTo(slot.Buffer);
            slot.Protocol = protocol;
            slot.Length = information.Length;
            _count++;
            if (!_draining)
            {
                _draining = true;
                startDrain = true;
            }
            return true;
        }
    }

    /// <summary>
    /// Loop: the next frame, borrowed until the next call. When the queue is empty it returns
    /// false and the drain ends (the reader's next frame starts a new one).
    /// </summary>
    public bool TryTake(out ushort protocol, out ReadOnlySpan<byte> information)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                _draining = false;
                protocol = 0;
                information = default;
                return false;
            }
            ref var slot = ref _slots[_head];
            (slot.Buffer, _spare) = (_spare, slot.Buffer);
            protocol = slot.Protocol;
            int length = slot.Length;
            _head = (_head + 1) % Capacity;
            _count--;
            information = _spare.AsSpan(0, length);
            return true;
        }
    }

    /// <summary>Loop: true when frames are still waiting (the drain goes on in another turn).</summary>
    public bool HasMore
    {
        get
        {
            lock (_gate)
            {
                if (_count > 0)
                    return true;
                _draining = false;
                return false;
            }
        }
    }

    private struct Entry
    {
        public byte[] Buffer;
        public ushort Protocol;
        public int Length;
    }
}
