using Microsoft.Extensions.Logging;
using Ppp.Core.Config;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Time;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Runtime;

/// <summary>
/// One <see cref="PppLink"/> on one open line, composed the one way the daemon, <c>ppp -demo</c>
/// and the interop tests all run it: the line's <see cref="DeviceReader"/> (a thread of blocking
/// reads straight into the link's decoder), its <see cref="DeviceWriter"/> (a bounded queue
/// whose control lane overtakes data, written by its own thread or by the tun reader handing
/// over its burst), and the link, whose protocol state only the given loop touches and whose
/// timers run on the given <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Lifecycle: construct on any thread; <see cref="Start"/> on the loop (the writer starts, the
/// link opens and sees the lower layer up, the reader hands the line to PPP); the line ends
/// under us (the callback given to <see cref="Start"/> runs on the loop) or the owner hangs up:
/// <see cref="StopWriterAsync"/> lets the control frames already queued out and frees the line
/// for hang-up scripts; <see cref="DisposeAsync"/> hangs the device up.
/// </remarks>
internal sealed partial class LinkDriver : ILineSink, IAsyncDisposable
{
    /// <summary>How long stopping waits for the writer to flush its control frames before the line is closed under it.</summary>
    public static readonly TimeSpan WriterStopLimit = TimeSpan.FromSeconds(3);

    /// <summary>A write blocked this long means the far end takes nothing: stopping does not wait for it, nor does quitting send a Terminate-Request first.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromMilliseconds(500);

    /// <summary>True when the line's output has been blocked for <see cref="StallLimit"/> (a peer that does not read).</summary>
    public bool OutputStalled => Writer.IsStalled(StallLimit);

    private readonly LinkLoop _loop;
    private readonly TimeProvider _time;
    private readonly ILogger _phase;
    private int _started;
    private int _reported;

    /// <param name="device">The open line.</param>
    /// <param name="reader">The line's reader when chat scripts already ran on it (still in chat mode); null to make one.</param>
    /// <param name="options">The link's configuration.</param>
    /// <param name="loop">The one loop that owns the link's protocol state.</param>
    /// <param name="time">The clock of the link's timers (restart, echo).</param>
    /// <param name="sink">Where received IPv4/IPv6 packets go (the tun bridge).</param>
    public LinkDriver(
        IDeviceConnection device,
        DeviceReader? reader,
        PppLinkOptions options,
        LinkLoop loop,
        TimeProvider time,
        INetworkPacketSink sink,
        ILoggerFactory loggers,
        IRandomSource random,
        ISecretStore secrets)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        _loop = loop;
        _time = time;
        _phase = loggers.CreateLogger("Phase");
        Device = device;
        Writer = new DeviceWriter(device, loggers.CreateLogger("Physical"), time);
        Link = new PppLink(options, new LinkScheduler(time, loop.Post) { TimerLog = loggers.CreateLogger(LogLevels.Timer) }, Writer, sink, loggers, random, secrets);
        // A reader of our own reads nothing before Start, and then straight into the link.
        Reader = reader ?? new DeviceReader(device, this);
    }

    public IDeviceConnection Device { get; }

    public DeviceReader Reader { get; }

    public DeviceWriter Writer { get; }

    public PppLink Link { get; }

    /// <summary>Set before we hang the line up ourselves: the read error that follows is no fault.</summary>
    public bool HangingUp
    {
        get => Reader.HangingUp;
        set => Reader.HangingUp = value;
    }

    /// <summary>
    /// On the loop: starts the writer, opens the link with the lower layer up, and turns the
    /// line's reader to PPP (bytes a chat conversation left unread come first).
    /// <paramref name="ended"/> runs on the loop once the line has ended (null reason: a
    /// hang-up, ours or the peer's; else the line error).
    /// </summary>
    public void Start(Action<string?> ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        if (Interlocked.Exchange(ref _started, 1) != 0)
            throw new InvalidOperationException("the link driver was already started");
        Writer.Start();
        Link.Open();
        Link.LowerUp();
        Reader.Switch(this);
        Reader.OnEnded(reason => _loop.Post(() => ended(reason)));
        Reader.Start();
    }

    /// <summary>The line's bytes, on the reader thread: straight into the decoder.</summary>
    public void Receive(ReadOnlySpan<byte> data) => Link.ReceiveBytes(data);

    /// <summary>
    /// Stops the writer: control frames already queued still go out, data is dropped. True once
    /// the writer has ended, false if it was still stuck in a write after
    /// <see cref="WriterStopLimit"/> (the line does not drain; closing it ends the write).
    /// Afterwards the line's output is free for the hang-up scripts.
    /// </summary>
    public async Task<bool> StopWriterAsync()
    {
        Writer.Stop();
        if (Writer.Exited.IsCompleted)
            return true;
        // A line that has taken nothing for a while will not take the rest either: closing it
        // now ends the write, and nobody waits behind a peer that does not read.
        if (Writer.IsStalled(StallLimit))
        {
            Report();
            return false;
        }
        using var cancel = new CancellationTokenSource();
        var limit = Task.Delay(WriterStopLimit, _time, cancel.Token);
        var first = await Task.WhenAny(Writer.Exited, limit).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        Report();
        return first == Writer.Exited;
    }

    /// <summary>Once per line, beside the bundle's packet totals: what the writer did.</summary>
    private void Report()
    {
        if (Interlocked.Exchange(ref _reported, 1) != 0 || !_phase.IsEnabled(LogLevel.Information))
            return;
        long writes = Writer.Writes;
        long frames = Writer.ControlFramesWritten + Writer.DataFramesWritten;
        LinkDriverLog.WriterTotals(_phase, Device.Name, writes, Writer.ControlFramesWritten, Writer.DataFramesWritten,
            writes == 0 ? 0 : (double)frames / writes, Writer.Quantum, Writer.WriteFailures, Writer.DataDiscarded);
    }

    /// <summary>Stops the writer and hangs the device up (which also ends the reader).</summary>
    public async ValueTask DisposeAsync()
    {
        HangingUp = true;
        await StopWriterAsync().ConfigureAwait(false);
        await Device.DisposeAsync().ConfigureAwait(false);
    }
}

internal static partial class LinkDriverLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Device}: writer: {Writes} writes carried {Control} control and {Data} data frames ({PerWrite:0.0} a write, last quantum {Quantum} octets); {Failures} failed, {Discarded} queued packets dropped at the end")]
    public static partial void WriterTotals(ILogger logger, string device, long writes, long control, long data, double perWrite,
        int quantum, long failures, long discarded);
}
