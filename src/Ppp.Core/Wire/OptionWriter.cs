using System.Buffers.Binary;

namespace Ppp.Core.Wire;

/// <summary>
/// Appends options (type, length, data; RFC 1661 §6) to a caller-owned buffer. Writes past the
/// end throw: buffers are sized for the largest packet we build, so that is a programmer error.
/// </summary>
public ref struct OptionWriter
{
    private readonly Span<byte> _buffer;

    public OptionWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Length = 0;
    }

    public int Length { get; private set; }

    public readonly ReadOnlySpan<byte> Written => _buffer[..Length];

    public void Write(byte type, scoped ReadOnlySpan<byte> data)
    {
        int length = 2 + data.Length;
        if (length > 255)
            throw new ArgumentException("An option holds at most 253 data octets.", nameof(data));
        var dest = _buffer.Slice(Length, length);
        dest[0] = type;
        dest[1] = (byte)length;
        data.CopyTo(dest[2..]);
        Length += length;
    }

    /// <summary>Copies an already encoded option (type, length, data) verbatim.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> whole)
    {
        whole.CopyTo(_buffer[Length..]);
        Length += whole.Length;
    }

    public void WriteEmpty(byte type) => Write(type, []);

    public void WriteByte(byte type, byte value) => Write(type, [value]);

    public void WriteUInt16(byte type, ushort value)
    {
        Span<byte> data = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(data, value);
        Write(type, data);
    }

    public void WriteUInt32(byte type, uint value)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, value);
        Write(type, data);
    }
}
