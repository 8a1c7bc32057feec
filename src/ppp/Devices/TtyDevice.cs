using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Ppp.Tun.Tty;

namespace Ppp.Daemon.Devices;

/// <summary>How a tty line is set up (ppp(8) <c>set speed|parity|ctsrts|cd</c>).</summary>
internal sealed record TtyOpenOptions(TtySettings Settings, bool RequireCarrier, string LockDirectory = "/var/lock")
{
    public static TtyOpenOptions Default { get; } = new(new TtySettings(), RequireCarrier: false);
}

/// <summary>
/// A tty or pty line: UUCP-locked, raw, read and written by <see cref="TtyPort"/> with
/// bounded waits. A read that finds the carrier gone (when <c>set cd</c> requires it) ends
/// the line like a hang-up; disposing drops DTR, restores the line and frees the lock.
/// </summary>
internal sealed class TtyDevice : IDeviceConnection
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WriteLimit = TimeSpan.FromSeconds(10);

    private readonly TtyPort _port;
    private readonly UucpLock _lock;
    private int _disposed;

    private TtyDevice(string name, TtyPort port, UucpLock uucpLock, bool requireCarrier)
    {
        Name = name;
        _port = port;
        _lock = uucpLock;
        _requireCarrier = requireCarrier;
        Output = PipeWriter.Create(new TtyWriteStream(port), new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        _reader = new Thread(Pump) { IsBackground = true, Name = $"{name} reader" };
        _reader.Start();
    }

    private readonly Pipe _input = new(new PipeOptions(pauseWriterThreshold: 256 * 1024, resumeWriterThreshold: 128 * 1024, useSynchronizationContext: false));
    private readonly Thread _reader;
    private readonly bool _requireCarrier;

    /// <summary>
    /// One thread reads the line into the input pipe, waking each second to check the carrier
    /// (when <c>set cd</c> requires it) and to notice a shutdown.
    /// </summary>
    private void Pump()
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (!_port.IsShutdown)
            {
                var memory = writer.GetMemory(4096);
                int n = _port.Read(memory.Span, Poll);
                if (n > 0)
                {
                    writer.Advance(n);
                    var flush = writer.FlushAsync();
                    var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                    if (result.IsCompleted)
                        break;
                    continue;
                }
                if (_requireCarrier && _port.Carrier == false)
                {
                    error = new IOException($"{_port.Path}: carrier lost");
                    break;
                }
            }
        }
        catch (EndOfStreamException)
        {
            // Hang-up: the input simply ends.
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            error = ex;
        }
        writer.Complete(error);
    }

    public string Name { get; }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output { get; }

    public bool? Carrier => _disposed == 0 ? _port.Carrier : null;

    public static TtyDevice Open(string path, TtyOpenOptions options, ILogger logger)
    {
        var uucpLock = UucpLock.Acquire(path, options.LockDirectory, logger);
        try
        {
            var port = TtyPort.Open(path, options.Settings);
            return new TtyDevice(path, port, uucpLock, options.RequireCarrier && !options.Settings.Local);
        }
        catch
        {
            uucpLock.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _port.Shutdown();
        _reader.Join(TimeSpan.FromSeconds(3));
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or TimeoutException)
        {
        }
        try
        {
            // Dropping DTR is how a modem is told to hang up; a pty has no such line.
            if (!_port.IsPty)
                _port.SetDtr(false);
        }
        catch (IOException)
        {
        }
        _port.Dispose();
        _lock.Dispose();
    }

    /// <summary>The port's write side as a stream for the output pipe; writes are bounded.</summary>
    private sealed class TtyWriteStream(TtyPort port) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => port.Write(buffer, WriteLimit);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            port.Write(buffer.Span, WriteLimit);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
