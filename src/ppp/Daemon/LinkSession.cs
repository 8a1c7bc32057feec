using Ppp.Core.Link;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Daemon;

/// <summary>One connection: an open device and the PPP link running over it.</summary>
internal sealed class LinkSession(IDeviceConnection device, PppLink link, IpcpHandler? ipcp, Ipv6cpHandler? ipv6cp)
{
    public IDeviceConnection Device { get; } = device;

    public PppLink Link { get; } = link;

    public IpcpHandler? Ipcp { get; } = ipcp;

    public Ipv6cpHandler? Ipv6cp { get; } = ipv6cp;

    public DateTimeOffset Started { get; } = DateTimeOffset.Now;

    public DateTimeOffset? NetworkUpSince { get; set; }

    /// <summary>GC.GetTotalAllocatedBytes when the network came up, for the per-packet figure logged at the end.</summary>
    public long AllocatedAtUp { get; set; }

    /// <summary>Set once the device has been told to hang up.</summary>
    public bool HangingUp { get; set; }
}
