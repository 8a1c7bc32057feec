using System.Buffers;

namespace Ppp.Daemon.Devices;

/// <summary>
/// A line that is a byte stream: a TCP connection, a child's pipes or our stdin/stdout, read
/// and written with blocking calls. <paramref name="hangup"/> runs on dispose (shutting the
/// socket down, ending the child), which also ends a blocked read.
/// </summary>
internal sealed class StreamDevice(string name, Stream input, Stream output, Func<ValueTask>? hangup = null) : IDeviceConnection
{
    private readonly OutputBuffer _output = new();
    private readonly Action<ReadOnlySpan<byte>> _write = output.Write;
    private int _disposed;

    public string Name { get; } = name;

    public IBufferWriter<byte> Output => _output;

    public int Read(Span<byte> buffer) => _disposed != 0 ? 0 : input.Read(buffer);

    public void Flush() => _output.Drain(_write);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (hangup is not null)
            await hangup().ConfigureAwait(false);
        await input.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(input, output))
        {
            try
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The far end is gone: nothing left to flush to.
            }
        }
    }
}
