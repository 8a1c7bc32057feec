using Ppp.Core.Link;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Runtime;

namespace Ppp.Daemon.Daemon;

/// <summary>One connection: the link driver (device, reader, writer, PPP link) and what the bundle keeps about it.</summary>
internal sealed class LinkSession(LinkDriver driver, IpcpHandler? ipcp, Ipv6cpHandler? ipv6cp, DateTimeOffset started)
{
    public LinkDriver Driver { get; } = driver;

    public DeviceReader Reader => Driver.Reader;

    public IDeviceConnection Device => Driver.Device;

    public PppLink Link => Driver.Link;

    public IpcpHandler? Ipcp { get; } = ipcp;

    public Ipv6cpHandler? Ipv6cp { get; } = ipv6cp;

    /// <summary>When the device was opened (the bundle's clock).</summary>
    public DateTimeOffset Started { get; } = started;

    public DateTimeOffset? NetworkUpSince { get; set; }

    /// <summary>
    /// The label ppp.secret gives the peer we authenticated (its fourth field; null for none or
    /// <c>*</c>): for this link it replaces the loaded label in ppp.linkup/ppp.linkdown and
    /// LABEL, as ppp(8)'s auth_Select sets the bundle's label.
    /// </summary>
    public string? SecretLabel { get; set; }

    /// <summary>GC.GetTotalAllocatedBytes when the network came up, for the per-packet figure logged at the end.</summary>
    public long AllocatedAtUp { get; set; }

    /// <summary>Set once the device has been told to hang up.</summary>
    public bool HangingUp
    {
        get => Driver.HangingUp;
        set => Driver.HangingUp = value;
    }
}
