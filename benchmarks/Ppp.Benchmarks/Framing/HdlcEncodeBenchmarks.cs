using BenchmarkDotNet.Attributes;
using Ppp.Core.Framing;

namespace Ppp.Benchmarks.Framing;

/// <summary>One data frame (protocol 0x0021, random payload) encoded into a reused buffer.</summary>
[MemoryDiagnoser]
public class HdlcEncodeBenchmarks
{
    private readonly HdlcEncoder _encoder = new();
    private byte[] _payload = [];
    private byte[] _output = [];

    [Params(64, 576, 1500)]
    public int Size { get; set; }

    [Params(0u, 0xffffffffu)]
    public uint Accm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[Size];
        new Random(42).NextBytes(_payload);
        _output = new byte[HdlcEncoder.MaxEncodedLength(Size)];
        _encoder.TransmitAccm = Accm;
    }

    [Benchmark]
    public int Encode() => _encoder.Encode(0x0021, _payload, _output);
}
