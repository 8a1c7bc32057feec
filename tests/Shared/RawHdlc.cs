using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Ppp.Tests.Shared;

/// <summary>
/// A deliberately small, slow and independent RFC 1662 async-HDLC codec, written only for
/// tests: it is the oracle that real peers' bytes are checked with, so it shares no code with
/// Ppp.Core's framing (a shared bug would otherwise pass on both sides).
/// </summary>
/// <remarks>
/// Frame on the wire (RFC 1662 §3.1, §4.2):
/// <code>
/// 7e | ff 03 | protocol (1-2) | information | FCS-16 (LSB first) | 7e
///      every byte between the flags with 7d/7e/ACCM-flagged values sent as 7d, byte ^ 0x20
/// </code>
/// </remarks>
internal static class RawHdlc
{
    public const byte Flag = 0x7e;
    public const byte Escape = 0x7d;
    public const ushort FcsInitial = 0xffff;
    public const ushort FcsGoodResidue = 0xf0b8;

    /// <summary>FCS-16 (RFC 1662 appendix C.2) computed bit by bit, without a table.</summary>
    public static ushort Fcs16(ReadOnlySpan<byte> data, ushort fcs = FcsInitial)
    {
        foreach (byte b in data)
        {
            fcs ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                fcs = (fcs & 1) != 0 ? (ushort)((fcs >> 1) ^ 0x8408) : (ushort)(fcs >> 1);
            }
        }

        return fcs;
    }

    /// <summary>
    /// Frames <paramref name="content"/> (address, control, protocol and information) with
    /// flags, the FCS and escapes: every byte below 0x20 whose bit is set in <paramref name="accm"/>.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> content, uint accm = 0xffffffff)
    {
        ushort fcs = (ushort)~Fcs16(content);
        Span<byte> fcsBytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(fcsBytes, fcs);

        var output = new List<byte>(content.Length * 2 + 6) { Flag };
        foreach (byte b in content)
        {
            Put(output, b, accm);
        }

        Put(output, fcsBytes[0], accm);
        Put(output, fcsBytes[1], accm);
        output.Add(Flag);
        return [.. output];
    }

    /// <summary>An LCP (or other control protocol) packet in an uncompressed frame: ff 03 proto code id len data.</summary>
    public static byte[] EncodeControlPacket(ushort protocol, byte code, byte identifier, ReadOnlySpan<byte> data)
    {
        var content = new byte[4 + 4 + data.Length];
        content[0] = 0xff;
        content[1] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(content.AsSpan(2), protocol);
        content[4] = code;
        content[5] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(content.AsSpan(6), (ushort)(4 + data.Length));
        data.CopyTo(content.AsSpan(8));
        return Encode(content);
    }

    private static void Put(List<byte> output, byte b, uint accm)
    {
        if (b is Flag or Escape || (b < 0x20 && (accm & (1u << b)) != 0))
        {
            output.Add(Escape);
            output.Add((byte)(b ^ 0x20));
        }
        else
        {
            output.Add(b);
        }
    }
}

/// <summary>One frame between two flags, unescaped. <see cref="Content"/> excludes the FCS.</summary>
internal sealed class RawFrame(byte[] unescaped, bool abortedByEscape)
{
    /// <summary>All bytes between the flags, unescaped, FCS included.</summary>
    public byte[] Unescaped { get; } = unescaped;

    public bool FcsValid { get; } = !abortedByEscape && unescaped.Length >= 4 &&
                                    RawHdlc.Fcs16(unescaped) == RawHdlc.FcsGoodResidue;

    public ReadOnlySpan<byte> Content => Unescaped.AsSpan(0, Math.Max(0, Unescaped.Length - 2));

    /// <summary>True when the frame starts with the all-stations address and UI control (no ACFC).</summary>
    public bool HasAddressAndControl => Unescaped.Length >= 2 && Unescaped[0] == 0xff && Unescaped[1] == 0x03;

    /// <summary>The protocol field, expanded if it was compressed (PFC: one odd byte).</summary>
    public ushort Protocol
    {
        get
        {
            ReadOnlySpan<byte> rest = HasAddressAndControl ? Content[2..] : Content;
            if (rest.IsEmpty)
            {
                return 0;
            }

            return (rest[0] & 1) != 0 ? rest[0] : rest.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(rest) : (ushort)0;
        }
    }

    public ReadOnlySpan<byte> Information
    {
        get
        {
            ReadOnlySpan<byte> rest = HasAddressAndControl ? Content[2..] : Content;
            int protocolLength = !rest.IsEmpty && (rest[0] & 1) != 0 ? 1 : 2;
            return rest.Length >= protocolLength ? rest[protocolLength..] : [];
        }
    }

    public override string ToString() =>
        $"{(FcsValid ? "good" : "BAD-FCS")} proto=0x{Protocol:x4} [{Convert.ToHexString(Unescaped).ToLowerInvariant()}]";
}

/// <summary>Splits a byte stream at flags and undoes escapes; keeps its state across chunks.</summary>
internal sealed class RawHdlcDecoder
{
    private readonly List<byte> _current = [];
    private bool _escaped;
    private bool _aborted;

    public List<RawFrame> Push(ReadOnlySpan<byte> chunk)
    {
        var frames = new List<RawFrame>();
        foreach (byte b in chunk)
        {
            if (b == RawHdlc.Flag)
            {
                if (_current.Count > 0)
                {
                    // 7d 7e aborts a frame (RFC 1662 §4.4.1); keep it so a test can see it was bad.
                    frames.Add(new RawFrame([.. _current], _escaped || _aborted));
                }

                _current.Clear();
                _escaped = false;
                _aborted = false;
            }
            else if (b == RawHdlc.Escape)
            {
                if (_escaped)
                {
                    _aborted = true;
                }

                _escaped = true;
            }
            else
            {
                _current.Add(_escaped ? (byte)(b ^ 0x20) : b);
                _escaped = false;
            }
        }

        return frames;
    }

    public static List<RawFrame> DecodeAll(ReadOnlySpan<byte> stream) => new RawHdlcDecoder().Push(stream);
}

/// <summary>A control-protocol packet (RFC 1661 §5): code, identifier, length, data.</summary>
/// <remarks>
/// <code>
///  0      1      2      3
///  code | id   | length (16, whole packet) | data ...
///  Configure-*: data = options, each  type | length (whole option) | value
/// </code>
/// </remarks>
internal sealed record RawControlPacket(byte Code, byte Identifier, byte[] Data)
{
    public const byte ConfigureRequest = 1;
    public const byte ConfigureAck = 2;
    public const byte ConfigureNak = 3;
    public const byte ConfigureReject = 4;

    /// <summary>Parses a packet; null when the length field does not fit (then it is not one).</summary>
    public static RawControlPacket? TryParse(ReadOnlySpan<byte> information)
    {
        if (information.Length < 4)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(information[2..]);
        if (length < 4 || length > information.Length)
        {
            return null;
        }

        return new RawControlPacket(information[0], information[1], information[4..length].ToArray());
    }

    /// <summary>The options of a Configure-* packet; null if an option length is malformed.</summary>
    public IReadOnlyList<(byte Type, byte[] Value)>? TryOptions()
    {
        var options = new List<(byte, byte[])>();
        for (int i = 0; i < Data.Length;)
        {
            if (i + 2 > Data.Length || Data[i + 1] < 2 || i + Data[i + 1] > Data.Length)
            {
                return null;
            }

            options.Add((Data[i], Data.AsSpan(i + 2, Data[i + 1] - 2).ToArray()));
            i += Data[i + 1];
        }

        return options;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"code={Code} id=0x{Identifier:x2}");
        foreach ((byte type, byte[] value) in TryOptions() ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $" <{type}:{Convert.ToHexString(value).ToLowerInvariant()}>");
        }

        return text.ToString();
    }
}
