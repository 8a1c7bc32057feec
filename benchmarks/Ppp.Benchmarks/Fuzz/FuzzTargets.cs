namespace Ppp.Benchmarks.Fuzz;

/// <summary>
/// The registry of fuzz targets, by name. A target takes one input and must never throw: any
/// exception is a finding. To add one, write a static class beside <see cref="HdlcFuzzTarget"/>
/// and add a line to each dictionary below (a seed generator is optional: without one the
/// runner feeds only random bytes).
/// </summary>
internal static class FuzzTargets
{
    /// <summary>Name to target.</summary>
    public static IReadOnlyDictionary<string, Action<ReadOnlySpan<byte>>> Targets { get; } =
        new Dictionary<string, Action<ReadOnlySpan<byte>>>(StringComparer.Ordinal)
        {
            ["hdlc"] = HdlcFuzzTarget.Run,
            ["lcp"] = ProtocolFuzzTargets.RunLcp,
            ["ipcp"] = ProtocolFuzzTargets.RunIpcp,
            ["ipv6cp"] = ProtocolFuzzTargets.RunIpv6cp,
            ["pap"] = ProtocolFuzzTargets.RunPap,
            ["chap"] = ProtocolFuzzTargets.RunChap,
            ["mschapv2"] = ProtocolFuzzTargets.RunMsChapV2,
            ["filter"] = FilterFuzzTarget.Run,
        };

    /// <summary>
    /// Name to a generator of valid inputs, which the runner mutates (bit flips, inserted
    /// special octets, cuts, splices), so the fuzzing reaches deep into well-formed streams.
    /// </summary>
    public static IReadOnlyDictionary<string, Func<Random, byte[]>> Seeds { get; } =
        new Dictionary<string, Func<Random, byte[]>>(StringComparer.Ordinal)
        {
            ["hdlc"] = HdlcFuzzTarget.Seed,
            ["lcp"] = ProtocolFuzzTargets.LcpSeed,
            ["ipcp"] = ProtocolFuzzTargets.IpcpSeed,
            ["ipv6cp"] = ProtocolFuzzTargets.Ipv6cpSeed,
            ["pap"] = ProtocolFuzzTargets.PapSeed,
            ["chap"] = ProtocolFuzzTargets.ChapSeed,
            ["mschapv2"] = ProtocolFuzzTargets.ChapSeed,
            ["filter"] = FilterFuzzTarget.Seed,
        };
}
