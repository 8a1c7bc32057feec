namespace Ppp.Core.Framing;

/// <summary>
/// Receives the frames an <see cref="HdlcDecoder"/> accepts: protocol number with any PFC
/// expanded, and the information field without address, control or FCS.
/// </summary>
/// <remarks>
/// <paramref name="information"/> in <see cref="OnFrame"/> points into the decoder's frame
/// buffer and is borrowed until the call returns; a handler that keeps the bytes copies them.
/// A handler must not call back into the same decoder.
/// </remarks>
public interface IHdlcFrameHandler
{
    /// <summary>One good frame. The span is valid only during the call.</summary>
    void OnFrame(ushort protocol, ReadOnlySpan<byte> information);
}
