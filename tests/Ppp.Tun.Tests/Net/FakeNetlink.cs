using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;
using Ppp.Tun.Net;

namespace Ppp.Tun.Tests.Net;

/// <summary>
/// An in-memory kernel for <see cref="InterfaceConfigurator"/>: keeps addresses and routes with
/// the kernel's EEXIST/ESRCH answers, and a journal of calls in <c>ip</c>-like words.
/// </summary>
internal sealed class FakeNetlink : INetlink
{
    private readonly List<InterfaceAddress> _addresses = [];
    private readonly List<(IPNetwork Destination, IPAddress? Gateway, int IfIndex)> _routes = [];

    public List<string> Calls { get; } = [];

    public bool Up { get; private set; }

    public int Mtu { get; private set; }

    public string? Alias { get; private set; }

    public string Name { get; set; } = "ppp0";

    /// <summary>When set, every call throws this errno (after being journaled).</summary>
    public int? FailWith { get; set; }

    public IReadOnlyList<InterfaceAddress> KernelAddresses => _addresses;

    public IReadOnlyList<(IPNetwork Destination, IPAddress? Gateway, int IfIndex)> KernelRoutes => _routes;

    /// <summary>An address the configurator did not add (e.g. the kernel's own IPv6 link-local).</summary>
    public void Seed(InterfaceAddress address) => _addresses.Add(address);

    public void SetLinkUp(int ifIndex, bool up)
    {
        Record(up ? "up" : "down");
        Up = up;
        if (!up)
        {
            // As Linux: a down link loses its routes and its IPv6 addresses.
            _routes.Clear();
            _addresses.RemoveAll(a => a.Local.AddressFamily == AddressFamily.InterNetworkV6);
        }
    }

    public void SetMtu(int ifIndex, int mtu)
    {
        Record($"mtu {mtu}");
        Mtu = mtu;
    }

    public void Rename(int ifIndex, string newName)
    {
        Record($"name {newName}");
        if (Up)
            throw new NetlinkException(16, "RTM_NEWLINK: Device or resource busy");
        Name = newName;
    }

    public void SetAlias(int ifIndex, string alias)
    {
        Record($"alias {alias}");
        Alias = alias;
    }

    public int GetIfIndex(string name) => name == Name ? 5 : -1;

    public void AddAddress(int ifIndex, IPAddress local, int prefixLength, IPAddress? peer, bool replace)
    {
        var address = new InterfaceAddress(local, prefixLength, peer);
        Record($"addr+ {Text(address)}{(replace ? " replace" : "")}");
        if (_addresses.Contains(address))
        {
            if (!replace)
                throw new NetlinkException(17, $"RTM_NEWADDR {Text(address)} dev {Name}: File exists");
            return;
        }

        _addresses.Add(address);
    }

    public void DeleteAddress(int ifIndex, IPAddress local, int prefixLength, IPAddress? peer)
    {
        var address = new InterfaceAddress(local, prefixLength, peer);
        Record($"addr- {Text(address)}");
        if (!_addresses.Remove(address))
            throw new NetlinkException(99, $"RTM_DELADDR {Text(address)} dev {Name}: Cannot assign requested address");
    }

    public IReadOnlyList<InterfaceAddress> GetAddresses(int ifIndex)
    {
        Record("addr?");
        return [.. _addresses];
    }

    public void AddRoute(IPNetwork destination, IPAddress? gateway, int ifIndex, bool replace)
    {
        Record($"route+ {Text(destination, gateway)}{(replace ? " replace" : "")}");
        int existing = _routes.FindIndex(r => r.Destination == destination);
        if (existing >= 0)
        {
            if (!replace)
                throw new NetlinkException(17, $"RTM_NEWROUTE {Text(destination, gateway)} dev {Name}: File exists");
            _routes.RemoveAt(existing);
        }

        _routes.Add((destination, gateway, ifIndex));
    }

    public void DeleteRoute(IPNetwork destination, IPAddress? gateway, int ifIndex)
    {
        Record($"route- {Text(destination, gateway)}");
        int existing = _routes.FindIndex(r => r.Destination == destination && (gateway is null || gateway.Equals(r.Gateway)));
        if (existing < 0)
            throw new NetlinkException(3, $"RTM_DELROUTE {Text(destination, gateway)} dev {Name}: No such process");
        _routes.RemoveAt(existing);
    }

    public IReadOnlyList<(IPNetwork Destination, IPAddress? Gateway, int IfIndex)> GetRoutes(AddressFamily family) =>
        [.. _routes.Where(r => r.Destination.BaseAddress.AddressFamily == family)];

    private void Record(string call)
    {
        Calls.Add(call);
        if (FailWith is { } errno)
            throw new NetlinkException(errno, $"{call}: injected failure");
    }

    private static string Text(InterfaceAddress address) =>
        address.Peer is null ? $"{address.Local}/{address.PrefixLength}" : $"{address.Local}/{address.PrefixLength} peer {address.Peer}";

    private static string Text(IPNetwork destination, IPAddress? gateway) =>
        gateway is null ? destination.ToString() : $"{destination} via {gateway}";
}

/// <summary>Keeps formatted log lines for assertions.</summary>
internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Text)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add((logLevel, formatter(state, exception)));
}
