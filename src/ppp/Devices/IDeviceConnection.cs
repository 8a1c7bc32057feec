using System.Buffers;

namespace Ppp.Daemon.Devices;

/// <summary>
/// An open line carrying PPP bytes. One dedicated thread reads it (<see cref="Read"/> blocks
/// until bytes come, and returns 0 once the line hangs up), which is the whole receive path:
/// no thread-pool hop between the line and the decoder. Frames are encoded into
/// <see cref="Output"/> and written by <see cref="Flush"/>, under the transmitter's lock.
/// Disposing hangs up (closes the socket, drops DTR, ends the child) and wakes the reader.
/// </summary>
internal interface IDeviceConnection : IAsyncDisposable
{
    /// <summary>How ppp(8)'s <c>show physical</c> names it: the device word.</summary>
    string Name { get; }

    /// <summary>Blocks for input; 0 means the line hung up. Throws IOException on a line error.</summary>
    int Read(Span<byte> buffer);

    /// <summary>Where the transmitter encodes frames.</summary>
    IBufferWriter<byte> Output { get; }

    /// <summary>Writes everything in <see cref="Output"/> to the line (blocking, bounded by the device).</summary>
    void Flush();
}

/// <summary>
/// The transmit buffer of a line: frames are encoded into it and written out in one call per
/// flush. Used under the transmitter's lock only; it grows to the largest frame and then
/// allocates no more.
/// </summary>
internal sealed class OutputBuffer : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[65536];
    private int _count;

    public void Advance(int count) => _count += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_count);
    }

    private void Ensure(int sizeHint)
    {
        int needed = _count + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
    }

    /// <summary>Hands the buffered bytes to <paramref name="write"/> and empties the buffer, whatever happens.</summary>
    public void Drain(Action<ReadOnlySpan<byte>> write)
    {
        if (_count == 0)
            return;
        try
        {
            write(_buffer.AsSpan(0, _count));
        }
        finally
        {
            _count = 0;
        }
    }
}
