using BenchmarkDotNet.Attributes;
using Ppp.Core.Framing;

namespace Ppp.Benchmarks.Framing;

/// <summary>One encoded frame (random payload) pushed through the decoder, FCS checked, handed to a no-op handler.</summary>
[MemoryDiagnoser]
public class HdlcDecodeBenchmarks
{
    private readonly HdlcDecoder _decoder = new(maxFrameSize: 2048);
    private readonly CountingHandler _handler = new();
    private byte[] _wire = [];

    [Params(64, 576, 1500)]
    public int Size { get; set; }

    [Params(0u, 0xffffffffu)]
    public uint Accm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] payload = new byte[Size];
        new Random(42).NextBytes(payload);
        var encoder = new HdlcEncoder { TransmitAccm = Accm };
        byte[] buffer = new byte[HdlcEncoder.MaxEncodedLength(Size)];
        _wire = buffer[..encoder.Encode(0x0021, payload, buffer)];
        _decoder.Decode(_wire, _handler);
        if (_handler.Frames != 1)
        {
            throw new InvalidOperationException("The benchmark frame does not decode.");
        }
    }

    [Benchmark]
    public void Decode() => _decoder.Decode(_wire, _handler);

    private sealed class CountingHandler : IHdlcFrameHandler
    {
        public long Frames { get; private set; }

        public void OnFrame(ushort protocol, ReadOnlySpan<byte> information) => Frames++;
    }
}
