using Ppp.Core.Link;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Daemon;

/// <summary>One connection: an open device, its reader, and the PPP link running over it.</summary>
internal sealed class LinkSession(DeviceReader reader, PppLink link, IpcpHandler? ipcp, Ipv6cpHandler? ipv6cp, DateTimeOffset started) : ILineSink
{
    public DeviceReader Reader { get; } = reader;

    public IDeviceConnection Device => Reader.Device;

    public PppLink Link { get; } = link;

    public IpcpHandler? Ipcp { get; } = ipcp;

    public Ipv6cpHandler? Ipv6cp { get; } = ipv6cp;

    /// <summary>When the device was opened (the bundle's clock).</summary>
    public DateTimeOffset Started { get; } = started;

    public DateTimeOffset? NetworkUpSince { get; set; }

    /// <summary>GC.GetTotalAllocatedBytes when the network came up, for the per-packet figure logged at the end.</summary>
    public long AllocatedAtUp { get; set; }

    /// <summary>Set once the device has been told to hang up.</summary>
    public bool HangingUp
    {
        get => Reader.HangingUp;
        set => Reader.HangingUp = value;
    }

    /// <summary>The line's bytes, once PPP has it: straight into the decoder.</summary>
    public void Receive(ReadOnlySpan<byte> data) => Link.ReceiveBytes(data);
}
