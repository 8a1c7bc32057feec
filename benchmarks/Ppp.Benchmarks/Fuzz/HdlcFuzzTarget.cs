using Ppp.Core.Framing;

namespace Ppp.Benchmarks.Fuzz;

/// <summary>
/// Fuzzes <see cref="HdlcDecoder"/>: the input's first four octets choose the settings, the rest
/// is pushed in chunks whose sizes come from the input too, then given to DecodeSynchronous.
/// </summary>
/// <remarks>
/// <code>
///   octet 0: bit 0 FCS-32, bit 1 scalar path, bit 2 receive ACCM from octet 3, bits 3-7 chunk seed
///   octets 1-2: MRU (1..4096)   octet 3: receive ACCM byte (spread over 32 bits)   4..: line data
/// </code>
/// Besides "never throws", each delivered frame is checked: information within the MRU, a valid
/// protocol number, and re-encoding it then decoding gives back the same frame.
/// </remarks>
internal static class HdlcFuzzTarget
{
    private static readonly byte[] s_scratch = new byte[HdlcEncoder.MaxEncodedLength(4096)];

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 4)
        {
            new HdlcDecoder().Decode(input, new Checker(1500, FcsKind.Fcs16));
            return;
        }

        byte mode = input[0];
        int mru = 1 + (((input[1] << 8) | input[2]) % 4096);
        FcsKind fcs = (mode & 1) != 0 ? FcsKind.Fcs32 : FcsKind.Fcs16;
        var decoder = new HdlcDecoder(mru, fcs)
        {
            UseScalarPath = (mode & 2) != 0,
            ReceiveAccm = (mode & 4) != 0 ? input[3] * 0x01010101u : 0,
        };
        int capacity = decoder.BufferCapacity;
        var checker = new Checker(mru, fcs);
        ReadOnlySpan<byte> data = input[4..];

        // Chunk sizes from a tiny LCG seeded by the input, so a finding replays exactly.
        uint state = (uint)(mode >> 3) + 1;
        ReadOnlySpan<byte> rest = data;
        while (!rest.IsEmpty)
        {
            state = (state * 1103515245) + 12345;
            int n = Math.Min(rest.Length, 1 + (int)((state >> 16) % 97));
            decoder.Decode(rest[..n], checker);
            rest = rest[n..];
        }

        decoder.DecodeSynchronous(data, checker);
        Require(decoder.BufferCapacity == capacity, "frame buffer grew");
        Require(decoder.Counters.LineOctets == 2L * data.Length, "line octets miscounted");
    }

    /// <summary>A stream of valid frames with random settings, for the runner to mutate.</summary>
    public static byte[] Seed(Random random)
    {
        var encoder = new HdlcEncoder
        {
            TransmitAccm = random.Next(3) switch { 0 => Accm.None, 1 => Accm.All, _ => (uint)random.NextInt64(0x1_0000_0000) },
            AddressControlCompression = random.Next(2) == 0,
            ProtocolCompression = random.Next(2) == 0,
        };
        byte mode = (byte)(random.Next(256) & ~1); // FCS-16, matching the encoder
        var stream = new List<byte> { mode, 0x05, 0xdc, 0x00 }; // MRU 1501
        int frames = random.Next(1, 5);
        ushort[] protocols = [0x0021, 0x0057, 0x00fd, 0x8021, 0xc021, 0xc223];
        for (int i = 0; i < frames; i++)
        {
            byte[] payload = new byte[random.Next(0, 300)];
            random.NextBytes(payload);
            ushort protocol = protocols[random.Next(protocols.Length)];
            int length = encoder.Encode(protocol, payload, s_scratch, controlFrame: protocol == 0xc021);
            stream.AddRange(s_scratch.AsSpan(0, length));
        }

        return [.. stream];
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("hdlc invariant broken: " + what);
        }
    }

    // Shared across inputs (the runner is single-threaded): building escape sets per input would
    // cost more than the decoding being fuzzed.
    private static readonly HdlcEncoder[] s_encoders = [new() { TransmitAccm = 0 }, new() { TransmitAccm = 0, Fcs = FcsKind.Fcs32 }];
    private static readonly HdlcDecoder[] s_probes = [new(4096), new(4096, FcsKind.Fcs32)];
    private static readonly Probe s_probe = new();
    private static readonly byte[] s_wire = new byte[HdlcEncoder.MaxEncodedLength(4096)];

    private sealed class Checker(int mru, FcsKind fcs) : IHdlcFrameHandler
    {

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
        {
            int protocolLength = protocol < 0x100 ? 1 : 2;
            Require(information.Length + protocolLength <= mru, "frame over the MRU delivered");
            Require((protocol & 0x0001) == 1, "protocol with even low octet delivered");
            // Round trip through the encoder: the same frame must come back, once.
            int kind = fcs == FcsKind.Fcs32 ? 1 : 0;
            int length = s_encoders[kind].Encode(protocol, information, s_wire);
            HdlcDecoder again = s_probes[kind];
            again.Reset();
            s_probe.Clear();
            again.Decode(s_wire.AsSpan(0, length), s_probe);
            Require(s_probe.Count == 1 && s_probe.Protocol == protocol && s_probe.Information.SequenceEqual(information), "re-encoded frame did not round-trip");
        }
    }

    private sealed class Probe : IHdlcFrameHandler
    {
        private readonly byte[] _information = new byte[4096];
        private int _length;

        public int Count { get; private set; }

        public ushort Protocol { get; private set; }

        public ReadOnlySpan<byte> Information => _information.AsSpan(0, _length);

        public void Clear() => Count = 0;

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information)
        {
            Count++;
            Protocol = protocol;
            _length = information.Length;
            information.CopyTo(_information);
        }
    }
}
