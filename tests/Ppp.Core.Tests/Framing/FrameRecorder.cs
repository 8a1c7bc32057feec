using Ppp.Core.Framing;

namespace Ppp.Core.Tests.Framing;

/// <summary>Keeps a copy of every frame a decoder delivers (the spans are borrowed).</summary>
internal sealed class FrameRecorder : IHdlcFrameHandler
{
    public List<(ushort Protocol, byte[] Information)> Frames { get; } = [];

    public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Frames.Add((protocol, information.ToArray()));

    /// <summary>"proto:hex" lines, so NUnit shows a readable difference.</summary>
    public IReadOnlyList<string> Describe() => Frames.Select(f => $"{f.Protocol:x4}:{Convert.ToHexString(f.Information)}").ToList();
}

/// <summary>Counts frames without keeping them, for allocation and fuzz-style tests.</summary>
internal sealed class FrameCounter : IHdlcFrameHandler
{
    public int Count { get; private set; }

    public long Octets { get; private set; }

    public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
    {
        Count++;
        Octets += information.Length;
    }
}

internal static class Hex
{
    public static byte[] Parse(string text) => Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal));
}
