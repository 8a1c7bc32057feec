using Microsoft.Extensions.Logging.Abstractions;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;
using Ppp.Core.Time;
using Ppp.Core.Wire;

namespace Ppp.Benchmarks.Fuzz;

/// <summary>
/// Fuzz targets for every control-protocol parser: each input is one packet handed to a real
/// executor and handler (LCP, IPCP, IPV6CP) or to the authentication phase (PAP, CHAP with
/// MD5 and MS-CHAPv2), in the states where they parse the most. A target whose state the
/// input moved away (closed, failed) is rebuilt, so every input meets a live protocol.
/// Everything sent in reply is checked to be a well-formed control packet.
/// </summary>
internal static class ProtocolFuzzTargets
{
    private static readonly ControlProtocolTarget Lcp = new(static (random, scheduler) =>
        new LcpHandler(new LcpConfig { RequirePeerAuthentication = [AuthProtocol.ChapMd5] }, scheduler, random, NullLogger.Instance));

    private static readonly ControlProtocolTarget Ipcp = new(static (_, _) => new IpcpHandler(
        new IpcpConfig
        {
            IfAddr = IfAddr.Parse(["10.0.0.1/24", "10.0.0.2-10.0.0.9"]).Value!,
            EnableDns = true,
            AcceptDns = true,
            PrimaryDns = System.Net.IPAddress.Parse("192.0.2.53"),
        },
        NullLogger.Instance));

    private static readonly ControlProtocolTarget Ipv6cp = new(static (random, _) =>
        new Ipv6cpHandler(new Ipv6cpConfig(), random, NullLogger.Instance));

    private static readonly AuthTarget Pap = new(AuthProtocol.Pap, (ushort)PppProtocol.Pap);
    private static readonly AuthTarget Chap = new(AuthProtocol.ChapMd5, (ushort)PppProtocol.Chap);
    private static readonly AuthTarget MsChapV2 = new(AuthProtocol.MsChapV2, (ushort)PppProtocol.Chap);

    public static void RunLcp(ReadOnlySpan<byte> input) => Lcp.Run(input);
    public static void RunIpcp(ReadOnlySpan<byte> input) => Ipcp.Run(input);
    public static void RunIpv6cp(ReadOnlySpan<byte> input) => Ipv6cp.Run(input);
    public static void RunPap(ReadOnlySpan<byte> input) => Pap.Run(input);
    public static void RunChap(ReadOnlySpan<byte> input) => Chap.Run(input);
    public static void RunMsChapV2(ReadOnlySpan<byte> input) => MsChapV2.Run(input);

    // Valid packets the runner mutates: requests, replies and extra codes of each protocol.
    private static readonly byte[][] LcpSeeds =
    [
        Convert.FromHexString("0101001d010405dc020600000000050612345678070208020305c22305"),
        Convert.FromHexString("030200090305c22381"),
        Convert.FromHexString("0403000a0408c0250000"),
        Convert.FromHexString("0901000812345678"),
        Convert.FromHexString("0805000a802101020304"),
        Convert.FromHexString("0706000801010004"),
        Convert.FromHexString("0c07000c0000000068656c6c"),
        Convert.FromHexString("05080004"),
    ];

    private static readonly byte[][] IpcpSeeds =
    [
        Convert.FromHexString("01010016030600000000810600000000830600000000"),
        Convert.FromHexString("0101000a03060a000002"),
        Convert.FromHexString("0102001003060000000002060f010000"),
        Convert.FromHexString("0301000a03060a000005"),
        Convert.FromHexString("0401000a830600000000"),
    ];

    private static readonly byte[][] Ipv6cpSeeds =
    [
        Convert.FromHexString("0101000e010a0123456789abcdef"),
        Convert.FromHexString("0101000e010a0000000000000000"),
        Convert.FromHexString("0301000e010a1111111111111111"),
        Convert.FromHexString("040100080204004f"),
    ];

    private static readonly byte[][] PapSeeds =
    [
        Convert.FromHexString("0101001105616c69636506733363726574"),
        Convert.FromHexString("02010009044f4b2121"),
        Convert.FromHexString("0301000a056e6f706521"),
    ];

    private static readonly byte[][] ChapSeeds =
    [
        Convert.FromHexString("0101001810000102030405060708090a0b0c0d0e0f737276"),
        Convert.FromHexString("0201001a10000102030405060708090a0b0c0d0e0f616c696365"),
        Convert.FromHexString("0301000b57656c636f6d65"),
        Convert.FromHexString("0401002d453d36393120523d3020433d303030313032303330343035303630373038303930413042204d3d6e6f"),
        Convert.FromHexString("03010034533d3030303030303030303030303030303030303030303030303030303030303030303030303030303030204d3d6f6b"),
    ];

    public static byte[] LcpSeed(Random random) => LcpSeeds[random.Next(LcpSeeds.Length)];
    public static byte[] IpcpSeed(Random random) => IpcpSeeds[random.Next(IpcpSeeds.Length)];
    public static byte[] Ipv6cpSeed(Random random) => Ipv6cpSeeds[random.Next(Ipv6cpSeeds.Length)];
    public static byte[] PapSeed(Random random) => PapSeeds[random.Next(PapSeeds.Length)];
    public static byte[] ChapSeed(Random random) => ChapSeeds[random.Next(ChapSeeds.Length)];

    /// <summary>Checks what a protocol sends back: a fuzzed input must never make us send garbage.</summary>
    private sealed class CheckedOutput : IPacketOutput
    {
        public void Send(ushort protocol, ReadOnlySpan<byte> payload)
        {
            if (!ControlPacket.TryParse(payload, out var p))
                throw new InvalidOperationException($"sent a malformed {PppProtocols.Name(protocol)} packet");
            if (protocol is not ((ushort)PppProtocol.Pap or (ushort)PppProtocol.Chap)
                && p.Code is >= 1 and <= 4 && !OptionReader.IsWellFormed(p.Data))
                throw new InvalidOperationException($"sent a malformed {PppProtocols.Name(protocol)} option list");
        }
    }

    private sealed class FixedRandom : IRandomSource
    {
        private readonly Random _random = new(1661);

        public void Fill(Span<byte> destination) => _random.NextBytes(destination);
    }

    private sealed class ControlProtocolTarget(Func<IRandomSource, LinkScheduler, IControlProtocolHandler> create)
    {
        private readonly LinkScheduler _scheduler = LinkScheduler.Inline(TimeProvider.System);
        private readonly IRandomSource _random = new FixedRandom();
        private readonly CheckedOutput _output = new();
        private ControlProtocolFsm? _fsm;
        private int _uses;

        public void Run(ReadOnlySpan<byte> input)
        {
            // Rebuild now and then, and whenever the input ended negotiation, so inputs meet
            // every negotiating state as well as Opened.
            if (_fsm is null || ++_uses % 64 == 0 || _fsm.State is FsmState.Stopped or FsmState.Closed or FsmState.Initial)
                _fsm = Build();
            _fsm.Receive(input);
        }

        private ControlProtocolFsm Build()
        {
            var handler = create(_random, _scheduler);
            var fsm = new ControlProtocolFsm(handler, _output, _scheduler, NullLogger.Instance);
            if (handler is LcpHandler lcp)
                lcp.Attach(fsm);
            fsm.Open();
            fsm.Up();
            return fsm;
        }
    }

    private sealed class AuthTarget(AuthProtocol protocol, ushort wireProtocol)
    {
        private readonly CheckedOutput _output = new();
        private AuthenticationPhase? _phase;
        private int _uses;

        public void Run(ReadOnlySpan<byte> input)
        {
            if (_phase is null || !_phase.IsRunning || ++_uses % 64 == 0)
                _phase = Build();
            _phase.Receive(wireProtocol, input);
        }

        private AuthenticationPhase Build()
        {
            var phase = new AuthenticationPhase(_output, LinkScheduler.Inline(TimeProvider.System), NullLoggerFactory.Instance,
                new InMemorySecretStore([new("alice", "s3cret")]), new AuthOptions { LocalName = "srv", Credentials = new AuthCredentials("alice", "s3cret") }, new FixedRandom());
            // Both roles at once, so requests and replies of every code are parsed.
            phase.Start(protocol, protocol);
            return phase;
        }
    }
}
