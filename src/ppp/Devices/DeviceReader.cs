using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Ppp.Daemon.Devices;

/// <summary>Where the bytes read from a line go: the PPP decoder, a chat script, a terminal.</summary>
internal interface ILineSink
{
    /// <summary>Bytes as read, on the reader's thread; the span is lent until the call returns.</summary>
    void Receive(ReadOnlySpan<byte> data);
}

/// <summary>
/// A sink that may hold bytes nobody has consumed yet (a chat conversation's pipe, a terminal
/// that saw PPP start): <see cref="DeviceReader.Switch"/> drains it into the next sink.
/// </summary>
internal interface IHandOverSink : ILineSink
{
    /// <summary>Passes what is held unread to <paramref name="next"/>, in order.</summary>
    void Drain(ILineSink next);

    /// <summary>The line is no longer this sink's.</summary>
    void Close();
}

/// <summary>
/// The one thread that reads a line for as long as it is open: blocking reads straight into
/// the current <see cref="ILineSink"/>, which is the whole receive path (no thread-pool hop).
/// While chat scripts or <c>term</c> run, the sink is theirs; <see cref="Switch"/> hands the
/// line to the next one without losing or reordering a byte, so the PPP frames a peer sends
/// right after CONNECT reach the decoder.
/// </summary>
internal sealed class DeviceReader
{
    private const int ReadSize = 65536;

    private readonly IDeviceConnection _device;
    private readonly Lock _gate = new();
    private ILineSink _sink;
    private Action<string?>? _ended;
    private bool _finished;
    private string? _reason;
    private volatile bool _hangingUp;
    private int _started;

    /// <summary>A reader for <paramref name="device"/>; it reads once <see cref="Start"/> is called, into <paramref name="sink"/>.</summary>
    public DeviceReader(IDeviceConnection device, ILineSink sink)
    {
        _device = device;
        _sink = sink;
    }

    public IDeviceConnection Device => _device;

    /// <summary>Set before we hang the line up ourselves: the read error that follows is no fault.</summary>
    public bool HangingUp
    {
        get => _hangingUp;
        set => _hangingUp = value;
    }

    /// <summary>Starts the reading thread (once; later calls do nothing).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            new Thread(Run) { IsBackground = true, Name = $"{_device.Name} reader" }.Start();
    }

    /// <summary>
    /// Who hears that the line ended (null reason: a plain or requested hang-up, else the line
    /// error). Runs on the reader thread, or at once if the line has already ended.
    /// </summary>
    public void OnEnded(Action<string?> ended)
    {
        bool now;
        lock (_gate)
        {
            _ended = ended;
            now = _finished;
        }
        if (now)
            ended(_reason);
    }

    /// <summary>True once the line has hung up (or failed) under the reader.</summary>
    public bool Ended
    {
        get
        {
            lock (_gate)
                return _finished;
        }
    }

    /// <summary>
    /// Makes <paramref name="next"/> the sink. What a conversation's <see cref="PipeSink"/>
    /// holds unread goes to <paramref name="next"/> first, with no read delivered meanwhile;
    /// the conversation ends there unless <paramref name="keepConversation"/> (a chat
    /// <c>!command</c> borrows the line and gives it back).
    /// </summary>
    public void Switch(ILineSink next, bool keepConversation = false)
    {
        lock (_gate)
        {
            if (_sink is IHandOverSink conversation)
            {
                conversation.Drain(next);
                if (!keepConversation)
                    conversation.Close();
            }
            _sink = next;
        }
    }

    private void Run()
    {
        // Rented, not allocated: a daemon that reconnects for ever must not leave 64 KiB per
        // connection for the GC's oldest generation to find (the soak measures this).
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        string? reason = null;
        try
        {
            while (true)
            {
                int n = _device.Read(buffer.AsSpan(0, ReadSize));
                if (n <= 0)
                    break;
                lock (_gate)
                    _sink.Receive(buffer.AsSpan(0, n));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException or OperationCanceledException)
        {
            // Our own hang-up completes the input under the reader: that is no error.
            reason = _hangingUp ? null : ex.Message;
        }
        ArrayPool<byte>.Shared.Return(buffer);
        Action<string?>? ended;
        lock (_gate)
        {
            _finished = true;
            _reason = reason;
            ended = _ended;
            (_sink as PipeSink)?.Complete(reason);
        }
        ended?.Invoke(reason);
    }
}

/// <summary>
/// A line's input as a <see cref="PipeReader"/>, for the chat engine. The reader thread must
/// never wait on it (it would stall the line), so the pipe does not push back; instead one
/// conversation takes at most 1 MiB (a modem says a few hundred bytes), and what is over
/// that is dropped and counted.
/// </summary>
internal sealed class PipeSink : IHandOverSink
{
    private const long Cap = 1 << 20;
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private long _received;

    public PipeReader Reader => _pipe.Reader;

    /// <summary>Bytes dropped over the cap.</summary>
    public long Dropped { get; private set; }

    public void Receive(ReadOnlySpan<byte> data)
    {
        if (_received + data.Length > Cap)
        {
            Dropped += data.Length;
            return;
        }
        _received += data.Length;
        data.CopyTo(_pipe.Writer.GetSpan(data.Length));
        _pipe.Writer.Advance(data.Length);
        // With no pause threshold the flush completes at once: the reader thread never waits.
        var flush = _pipe.Writer.FlushAsync();
        if (flush.IsCompleted)
            _ = flush.Result;
        else
            flush.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The line ended: the reader sees the end (or the error) after the last byte.</summary>
    public void Complete(string? error) =>
        _pipe.Writer.Complete(error is null ? null : new IOException(error));

    /// <summary>
    /// Passes the bytes nobody read to <paramref name="next"/>: its first input is exactly
    /// where the conversation stopped reading.
    /// </summary>
    public void Drain(ILineSink next)
    {
        try
        {
            if (_pipe.Reader.TryRead(out var result))
            {
                foreach (var segment in result.Buffer)
                    next.Receive(segment.Span);
                _pipe.Reader.AdvanceTo(result.Buffer.End);
            }
        }
        catch (InvalidOperationException)
        {
            // The conversation completed its reader itself: nothing was left unread.
        }
    }

    /// <summary>The conversation is over: nothing more is written to the pipe.</summary>
    public void Close()
    {
        _pipe.Writer.Complete();
        try
        {
            _pipe.Reader.Complete();
        }
        catch (InvalidOperationException)
        {
        }
    }
}
