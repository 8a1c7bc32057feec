using System.Buffers;
using Microsoft.Extensions.Logging;
using Ppp.Tun.Tty;

namespace Ppp.Daemon.Devices;

/// <summary>How a tty line is set up (ppp(8) <c>set speed|parity|ctsrts|cd</c>).</summary>
internal sealed record TtyOpenOptions(TtySettings Settings, bool RequireCarrier, string LockDirectory = "/var/lock");

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
        _write = data => _port.Write(data, WriteLimit);
    }

    private readonly OutputBuffer _output = new();
    private readonly Action<ReadOnlySpan<byte>> _write;
    private readonly bool _requireCarrier;
    private int _reading;

    public string Name { get; }

    public IBufferWriter<byte> Output => _output;

    public void Flush() => _output.Drain(_write);

    /// <summary>
    /// Waits in one-second slices, to check the carrier (when <c>set cd</c> requires it) and
    /// to notice a shutdown; 0 once the line hangs up or we hang it up.
    /// </summary>
    public int Read(Span<byte> buffer)
    {
        Interlocked.Increment(ref _reading);
        try
        {
            return ReadSlices(buffer);
        }
        finally
        {
            Interlocked.Decrement(ref _reading);
        }
    }

    private int ReadSlices(Span<byte> buffer)
    {
        while (!_port.IsShutdown && _disposed == 0)
        {
            int n;
            try
            {
                n = _port.Read(buffer, Poll);
            }
            catch (EndOfStreamException)
            {
                // A tty that hangs up under us (EIO/POLLHUP) lost its carrier: a modem's DCD
                // dropped, or the pty's other side went away.
                if (_port.IsShutdown || _disposed != 0)
                    return 0;
                throw new IOException($"{_port.Path}: carrier lost (the line hung up)");
            }
            if (n > 0)
                return n;
            if (_requireCarrier && _port.Carrier == false)
                throw new IOException($"{_port.Path}: carrier lost");
        }
        return 0;
    }

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
        // The reader wakes from Shutdown within a poll; the descriptor is closed only after it
        // has left, so it can never read a reused descriptor.
        for (int i = 0; i < 200 && Volatile.Read(ref _reading) != 0; i++)
            await Task.Delay(10).ConfigureAwait(false);
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
}
