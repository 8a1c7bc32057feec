using System.Buffers;
using System.IO.Pipelines;

namespace Ppp.Tests.Shared;

/// <summary>
/// The host end of a peer's serial line (a pty), in raw mode, as a duplex pipe.
/// </summary>
/// <remarks>
/// A pty opened by <see cref="FileStream"/> does not support asynchronous I/O, so one
/// background thread does blocking reads (a read returns as soon as one byte is there, as
/// the line is raw) and pushes the bytes into <see cref="Input"/>; writes go straight to the
/// file. Every byte read is also kept (<see cref="Captured"/>) for failure messages and for
/// saving captures. Consume <see cref="Input"/> through exactly one of: the pipe itself,
/// <see cref="AsStream"/> or <see cref="Frames"/>.
/// </remarks>
internal sealed class SerialLine : IDuplexPipe, IDisposable
{
    private readonly FileStream _file;
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 64 << 20, resumeWriterThreshold: 32 << 20));
    private readonly MemoryStream _captured = new();
    private readonly Lock _writeLock = new();
    private readonly Thread _reader;
    private FrameReader? _frames;

    private SerialLine(string path, FileStream file)
    {
        Path = path;
        _file = file;
        Output = PipeWriter.Create(new WriteOnlyStream(this), new StreamPipeWriterOptions(leaveOpen: true));
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"line {path}" };
        _reader.Start();
    }

    public string Path { get; }

    /// <summary>Bytes from the peer, in the order they arrived.</summary>
    public PipeReader Input => _pipe.Reader;

    /// <summary>Bytes to the peer; each flush is written to the line.</summary>
    public PipeWriter Output { get; }

    /// <summary>An HDLC frame reader over <see cref="Input"/> (created on first use).</summary>
    public FrameReader Frames => _frames ??= new FrameReader(Input, this);

    /// <summary>Sets <paramref name="path"/> to raw mode without echo and opens it for reading and writing.</summary>
    public static SerialLine Open(string path)
    {
        // Echo would send the peer its own frames back; pppd then stops with "Serial line is looped back".
        ProcessResult stty = ProcessRunner.Run("stty", "-F", path, "raw", "-echo");
        if (stty.ExitCode != 0)
        {
            throw new IOException($"stty -F {path} raw -echo failed: {stty.Describe()}");
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        return new SerialLine(path, file);
    }

    /// <summary>Writes bytes to the line at once (serialised with <see cref="Output"/>).</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        lock (_writeLock)
        {
            _file.Write(bytes);
            _file.Flush();
        }
    }

    /// <summary>A copy of every byte read from the line so far.</summary>
    public byte[] Captured
    {
        get
        {
            lock (_captured)
            {
                return _captured.ToArray();
            }
        }
    }

    /// <summary>A duplex <see cref="Stream"/> view: reads from <see cref="Input"/>, writes to the line.</summary>
    public Stream AsStream() => new DuplexStream(Input.AsStream(leaveOpen: true), this);

    public void Dispose()
    {
        Output.Complete();
        // A blocked read keeps the descriptor until the peer closes its end (the VM or socat
        // exits), which is why the reader is a background thread and the join is bounded.
        _file.Dispose();
        _reader.Join(TimeSpan.FromSeconds(2));
        _captured.Dispose();
    }

    private void ReadLoop()
    {
        var buffer = new byte[4096];
        Exception? error = null;
        try
        {
            while (true)
            {
                int n = _file.Read(buffer);
                if (n == 0)
                {
                    break;
                }

                lock (_captured)
                {
                    _captured.Write(buffer, 0, n);
                }

                _pipe.Writer.Write(buffer.AsSpan(0, n));
                FlushResult flushed = _pipe.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // EIO: the other end of the pty is gone. That ends the input like an EOF.
        }
        catch (ObjectDisposedException)
        {
        }
        catch (InvalidOperationException ex)
        {
            error = ex;
        }

        _pipe.Writer.Complete(error);
    }

    /// <summary>Adapts writes for <see cref="PipeWriter.Create(Stream, StreamPipeWriterOptions?)"/>.</summary>
    private sealed class WriteOnlyStream(SerialLine line) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => line.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => line.Write(buffer);
    }

    private sealed class DuplexStream(Stream input, SerialLine line) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            input.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => line.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => line.Write(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>Reads HDLC frames from a line with <see cref="RawHdlcDecoder"/>, keeping every frame seen.</summary>
internal sealed class FrameReader(PipeReader input, SerialLine line)
{
    private readonly RawHdlcDecoder _decoder = new();
    private readonly List<RawFrame> _unclaimed = [];

    /// <summary>Every frame decoded so far, in order.</summary>
    public List<RawFrame> Seen { get; } = [];

    /// <summary>
    /// Returns the oldest frame not yet returned that satisfies <paramref name="match"/>,
    /// waiting for more input if there is none. Frames that do not match stay for later
    /// waits, so the order in which a test waits need not be the order the peer sends in.
    /// Throws <see cref="TimeoutException"/> describing what did arrive.
    /// </summary>
    public async Task<RawFrame> WaitForAsync(Func<RawFrame, bool> match, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        bool ended = false;
        try
        {
            while (true)
            {
                int index = _unclaimed.FindIndex(frame => match(frame));
                if (index >= 0)
                {
                    RawFrame found = _unclaimed[index];
                    _unclaimed.RemoveAt(index);
                    return found;
                }

                if (ended)
                {
                    throw new EndOfStreamException($"line {line.Path} closed while waiting for {what}; {Describe()}");
                }

                ReadResult result = await input.ReadAsync(cts.Token);
                foreach (ReadOnlyMemory<byte> segment in result.Buffer)
                {
                    foreach (RawFrame frame in _decoder.Push(segment.Span))
                    {
                        Seen.Add(frame);
                        _unclaimed.Add(frame);
                    }
                }

                input.AdvanceTo(result.Buffer.End);
                ended = result.IsCompleted;
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no {what} within {timeout.TotalSeconds} s on {line.Path}; {Describe()}");
        }
    }

    private string Describe()
    {
        byte[] raw = line.Captured;
        return $"{Seen.Count} frame(s) seen: [{string.Join("; ", Seen)}]; {raw.Length} raw byte(s): " +
               Convert.ToHexString(raw.AsSpan(0, Math.Min(raw.Length, 256))).ToLowerInvariant();
    }
}
