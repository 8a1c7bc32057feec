using System.Net;
using System.Net.Sockets;
using Ppp.Core.Commands;

namespace Ppp.Tun.Net;

/// <summary>
/// The kernel operations <see cref="InterfaceConfigurator"/> needs, so its bookkeeping can be
/// tested against a fake. <see cref="RtNetlink"/> is the real one. Every method either does
/// what it says or throws <see cref="NetlinkException"/> (an <see cref="IOException"/>).
/// </summary>
internal interface INetlink
{
    void SetLinkUp(int ifIndex, bool up);

    void SetMtu(int ifIndex, int mtu);

    /// <summary>Renames an interface; kernels before 6.x refuse (EBUSY) while it is up.</summary>
    void Rename(int ifIndex, string newName);

    /// <summary>Sets the interface alias (<c>ip link set alias</c>); an empty text removes it.</summary>
    void SetAlias(int ifIndex, string alias);

    /// <summary>The index of the interface with that name, or -1.</summary>
    int GetIfIndex(string name);

    /// <summary>Adds <paramref name="local"/>/<paramref name="prefixLength"/>, point-to-point to
    /// <paramref name="peer"/> if given. IPv6 addresses skip duplicate address detection.
    /// Without <paramref name="replace"/> an existing identical address is an error (EEXIST).</summary>
    void AddAddress(int ifIndex, IPAddress local, int prefixLength, IPAddress? peer, bool replace);

    void DeleteAddress(int ifIndex, IPAddress local, int prefixLength, IPAddress? peer);

    IReadOnlyList<InterfaceAddress> GetAddresses(int ifIndex);

    /// <summary>Adds a main-table route out of <paramref name="ifIndex"/> (0: let the kernel
    /// choose), via <paramref name="gateway"/> if given. Without <paramref name="replace"/> an
    /// existing route to the destination is an error (EEXIST).</summary>
    void AddRoute(IPNetwork destination, IPAddress? gateway, int ifIndex, bool replace);

    /// <summary>Deletes a main-table route; a missing one is an error (ESRCH).</summary>
    void DeleteRoute(IPNetwork destination, IPAddress? gateway, int ifIndex);

    /// <summary>Unicast routes of the main table for one family.</summary>
    IReadOnlyList<(IPNetwork Destination, IPAddress? Gateway, int IfIndex)> GetRoutes(AddressFamily family);
}
