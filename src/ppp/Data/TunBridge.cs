using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Ppp.Core.Filters;
using Ppp.Core.Link;
using Ppp.Core.Wire;
using Ppp.Tun.Net;

namespace Ppp.Daemon.Data;

/// <summary>
/// The data path between the tun and the link, off the link loop. A dedicated thread does
/// blocking tun reads (one read is one packet), drains what the kernel has queued (up to a
/// batch) into the link's queue and then lets the line's writer have the burst, which it
/// writes in as few writes as its quantum allows; while the line is behind, the queue is full
/// and this thread waits (the kernel then queues on the tun). The device reader delivers
/// decoded IP packets here and they go to the tun in one write. The <c>out</c> filter judges
/// what the tun gives us and the <c>in</c> filter what the peer sends, before anything else
/// (ppp(8) filters before NAT; MSS clamping changes no field a rule reads); what they deny is
/// dropped and counted. TCP SYNs are clamped on the way (<c>enable mssfixup</c>). Nothing here
/// allocates per packet.
/// </summary>
internal sealed partial class TunBridge : INetworkPacketSink, IDisposable
{
    private const int MaxPacket = 65535;

    /// <summary>Packet bytes drained from the tun before the writer gets them (the C tunnel's ~64 KiB a write).</summary>
    private const int BatchBytes = 48 * 1024;

    private readonly TunDevice _tun;
    private readonly ILogger _logger;
    private readonly ILogger _packetLog;
    private readonly Thread _reader;
    private volatile bool _logPackets;
    private PppLink? _link;
    private volatile bool _mssFixup = true;
    private volatile int _mtu = 1500;
    private long _noLinkDrops;
    private long _unknownVersionDrops;
    private long _tunWriteDrops;
    private long _inFilterDrops;
    private long _outFilterDrops;
    private volatile FilterMatcher? _inFilter;
    private volatile FilterMatcher? _outFilter;
    private long _packetsFromTun;
    private long _packetsToTun;

    public TunBridge(TunDevice tun, ILogger logger, ILogger packetLog)
    {
        _tun = tun;
        _logger = logger;
        _packetLog = packetLog;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"{tun.Name} reader" };
    }

    public long PacketsFromTun => Interlocked.Read(ref _packetsFromTun);

    public long PacketsToTun => Interlocked.Read(ref _packetsToTun);

    /// <summary>Packets read from the tun while no link could carry them.</summary>
    public long NoLinkDrops => Interlocked.Read(ref _noLinkDrops);

    public long TunWriteDrops => Interlocked.Read(ref _tunWriteDrops);

    public long UnknownVersionDrops => Interlocked.Read(ref _unknownVersionDrops);

    /// <summary>Packets from the peer the <c>in</c> filter denied.</summary>
    public long InFilterDrops => Interlocked.Read(ref _inFilterDrops);

    /// <summary>Packets from the tun the <c>out</c> filter denied.</summary>
    public long OutFilterDrops => Interlocked.Read(ref _outFilterDrops);

    /// <summary>The compiled <c>in</c> and <c>out</c> filters the data path applies from the next packet on.</summary>
    public void SetFilters(FilterMatcher inFilter, FilterMatcher outFilter)
    {
        // A filter without rule 0 passes everything: skip it altogether.
        _inFilter = inFilter.PassesEverything ? null : inFilter;
        _outFilter = outFilter.PassesEverything ? null : outFilter;
    }

    public void Start() => _reader.Start();

    /// <summary>The link that carries tun packets now (null between connections).</summary>
    public void Attach(PppLink? link) => Volatile.Write(ref _link, link);

    /// <summary>
    /// <c>set log tcp/ip</c> (global or local) is on: one line per packet each way. Off, the data
    /// path reads this flag and formats nothing.
    /// </summary>
    public bool LogPackets
    {
        set => _logPackets = value;
    }

    /// <summary>The interface MTU, which bounds the MSS we let TCP announce.</summary>
    public void Configure(int mtu, bool mssFixup)
    {
        _mtu = mtu;
        _mssFixup = mssFixup;
    }

    private void ReadLoop()
    {
        var buffer = new byte[MaxPacket];
        while (true)
        {
            int length;
            try
            {
                length = _tun.Read(buffer);
            }
            catch (IOException ex)
            {
                TunBridgeLog.ReadFailed(_logger, _tun.Name, ex.Message);
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (length == 0)
                return;
            // Under load the kernel queues packets faster than one write each can carry them:
            // take what is queued (up to a batch) and hand it to the writer as one burst, as
            // the C reference tunnel writes it. An idle link still sends each packet at once.
            var link = Volatile.Read(ref _link);
            int batched = 0;
            do
            {
                batched += length;
                Forward(link, buffer.AsSpan(0, length));
            }
            while (batched < BatchBytes && (length = _tun.TryRead(buffer)) > 0);
            link?.FlushNetworkPackets();
        }
    }

    private void Forward(PppLink? link, Span<byte> packet)
    {
        Interlocked.Increment(ref _packetsFromTun);
        ushort protocol;
        int overhead;
        switch (packet[0] >> 4)
        {
            case 4:
                protocol = (ushort)PppProtocol.Ip;
                overhead = 40;
                break;
            case 6:
                protocol = (ushort)PppProtocol.Ipv6;
                overhead = 60;
                break;
            default:
                Interlocked.Increment(ref _unknownVersionDrops);
                return;
        }
        if (_outFilter is { } filter && !filter.Evaluate(packet).Permitted)
        {
            Interlocked.Increment(ref _outFilterDrops);
            return;
        }
        if (link is null)
        {
            Interlocked.Increment(ref _noLinkDrops);
            return;
        }
        if (_logPackets)
            TunBridgeLog.Packet(_packetLog, "out", IpPacketSummary.Describe(packet));
        if (_mssFixup)
            MssClamp.Clamp(packet, _mtu - overhead);
        // Waits while the line's data queue is full. A false return (NCP not open, packet over
        // the peer's MRU, the line's writer stopped) is counted by the link.
        link.SendNetworkPacket(protocol, packet, flush: false);
    }

    /// <summary>
    /// A decoded IPv4/IPv6 packet from the line (device reader thread). The span is the
    /// decoder's own frame buffer, lent until we return; clamping edits it in place, which is
    /// safe because nobody reads the frame after us.
    /// </summary>
    public void Deliver(ushort protocol, ReadOnlySpan<byte> packet)
    {
        if (_logPackets)
            TunBridgeLog.Packet(_packetLog, "in", IpPacketSummary.Describe(packet));
        if (_inFilter is { } filter && !filter.Evaluate(packet).Permitted)
        {
            Interlocked.Increment(ref _inFilterDrops);
            return;
        }
        if (_mssFixup && packet.Length > 0)
        {
            var writable = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(packet), packet.Length);
            MssClamp.Clamp(writable, _mtu - (protocol == (ushort)PppProtocol.Ipv6 ? 60 : 40));
        }
        if (_tun.Write(packet))
            Interlocked.Increment(ref _packetsToTun);
        else
            Interlocked.Increment(ref _tunWriteDrops);
    }

    public void Dispose()
    {
        _tun.Shutdown();
        if (_reader.IsAlive)
            _reader.Join(TimeSpan.FromSeconds(5));
    }
}

internal static partial class TunBridgeLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "{Interface}: read failed, the data path stops: {Reason}")]
    public static partial void ReadFailed(ILogger logger, string @interface, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Direction} {Summary}")]
    public static partial void Packet(ILogger logger, string direction, string summary);
}
