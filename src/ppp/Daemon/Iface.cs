using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Filters;
using Ppp.Core.Link;
using Ppp.Daemon.Data;
using Ppp.Daemon.Runtime;
using Ppp.Tun.Dns;
using Ppp.Tun.Net;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// ppp(8)'s interface: the tun, what we configured on it (addresses, MTU, sticky routes), the
/// resolver, and the data path between the tun and the current link. It knows nothing of
/// modems or of why a link goes up or down: the bundle tells it what the NCPs agreed. All
/// methods run on the loop; resolver work (a <c>resolvectl</c> run can take seconds) runs off
/// it, one call after another, so the loop never waits for it.
/// </summary>
internal sealed class Iface : IDisposable
{
    private readonly BundleSettings _settings;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _phase;
    private TunDevice? _tun;
    private RtNetlink? _netlink;
    private InterfaceConfigurator? _configurator;
    private ResolverManager? _resolver;
    private TunBridge? _bridge;
    private Task _resolverWork = Task.CompletedTask;
    private IPAddress[] _learnedDns = [];
    private FilterAddresses _filterAddresses = FilterAddresses.None;

    public Iface(BundleSettings settings, ILoggerFactory loggers)
    {
        _settings = settings;
        _loggers = loggers;
        _phase = loggers.CreateLogger("Phase");
    }

    public string? Name => _tun?.Name;

    public bool IsOpen => _configurator is not null;

    /// <summary>The DNS servers the peer gave us and we applied.</summary>
    public IReadOnlyList<IPAddress> LearnedDns => _learnedDns;

    public IReadOnlyList<InterfaceAddress> Addresses => _configurator?.Addresses ?? [];

    public IReadOnlyList<AppliedRoute> Routes => _configurator?.Routes ?? [];

    public long NoLinkDrops => _bridge?.NoLinkDrops ?? 0;

    public long TunWriteDrops => _bridge?.TunWriteDrops ?? 0;

    private bool _logPackets;

    /// <summary><c>set log tcp/ip</c> is on somewhere (the log or the prompt): the data path logs each packet.</summary>
    public void LogPackets(bool on)
    {
        _logPackets = on;
        if (_bridge is not null)
            _bridge.LogPackets = on;
    }

    public long InFilterDrops => _bridge?.InFilterDrops ?? 0;

    public long OutFilterDrops => _bridge?.OutFilterDrops ?? 0;

    /// <summary>Where decoded IP packets go: the tun, or nowhere before it is open.</summary>
    public INetworkPacketSink PacketSink => (INetworkPacketSink?)_bridge ?? NullPacketSink.Instance;

    /// <summary>Opens the tun and the kernel-side helpers; once, before any command runs.</summary>
    public void Open(int? unit)
    {
        _tun = TunDevice.Open(unit);
        DisableKernelLinkLocal(_tun.Name);
        _netlink = RtNetlink.Open();
        _configurator = new InterfaceConfigurator(_netlink, _loggers.CreateLogger("Tun"), _tun.Name, _tun.IfIndex);
        _resolver = new ResolverManager(ResolverModeSetting(), _tun.Name, _loggers.CreateLogger("DNS"));
        _resolver.RecoverAfterCrash();
        _bridge = new TunBridge(_tun, _loggers.CreateLogger("Tun"), _loggers.CreateLogger(Core.Config.LogLevels.TcpIp)) { LogPackets = _logPackets };
        ApplyFilters();
        _bridge.Start();
        BundleLog.InterfaceOpened(_phase, _tun.Name);
    }

    /// <summary>
    /// The kernel gives a tun its own fe80:: address when it comes up. A PPP link must have only
    /// the one IPV6CP agreed: the kernel would pick its own as the source of our packets, and a
    /// peer such as Linux pppd, which routes only our negotiated address back over the link,
    /// never answers (addr_gen_mode 1 = none, as for ppp devices).
    /// </summary>
    private void DisableKernelLinkLocal(string name)
    {
        string path = $"/proc/sys/net/ipv6/conf/{name}/addr_gen_mode";
        try
        {
            if (File.Exists(path))
                File.WriteAllText(path, "1\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            BundleLog.InterfaceFailed(_phase, $"{path}: {ex.Message}");
        }
    }

    private ResolverMode ResolverModeSetting() =>
        _settings.ResolvMode == ResolvMode.ReadOnly ? ResolverMode.ReadOnly : ResolverMode.Rewrite;

    /// <summary>The link whose NCPs carry tun packets now (null between connections).</summary>
    public void Attach(PppLink? link) => _bridge?.Attach(link);

    /// <summary>The interface MTU (bounds the MSS we let TCP announce) and whether to clamp.</summary>
    public void Configure(int mtu)
    {
        _bridge?.Configure(mtu, _settings.MssFixup);
        ApplyFilters();
    }

    /// <summary>
    /// Compiles the <c>in</c> and <c>out</c> rules against the addresses the NCPs gave (MYADDR,
    /// HISADDR, ...) and hands them to the data path: at open, whenever the settings change
    /// with a link up, and as the addresses come and go.
    /// </summary>
    private void ApplyFilters() => _bridge?.SetFilters(
        _settings.Filters[FilterName.In].Compile(_filterAddresses),
        _settings.Filters[FilterName.Out].Compile(_filterAddresses));

    /// <summary>IPCP is up: addresses, sticky routes, DNS. Returns why the addresses could not be set, or null.</summary>
    public string? Ipv4Up(IPAddress local, IPAddress remote, IPAddress? dns0, IPAddress? dns1, int mtu)
    {
        if (_configurator is null)
            return null;
        _filterAddresses = _filterAddresses with { MyAddress = local, HisAddress = remote, Dns0 = dns0, Dns1 = dns1 };
        Configure(mtu);
        _configurator.SetDns(dns0, dns1);
        try
        {
            _configurator.ApplyIpv4(local, remote, mtu);
        }
        catch (IOException ex)
        {
            BundleLog.InterfaceFailed(_phase, ex.Message);
            return ex.Message;
        }
        _learnedDns = new[] { dns0, dns1 }.OfType<IPAddress>().ToArray();
        if (_learnedDns.Length > 0)
        {
            var servers = _learnedDns;
            OffLoop(r => r.Apply(servers));
        }
        return null;
    }

    public void Ipv4Down()
    {
        if (_configurator is null)
            return;
        OffLoop(r => r.Restore());
        _filterAddresses = _filterAddresses with { MyAddress = null, HisAddress = null, Dns0 = null, Dns1 = null };
        ApplyFilters();
        _learnedDns = [];
        _configurator.SetDns(null, null);
        _configurator.RemoveIpv4();
    }

    /// <summary>IPV6CP is up: the link-local addresses. Returns why they could not be set, or null.</summary>
    public string? Ipv6Up(IPAddress local, IPAddress remote, int mtu)
    {
        if (_configurator is null)
            return null;
        _filterAddresses = _filterAddresses with { MyAddress6 = local, HisAddress6 = remote };
        Configure(mtu);
        try
        {
            _configurator.ApplyIpv6(local, remote);
            return null;
        }
        catch (IOException ex)
        {
            BundleLog.InterfaceFailed(_phase, ex.Message);
            return ex.Message;
        }
    }

    public void Ipv6Down()
    {
        _filterAddresses = _filterAddresses with { MyAddress6 = null, HisAddress6 = null };
        ApplyFilters();
        _configurator?.RemoveIpv6();
    }

    /// <summary>
    /// Resolver changes run on the thread pool, strictly in order (an Apply is never overtaken
    /// by the Restore that follows it); the resolver logs its own failures.
    /// </summary>
    private void OffLoop(Func<ResolverManager, bool> work)
    {
        if (_resolver is not { } resolver)
            return;
        resolver.Mode = ResolverModeSetting();
        _resolverWork = _resolverWork.ContinueWith(_ => work(resolver), CancellationToken.None,
            TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary><c>resolv reload|restore|rewrite</c>: the resolver actions ppp(8) has.</summary>
    public CommandOutcome Resolv(ResolvAction action)
    {
        if (_resolver is null)
            return CommandOutcome.Fail("resolv: no interface");
        _resolver.Mode = ResolverModeSetting();
        // A command's answer is the resolver's: wait for what is queued, then run this one.
        // These are explicit user requests, not link events, so the wait is the user's.
        _resolverWork.Wait();
        bool done = action switch
        {
            ResolvAction.Reload => _resolver.Reload(),
            ResolvAction.Restore => _resolver.Restore(),
            ResolvAction.Rewrite => _resolver.Rewrite(),
            _ => false,
        };
        return done ? CommandOutcome.Ok : CommandOutcome.Fail($"resolv {action.ToString().ToLowerInvariant()}: failed (see the DNS log)");
    }

    public CommandOutcome AddRoute(RouteSpec route, bool replace) =>
        _configurator?.AddRoute(route, replace) ?? NoInterface;

    public CommandOutcome DeleteRoute(RouteSpec? route, bool quiet) =>
        _configurator?.DeleteRoute(route, quiet) ?? NoInterface;

    public CommandOutcome IfaceAdd(InterfaceAddress address, bool replace) =>
        _configurator?.IfaceAdd(address, replace) ?? NoInterface;

    public CommandOutcome IfaceDelete(IPAddress address, bool quiet) =>
        _configurator?.IfaceDelete(address, quiet) ?? NoInterface;

    public CommandOutcome IfaceClear(AddressFamily? family) =>
        _configurator?.IfaceClear(family) ?? NoInterface;

    public CommandOutcome IfaceName(string name) =>
        _configurator?.IfaceName(name) ?? NoInterface;

    public CommandOutcome IfaceDescription(string text) =>
        _configurator?.IfaceDescription(text) ?? NoInterface;

    private static CommandOutcome NoInterface => CommandOutcome.Fail("no interface");

    /// <summary>Undoes what we configured (on the loop): the resolver, routes and addresses.</summary>
    public void Teardown()
    {
        _bridge?.Attach(null);
        _resolverWork.Wait(TimeSpan.FromSeconds(10));
        _resolver?.Restore();
        _configurator?.Teardown();
    }

    /// <summary>Stops the data path and closes the tun (after <see cref="Teardown"/>).</summary>
    public void Dispose()
    {
        _bridge?.Dispose();
        _tun?.Dispose();
        _netlink?.Dispose();
        BundleLog.InterfaceClosed(_phase, _tun?.Name ?? "-");
    }

    private sealed class NullPacketSink : INetworkPacketSink
    {
        public static NullPacketSink Instance { get; } = new();

        public void Deliver(ushort protocol, ReadOnlySpan<byte> packet)
        {
        }
    }
}
