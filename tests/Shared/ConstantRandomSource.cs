namespace Ppp.Tests.Shared;

/// <summary>
/// Randomness that always gives the same byte: 0x00 makes every jitter zero and every
/// uniform pick the lowest value; 0xFF gives the largest jitter. For exact expectations.
/// </summary>
internal sealed class ConstantRandomSource(byte value) : Ppp.Core.Link.IRandomSource
{
    public static ConstantRandomSource Zero { get; } = new(0);

    public void Fill(Span<byte> destination) => destination.Fill(value);
}
