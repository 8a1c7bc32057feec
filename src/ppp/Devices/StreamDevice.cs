using System.IO.Pipelines;

namespace Ppp.Daemon.Devices;

/// <summary>
/// A line that is a byte stream: a TCP connection, a child's pipes or our stdin/stdout.
/// The pipes read and write the streams directly; <paramref name="hangup"/> runs on dispose
/// (closing the socket, ending the child).
/// </summary>
internal sealed class StreamDevice(string name, Stream input, Stream output, Func<ValueTask>? hangup = null) : IDeviceConnection
{
    private int _disposed;

    public string Name { get; } = name;

    public PipeReader Input { get; } = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true));

    public PipeWriter Output { get; } = PipeWriter.Create(output, new StreamPipeWriterOptions(minimumBufferSize: 16384, leaveOpen: true));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // Hang up first: that ends a read blocked in the input stream.
        if (hangup is not null)
            await hangup().ConfigureAwait(false);
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The far end is gone: nothing left to flush to.
        }
        catch (ObjectDisposedException)
        {
        }
        await input.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(input, output))
            await output.DisposeAsync().ConfigureAwait(false);
    }
}
