using Ppp.Core.Framing;

namespace Ppp.Interop.Tests.Support;

/// <summary>Runs bytes through Ppp.Core's <see cref="HdlcDecoder"/> and keeps copies of the frames it accepts.</summary>
internal sealed class CoreFrames : IHdlcFrameHandler
{
    public List<(ushort Protocol, byte[] Information)> Frames { get; } = [];

    public static (List<(ushort Protocol, byte[] Information)> Frames, HdlcCounters Counters) Decode(
        ReadOnlySpan<byte> line, int chunkSize = int.MaxValue)
    {
        var decoder = new HdlcDecoder();
        var sink = new CoreFrames();
        while (!line.IsEmpty)
        {
            int n = Math.Min(chunkSize, line.Length);
            decoder.Decode(line[..n], sink);
            line = line[n..];
        }

        return (sink.Frames, decoder.Counters);
    }

    /// <summary>The same frames as the oracle sees them: good FCS only, as (protocol, information).</summary>
    public static List<(ushort Protocol, byte[] Information)> Oracle(ReadOnlySpan<byte> line) =>
        [.. RawHdlcDecoder.DecodeAll(line).Where(f => f.FcsValid).Select(f => (f.Protocol, f.Information.ToArray()))];

    /// <summary>A control packet framed by Ppp.Core's <see cref="HdlcEncoder"/> with its defaults (ACCM all ones).</summary>
    public static byte[] Encode(ushort protocol, ReadOnlySpan<byte> packet)
    {
        var encoder = new HdlcEncoder();
        var buffer = new byte[HdlcEncoder.MaxEncodedLength(packet.Length)];
        int length = encoder.Encode(protocol, packet, buffer, controlFrame: true);
        return buffer[..length];
    }

    void IHdlcFrameHandler.OnFrame(ushort protocol, ReadOnlySpan<byte> information) =>
        Frames.Add((protocol, information.ToArray()));
}
