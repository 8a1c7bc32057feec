using BenchmarkDotNet.Attributes;
using Ppp.Core.Framing;

namespace Ppp.Benchmarks.Framing;

/// <summary>FCS alone over random data: the dispatching entry points and the portable paths beneath them.</summary>
[MemoryDiagnoser]
public class FcsBenchmarks
{
    private byte[] _data = [];

    [Params(64, 576, 1500)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(42).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public ushort Fcs16Update() => Fcs16.Update(Fcs16.Initial, _data);

    [Benchmark]
    public ushort Fcs16Sliced() => Fcs16.UpdateSliced(Fcs16.Initial, _data);

    [Benchmark]
    public ushort Fcs16Table() => Fcs16.UpdateTable(Fcs16.Initial, _data);

    [Benchmark]
    public uint Fcs32Update() => Fcs32.Update(Fcs32.Initial, _data);

    [Benchmark]
    public uint Fcs32Sliced() => Fcs32.UpdateSliced(Fcs32.Initial, _data);
}
