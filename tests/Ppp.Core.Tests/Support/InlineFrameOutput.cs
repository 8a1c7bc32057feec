using System.Buffers;
using Ppp.Core.Link;

namespace Ppp.Core.Tests.Support;

/// <summary>
/// A link's output for single-threaded tests: each packet is framed at once, with the last
/// published parameters, and handed to <paramref name="written"/> (borrowed for the call).
/// Nothing queues, so "control ahead of data" is the order of the calls.
/// </summary>
public sealed class InlineFrameOutput(Action<ReadOnlySpan<byte>> written) : IFrameOutput
{
    private readonly FrameEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _frame = new(4096);

    public LinkParameters Parameters { get; private set; } = LinkParameters.Default;

    public void Publish(LinkParameters parameters) => Parameters = parameters;

    /// <summary>
    /// When set, the line has stopped taking bytes: control packets fill a queue of this many
    /// (as the device writer's control lane) and are refused once it is full; none is written.
    /// </summary>
    public int? StalledRoom { get; set; }

    /// <summary>Control packets queued on the stalled line.</summary>
    public int StalledQueued { get; private set; }

    public bool TrySendControl(ushort protocol, ReadOnlySpan<byte> payload)
    {
        if (StalledRoom is not { } room)
            return Write(protocol, payload);
        if (StalledQueued >= room)
            return false;
        StalledQueued++;
        return true;
    }

    public bool SendData(ushort protocol, ReadOnlySpan<byte> packet) => Write(protocol, packet);

    public void FlushData()
    {
    }

    private bool Write(ushort protocol, ReadOnlySpan<byte> payload)
    {
        _frame.ResetWrittenCount();
        _encoder.Encode(Parameters, protocol, payload, _frame);
        written(_frame.WrittenSpan);
        return true;
    }
}
