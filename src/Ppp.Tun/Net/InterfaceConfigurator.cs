using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;

namespace Ppp.Tun.Net;

/// <summary>
/// Owns every change the daemon makes to its one tun interface (NCP addresses, <c>iface</c>
/// addresses, MTU, link state, <c>add</c>/<c>delete</c> routes) so that all of it can be undone.
/// <para>
/// Sticky routes (ppp(8)): a route naming MYADDR, HISADDR, MYADDR6, HISADDR6, DNS0, DNS1 or
/// <c>default</c> is kept as a spec and installed whenever every word has a value and the NCP of
/// its family is up; it is removed when that goes, and re-installed (resolved afresh) on the
/// next Apply. A gateway of HISADDR/HISADDR6 means "out of this point-to-point interface"
/// (no <c>via</c>). Routes without words are installed once, and dropped with their family's
/// address, as the kernel flushes them then anyway. Every route goes out of this interface.
/// </para>
/// <para>
/// Not thread-safe: every member is called on the daemon's single link loop. Command
/// operations report failure as a <see cref="CommandOutcome"/>; <see cref="ApplyIpv4"/> and
/// <see cref="ApplyIpv6"/> throw <see cref="IOException"/> when the address cannot be set (the
/// link cannot carry traffic then); removal and <see cref="Teardown"/> only log.
/// </para>
/// </summary>
internal sealed partial class InterfaceConfigurator
{
    private const int Esrch = 3;
    private const int Ebusy = 16;
    private const int EaddrNotAvail = 99;

    private readonly INetlink _netlink;
    private readonly ILogger _logger;
    private readonly List<RouteEntry> _routes = [];
    private readonly List<InterfaceAddress> _addresses = [];
    private Pair? _v4;
    private Pair? _v6;
    private IPAddress? _dns0;
    private IPAddress? _dns1;
    private bool _linkUp;
    private bool _tornDown;

    public InterfaceConfigurator(INetlink netlink, ILogger logger, string name, int ifIndex)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifIndex);
        _netlink = netlink;
        _logger = logger;
        Name = name;
        IfIndex = ifIndex;
    }

    /// <summary>The interface name, following <see cref="IfaceName"/>.</summary>
    public string Name { get; private set; }

    public int IfIndex { get; }

    /// <summary>The text last set by <see cref="IfaceDescription"/>, if any.</summary>
    public string? Description { get; private set; }

    /// <summary>The MTU last set by <see cref="ApplyIpv4"/>, if any.</summary>
    public int? Mtu { get; private set; }

    /// <summary>Addresses this configurator put on the interface (NCP and <c>iface add</c>), oldest first.</summary>
    public IReadOnlyList<InterfaceAddress> Addresses => [.. _addresses];

    /// <summary>Routes currently installed by this configurator, sticky ones resolved.</summary>
    public IReadOnlyList<AppliedRoute> Routes =>
        [.. _routes.Where(r => r.Applied is not null).Select(r => new AppliedRoute(r.Applied!.Value.Destination, r.Applied.Value.Gateway, Name, r.Spec))];

    /// <summary>Every sticky route spec, installed or waiting for its words (for <c>show ncp</c>).</summary>
    public IReadOnlyList<RouteSpec> StickyRoutes => [.. _routes.Where(r => r.Spec.IsSticky).Select(r => r.Spec)];

    /// <summary>
    /// IPCP is up: puts <paramref name="my"/> point-to-point to <paramref name="his"/> on the
    /// interface (replacing the previous pair and its routes if either address changed), sets the
    /// MTU, brings the link up, then installs the sticky routes that can now be resolved.
    /// </summary>
    /// <exception cref="IOException">The kernel refused the address, MTU or link state.</exception>
    public void ApplyIpv4(IPAddress my, IPAddress his, int mtu)
    {
        RequireFamily(my, AddressFamily.InterNetwork);
        RequireFamily(his, AddressFamily.InterNetwork);
        ApplyPair(ref _v4, my, his, 32);
        _netlink.SetMtu(IfIndex, mtu);
        Mtu = mtu;
        BringUp();
        ReapplySticky();
    }

    /// <summary>
    /// IPV6CP is up: puts <paramref name="myLinkLocal"/>/64 point-to-point to
    /// <paramref name="hisLinkLocal"/> on the interface (usable at once: no DAD), brings the
    /// link up, then installs the sticky routes that can now be resolved.
    /// </summary>
    /// <exception cref="IOException">The kernel refused the address or link state.</exception>
    public void ApplyIpv6(IPAddress myLinkLocal, IPAddress hisLinkLocal)
    {
        RequireFamily(myLinkLocal, AddressFamily.InterNetworkV6);
        RequireFamily(hisLinkLocal, AddressFamily.InterNetworkV6);
        ApplyPair(ref _v6, myLinkLocal, hisLinkLocal, 64);
        BringUp();
        ReapplySticky();
    }

    /// <summary>IPCP is down: removes the IPv4 pair and every IPv4 route; sticky specs stay for the next <see cref="ApplyIpv4"/>.</summary>
    public void RemoveIpv4() => DropFamily(AddressFamily.InterNetwork);

    /// <summary>IPV6CP is down: removes the IPv6 pair and every IPv6 route; sticky specs stay.</summary>
    public void RemoveIpv6() => DropFamily(AddressFamily.InterNetworkV6);

    /// <summary>The values of DNS0/DNS1 (from IPCP or <c>set dns</c>); routes naming them follow.</summary>
    public void SetDns(IPAddress? dns0, IPAddress? dns1)
    {
        _dns0 = dns0;
        _dns1 = dns1;
        ReapplySticky();
    }

    /// <summary><c>add[!] dest gateway</c>. A sticky route whose words have no value yet is stored and succeeds.</summary>
    public CommandOutcome AddRoute(RouteSpec spec, bool replace)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string? invalid = Validate(spec);
        if (invalid is not null)
            return CommandOutcome.Fail($"add {Describe(spec)}: {invalid}");

        List<RouteEntry> existing = FindEntries(spec.Destination);
        if (existing.Count > 0 && !replace)
            return CommandOutcome.Fail($"add {Describe(spec)}: route to {spec.Destination} already exists (add! replaces it)");

        Resolved? desired = Resolve(spec, requireUp: spec.IsSticky);
        foreach (RouteEntry old in existing)
        {
            if (old.Applied is { } applied && applied.Destination != desired?.Destination)
                DeleteRouteQuietly(applied);
            _routes.Remove(old);
        }

        if (desired is not { } route)
        {
            _routes.Add(new RouteEntry(spec));
            LogRouteDeferred(_logger, Name, Describe(spec));
            return CommandOutcome.Ok;
        }

        try
        {
            _netlink.AddRoute(route.Destination, route.Gateway, IfIndex, replace);
        }
        catch (IOException e)
        {
            return CommandOutcome.Fail($"add {Describe(spec)}: {e.Message}");
        }

        _routes.Add(new RouteEntry(spec) { Applied = route });
        LogRouteAdded(_logger, Name, Describe(route));
        return CommandOutcome.Ok;
    }

    /// <summary>
    /// <c>delete[!] dest</c>: removes our route (sticky spec included) to that destination, or a
    /// route to it through this interface that someone else added; <c>delete ALL</c>
    /// (<paramref name="spec"/> null) removes every route and sticky spec of ours. Only routes
    /// through this interface are ever touched.
    /// </summary>
    public CommandOutcome DeleteRoute(RouteSpec? spec, bool quiet)
    {
        if (spec is null)
        {
            foreach (RouteEntry entry in _routes)
            {
                if (entry.Applied is { } applied)
                    DeleteRouteQuietly(applied);
            }

            _routes.Clear();
            return CommandOutcome.Ok;
        }

        List<RouteEntry> matches = FindEntries(spec.Destination);
        if (matches.Count > 0)
        {
            string? error = null;
            foreach (RouteEntry entry in matches)
            {
                if (entry.Applied is { } applied)
                    error ??= DeleteRouteQuietly(applied);
                _routes.Remove(entry);
            }

            return error is null ? CommandOutcome.Ok : CommandOutcome.Fail($"delete {spec.Destination}: {error}");
        }

        if (ResolveDestination(spec.Destination, null) is not { } destination)
            return quiet ? CommandOutcome.Ok : CommandOutcome.Fail($"delete {spec.Destination}: no such route");
        try
        {
            _netlink.DeleteRoute(destination, null, IfIndex);
            LogRouteRemoved(_logger, Name, destination.ToString());
            return CommandOutcome.Ok;
        }
        catch (NetlinkException e) when (e.Errno == Esrch)
        {
            return quiet ? CommandOutcome.Ok : CommandOutcome.Fail($"delete {spec.Destination}: no such route through {Name}");
        }
        catch (IOException e)
        {
            return CommandOutcome.Fail($"delete {spec.Destination}: {e.Message}");
        }
    }

    /// <summary><c>iface add[!] addr[/bits] [peer]</c>; an address already there fails unless <paramref name="replace"/>.</summary>
    public CommandOutcome IfaceAdd(InterfaceAddress address, bool replace)
    {
        ArgumentNullException.ThrowIfNull(address);
        IPAddress local = address.Local;
        IPAddress? peer = address.Peer;
        string text = peer is null ? $"{local}/{address.PrefixLength}" : $"{local}/{address.PrefixLength} peer {peer}";
        if (peer is not null && peer.AddressFamily != local.AddressFamily)
            return CommandOutcome.Fail($"iface add {text}: address and peer are of different families");

        InterfaceAddress? existing = _addresses.Find(a => a.Local.Equals(local));
        if (existing is not null && !replace)
            return CommandOutcome.Fail($"iface add {text}: address {local} already exists (iface add! replaces it)");
        var added = address;
        try
        {
            // The kernel tells addresses apart by local, prefix and peer: a changed one is a new
            // address, so the old one has to go for the replacement to really replace.
            if (existing is not null && existing != added)
                DeleteAddressQuietly(existing);
            _netlink.AddAddress(IfIndex, local, address.PrefixLength, peer, replace);
        }
        catch (IOException e)
        {
            return CommandOutcome.Fail($"iface add {text}: {e.Message}");
        }

        if (existing is not null)
            _addresses.Remove(existing);
        _addresses.Add(added);
        LogAddressAdded(_logger, Name, Describe(added));
        return CommandOutcome.Ok;
    }

    /// <summary><c>iface delete[!] addr</c>. Deleting an NCP address also drops that family's routes.</summary>
    public CommandOutcome IfaceDelete(IPAddress address, bool quiet)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_v4 is { } v4 && v4.My.Equals(address))
        {
            DropFamily(AddressFamily.InterNetwork);
            return CommandOutcome.Ok;
        }

        if (_v6 is { } v6 && v6.My.Equals(address))
        {
            DropFamily(AddressFamily.InterNetworkV6);
            return CommandOutcome.Ok;
        }

        InterfaceAddress? target = _addresses.Find(a => a.Local.Equals(address));
        try
        {
            target ??= _netlink.GetAddresses(IfIndex).FirstOrDefault(a => a.Local.Equals(address));
            if (target is null)
                return quiet ? CommandOutcome.Ok : CommandOutcome.Fail($"iface delete {address}: no such address on {Name}");
            _netlink.DeleteAddress(IfIndex, target.Local, target.PrefixLength, target.Peer);
        }
        catch (IOException e)
        {
            return CommandOutcome.Fail($"iface delete {address}: {e.Message}");
        }

        _addresses.Remove(target);
        LogAddressRemoved(_logger, Name, Describe(target));
        return CommandOutcome.Ok;
    }

    /// <summary>
    /// <c>iface clear [INET|INET6]</c>: removes every address of the family (null: both) from the
    /// interface, ours or not, except the NCP-negotiated ones, as ppp(8) does.
    /// </summary>
    public CommandOutcome IfaceClear(AddressFamily? family)
    {
        IReadOnlyList<InterfaceAddress> present;
        try
        {
            present = _netlink.GetAddresses(IfIndex);
        }
        catch (IOException e)
        {
            return CommandOutcome.Fail($"iface clear: {e.Message}");
        }

        string? error = null;
        foreach (InterfaceAddress address in present)
        {
            if (family is { } only && address.Local.AddressFamily != only)
                continue;
            if ((_v4 is { } v4 && v4.My.Equals(address.Local)) || (_v6 is { } v6 && v6.My.Equals(address.Local)))
                continue;
            error ??= DeleteAddressQuietly(address);
            _addresses.RemoveAll(a => a.Local.Equals(address.Local));
        }

        return error is null ? CommandOutcome.Ok : CommandOutcome.Fail($"iface clear: {error}");
    }

    /// <summary>
    /// <c>iface name NAME</c>. Recent kernels rename a live link; older ones answer EBUSY unless it
    /// is down, and taking it down flushes its routes and IPv6 addresses. So on EBUSY the link
    /// goes down, is renamed, and comes back up with our addresses and routes put back.
    /// </summary>
    public CommandOutcome IfaceName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
            return CommandOutcome.Fail($"iface name {name}: not a valid interface name (1-15 characters, no '/', ':' or spaces)");
        if (name == Name)
            return CommandOutcome.Ok;

        try
        {
            _netlink.Rename(IfIndex, name);
            Renamed(name);
            return CommandOutcome.Ok;
        }
        catch (NetlinkException e) when (e.Errno == Ebusy && _linkUp)
        {
            // Only a live link is worth the down/up below.
        }
        catch (IOException e)
        {
            return CommandOutcome.Fail($"iface name {name}: {e.Message}");
        }

        string? error = null;
        try
        {
            _netlink.SetLinkUp(IfIndex, false);
            _netlink.Rename(IfIndex, name);
            Renamed(name);
        }
        catch (IOException e)
        {
            error = $"iface name {name}: {e.Message}";
        }

        Restore();
        return error is null ? CommandOutcome.Ok : CommandOutcome.Fail(error);
    }

    private void Renamed(string name)
    {
        LogRenamed(_logger, Name, name);
        Name = name;
    }

    /// <summary><c>iface description TEXT</c>: the interface alias (<c>ip link show</c> prints it).</summary>
    public CommandOutcome IfaceDescription(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Encoding.UTF8.GetByteCount(text) > 255)
            return CommandOutcome.Fail("iface description: longer than 255 bytes");
        try
        {
            _netlink.SetAlias(IfIndex, text);
        }
        catch (IOException e)
        {
            return CommandOutcome.Fail($"iface description: {e.Message}");
        }

        Description = text;
        return CommandOutcome.Ok;
    }

    /// <summary>
    /// Removes every route and address this configurator added and sets the link down; the
    /// daemon then disposes the tun. Logs failures, never throws; calling it again does nothing
    /// (until a later Apply).
    /// </summary>
    public void Teardown()
    {
        if (_tornDown)
            return;
        _tornDown = true;
        foreach (RouteEntry entry in _routes)
        {
            if (entry.Applied is { } applied)
                DeleteRouteQuietly(applied);
        }

        _routes.Clear();
        foreach (InterfaceAddress address in _addresses)
            DeleteAddressQuietly(address);
        _addresses.Clear();
        _v4 = null;
        _v6 = null;
        try
        {
            _netlink.SetLinkUp(IfIndex, false);
        }
        catch (IOException e)
        {
            LogFailed(_logger, Name, e.Message);
        }

        _linkUp = false;
    }

    private void ApplyPair(ref Pair? current, IPAddress my, IPAddress his, int prefixLength)
    {
        _tornDown = false;
        if (current is { } old && (!old.My.Equals(my) || !old.His.Equals(his)))
            DropFamily(my.AddressFamily);
        if (current is not null)
            return;

        var address = new InterfaceAddress(my, prefixLength, his);
        // replace: a pair left over by iface add, or by an earlier run on a renamed interface, is ours now.
        _netlink.AddAddress(IfIndex, my, prefixLength, his, replace: true);
        _addresses.RemoveAll(a => a.Local.Equals(my));
        _addresses.Add(address);
        current = new Pair(my, his);
        LogAddressAdded(_logger, Name, Describe(address));
    }

    private void BringUp()
    {
        _netlink.SetLinkUp(IfIndex, true);
        _linkUp = true;
    }

    private void DropFamily(AddressFamily family)
    {
        foreach (RouteEntry entry in _routes.ToArray())
        {
            if (entry.Applied is { } applied && applied.Destination.BaseAddress.AddressFamily == family)
            {
                DeleteRouteQuietly(applied);
                entry.Applied = null;
                if (!entry.Spec.IsSticky)
                    _routes.Remove(entry);
            }
        }

        ref Pair? pair = ref family == AddressFamily.InterNetwork ? ref _v4 : ref _v6;
        if (pair is { } current)
        {
            InterfaceAddress? address = _addresses.Find(a => a.Local.Equals(current.My));
            if (address is not null)
            {
                DeleteAddressQuietly(address);
                _addresses.Remove(address);
            }

            pair = null;
        }
    }

    private void ReapplySticky()
    {
        foreach (RouteEntry entry in _routes)
        {
            if (!entry.Spec.IsSticky)
                continue;
            Resolved? desired = Resolve(entry.Spec, requireUp: true);
            if (entry.Applied is { } applied && applied != desired)
            {
                DeleteRouteQuietly(applied);
                entry.Applied = null;
            }

            if (desired is { } route && entry.Applied is null)
            {
                try
                {
                    // replace: the kernel may still hold the route from before an address change.
                    _netlink.AddRoute(route.Destination, route.Gateway, IfIndex, replace: true);
                    entry.Applied = route;
                    LogRouteAdded(_logger, Name, Describe(route));
                }
                catch (IOException e)
                {
                    LogFailed(_logger, Name, $"sticky route {Describe(entry.Spec)}: {e.Message}");
                }
            }
        }
    }

    // After the link went down and up again: IPv6 addresses and all routes were flushed by the kernel.
    private void Restore()
    {
        try
        {
            BringUp();
        }
        catch (IOException e)
        {
            LogFailed(_logger, Name, e.Message);
            return;
        }

        foreach (InterfaceAddress address in _addresses)
        {
            try
            {
                _netlink.AddAddress(IfIndex, address.Local, address.PrefixLength, address.Peer, replace: true);
            }
            catch (IOException e)
            {
                LogFailed(_logger, Name, e.Message);
            }
        }

        foreach (RouteEntry entry in _routes)
        {
            if (entry.Applied is not { } route)
                continue;
            try
            {
                _netlink.AddRoute(route.Destination, route.Gateway, IfIndex, replace: true);
            }
            catch (IOException e)
            {
                LogFailed(_logger, Name, e.Message);
                entry.Applied = null;
            }
        }

        _routes.RemoveAll(r => r.Applied is null && !r.Spec.IsSticky);
    }

    /// <summary>Deletes a route; one already gone (the kernel flushes routes with their address) is fine. Returns the error text, if any.</summary>
    private string? DeleteRouteQuietly(Resolved route)
    {
        try
        {
            _netlink.DeleteRoute(route.Destination, route.Gateway, IfIndex);
            LogRouteRemoved(_logger, Name, Describe(route));
            return null;
        }
        catch (NetlinkException e) when (e.Errno == Esrch)
        {
            return null;
        }
        catch (IOException e)
        {
            LogFailed(_logger, Name, e.Message);
            return e.Message;
        }
    }

    private string? DeleteAddressQuietly(InterfaceAddress address)
    {
        try
        {
            _netlink.DeleteAddress(IfIndex, address.Local, address.PrefixLength, address.Peer);
            LogAddressRemoved(_logger, Name, Describe(address));
            return null;
        }
        catch (NetlinkException e) when (e.Errno is EaddrNotAvail or Esrch)
        {
            return null;
        }
        catch (IOException e)
        {
            LogFailed(_logger, Name, e.Message);
            return e.Message;
        }
    }

    private List<RouteEntry> FindEntries(RouteEnd destination)
    {
        IPNetwork? resolved = ResolveDestination(destination, null);
        return _routes.FindAll(entry =>
            (destination.Word is not null && string.Equals(entry.Spec.Destination.Word, destination.Word, StringComparison.OrdinalIgnoreCase))
            || (resolved is { } network
                && (entry.Applied?.Destination == network || ResolveDestination(entry.Spec.Destination, null) == network)));
    }

    /// <summary>Errors that no later address change can fix: unknown words, a word that cannot be a gateway, mixed families.</summary>
    private static string? Validate(RouteSpec spec)
    {
        RouteEnd destination = spec.Destination, gateway = spec.Gateway;
        if (destination.Word is null && destination.Network is null)
            return "no destination";
        AddressFamily? destinationFamily = destination.Network?.BaseAddress.AddressFamily;
        if (destination.Word is { } word)
        {
            destinationFamily = Word(word) switch
            {
                RouteWord.MyAddr or RouteWord.HisAddr => AddressFamily.InterNetwork,
                RouteWord.MyAddr6 or RouteWord.HisAddr6 => AddressFamily.InterNetworkV6,
                RouteWord.Dns0 or RouteWord.Dns1 or RouteWord.Default => null,
                _ => (AddressFamily?)AddressFamily.Unknown,
            };
            if (destinationFamily == AddressFamily.Unknown)
                return $"unknown destination word '{word}'";
        }

        AddressFamily? gatewayFamily = gateway.Network?.BaseAddress.AddressFamily;
        if (gateway.Word is { } gatewayWord)
        {
            gatewayFamily = Word(gatewayWord) switch
            {
                RouteWord.HisAddr => AddressFamily.InterNetwork,
                RouteWord.HisAddr6 => AddressFamily.InterNetworkV6,
                _ => null,
            };
            if (gatewayFamily is null)
                return $"gateway must be an address, HISADDR or HISADDR6, not '{gatewayWord}'";
        }

        if (destinationFamily is { } d && gatewayFamily is { } g && d != g)
            return "destination and gateway are of different address families";
        return null;
    }

    /// <summary>The route to install now, or null while a word has no value (or, if
    /// <paramref name="requireUp"/>, while the NCP of the route's family is down).</summary>
    private Resolved? Resolve(RouteSpec spec, bool requireUp)
    {
        IPAddress? gatewayAddress = spec.Gateway.Network?.BaseAddress;
        AddressFamily? gatewayFamily = gatewayAddress?.AddressFamily;
        if (spec.Gateway.Word is { } gatewayWord)
        {
            // Out of a point-to-point interface "via the peer" is just "out of the interface".
            RouteWord word = Word(gatewayWord);
            gatewayFamily = word == RouteWord.HisAddr6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            if ((word == RouteWord.HisAddr ? _v4 : _v6) is null)
                return null;
        }

        if (ResolveDestination(spec.Destination, gatewayFamily) is not { } destination)
            return null;
        AddressFamily family = destination.BaseAddress.AddressFamily;
        if (gatewayFamily is { } g && g != family)
            return null;
        if (requireUp && (family == AddressFamily.InterNetwork ? _v4 : _v6) is null)
            return null;
        return new Resolved(destination, gatewayAddress);
    }

    private IPNetwork? ResolveDestination(RouteEnd end, AddressFamily? gatewayFamily)
    {
        if (end.Network is { } network)
            return network;
        IPAddress? host = Word(end.Word ?? "") switch
        {
            RouteWord.MyAddr => _v4?.My,
            RouteWord.HisAddr => _v4?.His,
            RouteWord.MyAddr6 => _v6?.My,
            RouteWord.HisAddr6 => _v6?.His,
            RouteWord.Dns0 => _dns0,
            RouteWord.Dns1 => _dns1,
            RouteWord.Default => gatewayFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any,
            _ => null,
        };
        if (host is null)
            return null;
        if (Word(end.Word!) == RouteWord.Default)
            return new IPNetwork(host, 0);
        return new IPNetwork(host, host.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    private static RouteWord Word(string word) => word.ToUpperInvariant() switch
    {
        "MYADDR" => RouteWord.MyAddr,
        "HISADDR" => RouteWord.HisAddr,
        "MYADDR6" => RouteWord.MyAddr6,
        "HISADDR6" => RouteWord.HisAddr6,
        "DNS0" => RouteWord.Dns0,
        "DNS1" => RouteWord.Dns1,
        "DEFAULT" => RouteWord.Default,
        _ => RouteWord.Unknown,
    };

    private static bool IsValidName(string name) =>
        name.Length is > 0 and < 16 && name is not "." and not ".."
        && name.All(c => c > ' ' && c < 0x7f && c != '/' && c != ':');

    private static void RequireFamily(IPAddress address, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != family)
            throw new ArgumentException($"{address} is not {family}", nameof(address));
    }

    private string Describe(Resolved route) =>
        route.Gateway is null ? $"{route.Destination} dev {Name}" : $"{route.Destination} via {route.Gateway} dev {Name}";

    private static string Describe(RouteSpec spec) =>
        spec.Gateway.Word is null && spec.Gateway.Network is null ? spec.Destination.ToString() : $"{spec.Destination} {spec.Gateway}";

    private static string Describe(InterfaceAddress address) =>
        address.Peer is null ? $"{address.Local}/{address.PrefixLength}" : $"{address.Local}/{address.PrefixLength} peer {address.Peer}";

    [LoggerMessage(Level = LogLevel.Information, Message = "{Interface}: address {Address} added")]
    private static partial void LogAddressAdded(ILogger logger, string @interface, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Interface}: address {Address} removed")]
    private static partial void LogAddressRemoved(ILogger logger, string @interface, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Interface}: route {Route} added")]
    private static partial void LogRouteAdded(ILogger logger, string @interface, string route);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Interface}: route {Route} removed")]
    private static partial void LogRouteRemoved(ILogger logger, string @interface, string route);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Interface}: sticky route {Route} waits for its addresses")]
    private static partial void LogRouteDeferred(ILogger logger, string @interface, string route);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Interface}: renamed to {Name}")]
    private static partial void LogRenamed(ILogger logger, string @interface, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}: {Error}")]
    private static partial void LogFailed(ILogger logger, string @interface, string error);

    private enum RouteWord
    {
        Unknown,
        MyAddr,
        HisAddr,
        MyAddr6,
        HisAddr6,
        Dns0,
        Dns1,
        Default,
    }

    private readonly record struct Pair(IPAddress My, IPAddress His);

    private readonly record struct Resolved(IPNetwork Destination, IPAddress? Gateway);

    private sealed class RouteEntry(RouteSpec spec)
    {
        public RouteSpec Spec { get; } = spec;

        public Resolved? Applied { get; set; }
    }
}
