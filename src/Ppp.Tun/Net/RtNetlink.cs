using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Ppp.Core.Commands;
using Ppp.Tun.Interop;
using SocketCalls = Ppp.Tun.Interop.Socket;

namespace Ppp.Tun.Net;

/// <summary>
/// A NETLINK_ROUTE socket speaking rtnetlink (rtnetlink(7)) directly, so the daemon configures
/// its interface without running <c>ip</c>. Every change request carries NLM_F_ACK and waits for
/// the kernel's answer, so an error surfaces as a <see cref="NetlinkException"/> from the call that
/// caused it. The socket belongs to the network namespace of the thread that called
/// <see cref="Open"/>. Not thread-safe: one request at a time (the daemon's link loop).
/// </summary>
/// <remarks>
/// Message layout (all host byte order, 4-byte aligned):
/// <code>
/// nlmsghdr  | len:u32 | type:u16 | flags:u16 | seq:u32 | pid:u32 |
/// payload   | ifinfomsg(16) / ifaddrmsg(8) / rtmsg(12) | rtattr... |
/// rtattr    | len:u16 | type:u16 | data | pad to 4 |
/// </code>
/// </remarks>
internal sealed class RtNetlink : INetlink, IDisposable
{
    private const ushort NLMSG_ERROR = 2;
    private const ushort NLMSG_DONE = 3;

    private const ushort NLM_F_REQUEST = 0x1;
    private const ushort NLM_F_MULTI = 0x2;
    private const ushort NLM_F_ACK = 0x4;
    private const ushort NLM_F_DUMP = 0x300;
    private const ushort NLM_F_REPLACE = 0x100;
    private const ushort NLM_F_EXCL = 0x200;
    private const ushort NLM_F_CREATE = 0x400;
    private const ushort NLM_F_CAPPED = 0x100;
    private const ushort NLM_F_ACK_TLVS = 0x200;
    private const ushort NLMSGERR_ATTR_MSG = 1;

    private const ushort RTM_NEWLINK = 16;
    private const ushort RTM_GETLINK = 18;
    private const ushort RTM_NEWADDR = 20;
    private const ushort RTM_DELADDR = 21;
    private const ushort RTM_GETADDR = 22;
    private const ushort RTM_NEWROUTE = 24;
    private const ushort RTM_DELROUTE = 25;
    private const ushort RTM_GETROUTE = 26;

    private const ushort IFLA_IFNAME = 3;
    private const ushort IFLA_MTU = 4;
    private const ushort IFLA_IFALIAS = 20;
    private const uint IFF_UP = 0x1;

    private const ushort IFA_ADDRESS = 1;
    private const ushort IFA_LOCAL = 2;
    private const ushort IFA_FLAGS = 8;
    private const uint IFA_F_NODAD = 0x02;

    private const ushort RTA_DST = 1;
    private const ushort RTA_OIF = 4;
    private const ushort RTA_GATEWAY = 5;
    private const ushort RTA_TABLE = 15;
    private const byte RT_TABLE_MAIN = 254;
    private const byte RTPROT_STATIC = 4;
    private const byte RT_SCOPE_UNIVERSE = 0;
    private const byte RT_SCOPE_LINK = 253;
    private const byte RT_SCOPE_NOWHERE = 255;
    private const byte RTN_UNICAST = 1;
    private const uint RTM_F_CLONED = 0x200;

    private const int HeaderSize = 16;

    private readonly SafeFileHandle _socket;
    private readonly byte[] _request = new byte[512];
    // Dumps come in batches of up to 32 KiB when the buffer allows; twice that is never truncated.
    private readonly byte[] _receive = new byte[64 * 1024];
    private int _length;
    private uint _sequence;

    private RtNetlink(SafeFileHandle socket) => _socket = socket;

    private delegate void MessageHandler(ushort type, ReadOnlySpan<byte> payload);

    /// <exception cref="IOException">The socket cannot be made (no netlink, out of fds).</exception>
    public static unsafe RtNetlink Open()
    {
        int fd = SocketCalls.Create(SocketCalls.AF_NETLINK, SocketCalls.SOCK_RAW | SocketCalls.SOCK_CLOEXEC, SocketCalls.NETLINK_ROUTE);
        if (fd < 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), "socket(AF_NETLINK, NETLINK_ROUTE)");
        var socket = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var address = new SocketCalls.SockAddrNetlink { Family = SocketCalls.AF_NETLINK };
            if (SocketCalls.Bind(socket, &address, (uint)sizeof(SocketCalls.SockAddrNetlink)) < 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), "bind(AF_NETLINK)");

            // The kernel always answers a request; the timeout only turns a kernel bug into an error instead of a hang.
            var timeout = new SocketCalls.TimeVal { Seconds = 10 };
            if (SocketCalls.SetOption(socket, SocketCalls.SOL_SOCKET, SocketCalls.SO_RCVTIMEO, &timeout, (uint)sizeof(SocketCalls.TimeVal)) < 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), "setsockopt(SO_RCVTIMEO)");

            // Extended acks carry the kernel's own reason ("Nexthop has invalid gateway"); old kernels lack them, which is fine.
            int on = 1;
            _ = SocketCalls.SetOption(socket, SocketCalls.SOL_NETLINK, SocketCalls.NETLINK_EXT_ACK, &on, sizeof(int));
            return new RtNetlink(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();

    public void SetLinkUp(int ifIndex, bool up)
    {
        BeginLink(RTM_NEWLINK, NLM_F_ACK, ifIndex, up ? IFF_UP : 0, IFF_UP);
        Execute(null, () => $"RTM_NEWLINK dev {DeviceName(ifIndex)} {(up ? "up" : "down")}");
    }

    public void SetMtu(int ifIndex, int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mtu);
        BeginLink(RTM_NEWLINK, NLM_F_ACK, ifIndex, 0, 0);
        PutUInt32(IFLA_MTU, (uint)mtu);
        Execute(null, () => $"RTM_NEWLINK dev {DeviceName(ifIndex)} mtu {mtu}");
    }

    /// <summary>Renames the interface. Kernels before 6.x need the link down and answer EBUSY otherwise.</summary>
    public void Rename(int ifIndex, string newName)
    {
        ArgumentNullException.ThrowIfNull(newName);
        BeginLink(RTM_NEWLINK, NLM_F_ACK, ifIndex, 0, 0);
        PutString(IFLA_IFNAME, newName);
        Execute(null, () => $"RTM_NEWLINK dev {DeviceName(ifIndex)} name {newName}");
    }

    public void SetAlias(int ifIndex, string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        BeginLink(RTM_NEWLINK, NLM_F_ACK, ifIndex, 0, 0);
        // IFLA_IFALIAS is not NUL-terminated; an empty value removes the alias.
        PutBytes(IFLA_IFALIAS, Encoding.UTF8.GetBytes(alias));
        Execute(null, () => $"RTM_NEWLINK dev {DeviceName(ifIndex)} alias {alias}");
    }

    public int GetIfIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or >= TunIoctl.NameSize)
            return -1;
        BeginLink(RTM_GETLINK, 0, 0, 0, 0);
        PutString(IFLA_IFNAME, name);
        int found = -1;
        try
        {
            Execute((type, payload) =>
            {
                if (type == RTM_NEWLINK && payload.Length >= 16)
                    found = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
            }, () => $"RTM_GETLINK {name}");
        }
        catch (NetlinkException e) when (e.Errno == Libc.ENODEV)
        {
            return -1;
        }

        return found;
    }

    /// <summary>The name of an interface, or null if there is none with that index.</summary>
    public string? GetLinkName(int ifIndex)
    {
        if (ifIndex <= 0)
            return null;
        BeginLink(RTM_GETLINK, 0, ifIndex, 0, 0);
        string? name = null;
        try
        {
            Execute((type, payload) =>
            {
                if (type == RTM_NEWLINK && payload.Length >= 16)
                {
                    foreach ((ushort attribute, ReadOnlySpan<byte> value) in new AttributeReader(payload[16..]))
                    {
                        if (attribute == IFLA_IFNAME)
                            name = CString(value);
                    }
                }
            }, () => $"RTM_GETLINK index {ifIndex}");
        }
        catch (NetlinkException e) when (e.Errno == Libc.ENODEV)
        {
            return null;
        }

        return name;
    }

    public void AddAddress(int ifIndex, IPAddress local, int prefixLength, IPAddress? peer, bool replace)
    {
        BeginAddress(RTM_NEWADDR, (ushort)(NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL)), ifIndex, local, prefixLength, peer);
        Execute(null, () => $"RTM_NEWADDR {Describe(local, prefixLength, peer)} dev {DeviceName(ifIndex)}");
    }

    public void DeleteAddress(int ifIndex, IPAddress local, int prefixLength, IPAddress? peer)
    {
        BeginAddress(RTM_DELADDR, NLM_F_ACK, ifIndex, local, prefixLength, peer);
        Execute(null, () => $"RTM_DELADDR {Describe(local, prefixLength, peer)} dev {DeviceName(ifIndex)}");
    }

    public IReadOnlyList<InterfaceAddress> GetAddresses(int ifIndex)
    {
        Begin(RTM_GETADDR, NLM_F_DUMP);
        Span<byte> message = Reserve(8);
        message[0] = 0; // AF_UNSPEC: both families in one dump
        var result = new List<InterfaceAddress>();
        Execute((type, payload) =>
        {
            if (type != RTM_NEWADDR || payload.Length < 8 || BinaryPrimitives.ReadInt32LittleEndian(payload[4..]) != ifIndex)
                return;
            int prefix = payload[1];
            IPAddress? address = null, local = null;
            foreach ((ushort attribute, ReadOnlySpan<byte> value) in new AttributeReader(payload[8..]))
            {
                if (attribute == IFA_ADDRESS && value.Length is 4 or 16)
                    address = new IPAddress(value);
                else if (attribute == IFA_LOCAL && value.Length is 4 or 16)
                    local = new IPAddress(value);
            }

            // IFA_LOCAL is our end when there is one; IFA_ADDRESS is then the peer (or the same address).
            if (local is not null)
                result.Add(new InterfaceAddress(local, prefix, address is null || address.Equals(local) ? null : address));
            else if (address is not null)
                result.Add(new InterfaceAddress(address, prefix, null));
        }, () => "RTM_GETADDR");
        return result;
    }

    public void AddRoute(IPNetwork destination, IPAddress? gateway, int ifIndex, bool replace)
    {
        BeginRoute(RTM_NEWROUTE, (ushort)(NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL)), destination, gateway, ifIndex);
        Execute(null, () => $"RTM_NEWROUTE {DescribeRoute(destination, gateway, ifIndex)}");
    }

    public void DeleteRoute(IPNetwork destination, IPAddress? gateway, int ifIndex)
    {
        BeginRoute(RTM_DELROUTE, NLM_F_ACK, destination, gateway, ifIndex);
        Execute(null, () => $"RTM_DELROUTE {DescribeRoute(destination, gateway, ifIndex)}");
    }

    public IReadOnlyList<(IPNetwork Destination, IPAddress? Gateway, int IfIndex)> GetRoutes(AddressFamily family)
    {
        byte af = FamilyByte(family);
        Begin(RTM_GETROUTE, NLM_F_DUMP);
        Span<byte> message = Reserve(12);
        message[0] = af;
        var result = new List<(IPNetwork, IPAddress?, int)>();
        Execute((type, payload) =>
        {
            if (type != RTM_NEWROUTE || payload.Length < 12 || payload[0] != af || payload[7] != RTN_UNICAST)
                return;
            if ((BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]) & RTM_F_CLONED) != 0)
                return;
            uint table = payload[4];
            int prefix = payload[1];
            IPAddress? destination = null, gateway = null;
            int oif = 0;
            foreach ((ushort attribute, ReadOnlySpan<byte> value) in new AttributeReader(payload[12..]))
            {
                switch (attribute)
                {
                    case RTA_DST when value.Length is 4 or 16:
                        destination = new IPAddress(value);
                        break;
                    case RTA_GATEWAY when value.Length is 4 or 16:
                        gateway = new IPAddress(value);
                        break;
                    case RTA_OIF when value.Length == 4:
                        oif = BinaryPrimitives.ReadInt32LittleEndian(value);
                        break;
                    case RTA_TABLE when value.Length == 4:
                        table = BinaryPrimitives.ReadUInt32LittleEndian(value);
                        break;
                }
            }

            if (table != RT_TABLE_MAIN)
                return;
            destination ??= af == 2 ? IPAddress.Any : IPAddress.IPv6Any;
            result.Add((new IPNetwork(destination, prefix), gateway, oif));
        }, () => $"RTM_GETROUTE {family}");
        return result;
    }

    private static string Describe(IPAddress local, int prefixLength, IPAddress? peer) =>
        peer is null ? $"{local}/{prefixLength}" : $"{local}/{prefixLength} peer {peer}";

    private string DescribeRoute(IPNetwork destination, IPAddress? gateway, int ifIndex)
    {
        var text = new StringBuilder(destination.ToString());
        if (gateway is not null)
            text.Append(" via ").Append(gateway);
        if (ifIndex > 0)
            text.Append(" dev ").Append(DeviceName(ifIndex));
        return text.ToString();
    }

    // Only used to word an error, after the failed request is complete, so a nested request is safe.
    private string DeviceName(int ifIndex)
    {
        try
        {
            return GetLinkName(ifIndex) ?? $"#{ifIndex}";
        }
        catch (IOException)
        {
            return $"#{ifIndex}";
        }
    }

    private static byte FamilyByte(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 2,
        AddressFamily.InterNetworkV6 => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "only IPv4 and IPv6"),
    };

    private void BeginLink(ushort type, ushort flags, int ifIndex, uint ifFlags, uint change)
    {
        Begin(type, flags);
        // ifinfomsg: family u8, pad u8, type u16, index i32, flags u32, change u32
        Span<byte> message = Reserve(16);
        BinaryPrimitives.WriteInt32LittleEndian(message[4..], ifIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(message[8..], ifFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(message[12..], change);
    }

    private void BeginAddress(ushort type, ushort flags, int ifIndex, IPAddress local, int prefixLength, IPAddress? peer)
    {
        ArgumentNullException.ThrowIfNull(local);
        byte af = FamilyByte(local.AddressFamily);
        int bits = af == 2 ? 32 : 128;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, bits);
        if (peer is not null && peer.AddressFamily != local.AddressFamily)
            throw new ArgumentException("peer and local address families differ", nameof(peer));

        Begin(type, flags);
        // ifaddrmsg: family u8, prefixlen u8, flags u8, scope u8, index u32
        Span<byte> message = Reserve(8);
        message[0] = af;
        message[1] = (byte)prefixLength;
        BinaryPrimitives.WriteInt32LittleEndian(message[4..], ifIndex);
        PutAddress(IFA_LOCAL, local);
        PutAddress(IFA_ADDRESS, peer ?? local);
        // Without NODAD a new IPv6 address stays tentative (unusable) for a second or more.
        if (af == 10 && type == RTM_NEWADDR)
            PutUInt32(IFA_FLAGS, IFA_F_NODAD);
    }

    private void BeginRoute(ushort type, ushort flags, IPNetwork destination, IPAddress? gateway, int ifIndex)
    {
        byte af = FamilyByte(destination.BaseAddress.AddressFamily);
        if (gateway is not null && gateway.AddressFamily != destination.BaseAddress.AddressFamily)
            throw new ArgumentException("gateway and destination address families differ", nameof(gateway));
        bool add = type == RTM_NEWROUTE;

        Begin(type, flags);
        // rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32
        Span<byte> message = Reserve(12);
        message[0] = af;
        message[1] = (byte)destination.PrefixLength;
        message[4] = RT_TABLE_MAIN;
        // A delete matches any protocol, scope and type, as ip route del does.
        message[5] = add ? RTPROT_STATIC : (byte)0;
        message[6] = add ? (gateway is null && af == 2 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE) : RT_SCOPE_NOWHERE;
        message[7] = add ? RTN_UNICAST : (byte)0;
        if (destination.PrefixLength > 0)
            PutAddress(RTA_DST, destination.BaseAddress);
        if (gateway is not null)
            PutAddress(RTA_GATEWAY, gateway);
        if (ifIndex > 0)
            PutUInt32(RTA_OIF, (uint)ifIndex);
    }

    private void Begin(ushort type, ushort flags)
    {
        _request.AsSpan().Clear();
        _length = HeaderSize;
        BinaryPrimitives.WriteUInt16LittleEndian(_request.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_request.AsSpan(6), (ushort)(flags | NLM_F_REQUEST));
    }

    private Span<byte> Reserve(int length)
    {
        int aligned = Align(length);
        if (_length + aligned > _request.Length)
            throw new InvalidOperationException("netlink request too large");
        Span<byte> span = _request.AsSpan(_length, length);
        _length += aligned;
        return span;
    }

    private void PutBytes(ushort type, ReadOnlySpan<byte> value)
    {
        Span<byte> attribute = Reserve(4 + value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        value.CopyTo(attribute[4..]);
    }

    private void PutUInt32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        PutBytes(type, bytes);
    }

    private void PutAddress(ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out int written);
        PutBytes(type, bytes[..written]);
    }

    private void PutString(ushort type, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        if (count > 255)
            throw new ArgumentException("string attribute longer than 255 bytes", nameof(value));
        Span<byte> bytes = stackalloc byte[count + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[count] = 0;
        PutBytes(type, bytes);
    }

    /// <summary>
    /// Sends the request built since <see cref="Begin"/> and reads answers until its ack (or, for a
    /// dump, NLMSG_DONE). Messages with another sequence number are left-overs of an earlier
    /// request that failed midway and are skipped.
    /// </summary>
    private unsafe void Execute(MessageHandler? handler, Func<string> describe)
    {
        uint sequence = ++_sequence;
        BinaryPrimitives.WriteUInt32LittleEndian(_request, (uint)_length);
        BinaryPrimitives.WriteUInt32LittleEndian(_request.AsSpan(8), sequence);
        bool dump = (BinaryPrimitives.ReadUInt16LittleEndian(_request.AsSpan(6)) & NLM_F_DUMP) == NLM_F_DUMP;

        nint sent;
        fixed (byte* p = _request)
        {
            do
                sent = SocketCalls.Send(_socket, p, (nuint)_length, 0);
            while (sent < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
        }

        if (sent < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new NetlinkException(errno, $"{describe()}: send: {Errno.Message(errno)}");
        }

        while (true)
        {
            nint received;
            fixed (byte* p = _receive)
            {
                do
                    received = SocketCalls.Receive(_socket, p, (nuint)_receive.Length, SocketCalls.MSG_TRUNC);
                while (received < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
            }

            if (received < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new NetlinkException(errno, $"{describe()}: no answer from the kernel: {Errno.Message(errno)}");
            }

            if (received > _receive.Length)
                throw new NetlinkException(0, $"{describe()}: answer of {received} bytes truncated");

            ReadOnlySpan<byte> data = _receive.AsSpan(0, (int)received);
            while (data.Length >= HeaderSize)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
                if (length < HeaderSize || length > data.Length)
                    break;
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
                uint seq = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
                ReadOnlySpan<byte> payload = data[HeaderSize..length];
                data = data[Math.Min(Align(length), data.Length)..];
                if (seq != sequence)
                    continue;

                if (type == NLMSG_ERROR)
                {
                    int error = payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(payload) : Libc.EIO;
                    if (error == 0)
                    {
                        if (!dump)
                            return;
                        continue;
                    }

                    throw new NetlinkException(error, $"{describe()}: {Errno.Message(error)}{ExtendedAck(payload, flags)}");
                }

                if (type == NLMSG_DONE)
                {
                    // A dump's DONE carries an int: nonzero if the dump itself failed.
                    int error = payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(payload) : 0;
                    if (error > 0)
                        throw new NetlinkException(error, $"{describe()}: {Errno.Message(error)}");
                    return;
                }

                handler?.Invoke(type, payload);
                if (!dump && (flags & NLM_F_MULTI) == 0 && (BinaryPrimitives.ReadUInt16LittleEndian(_request.AsSpan(6)) & NLM_F_ACK) == 0)
                    return;
            }
        }
    }

    // nlmsgerr: error i32, the request's header (and its payload unless CAPPED), then TLVs if ACK_TLVS.
    private static string ExtendedAck(ReadOnlySpan<byte> payload, ushort flags)
    {
        if ((flags & NLM_F_ACK_TLVS) == 0 || payload.Length < 4 + HeaderSize)
            return "";
        int offset = 4 + ((flags & NLM_F_CAPPED) != 0
            ? HeaderSize
            : Align((int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..])));
        if (offset > payload.Length)
            return "";
        foreach ((ushort attribute, ReadOnlySpan<byte> value) in new AttributeReader(payload[offset..]))
        {
            if (attribute == NLMSGERR_ATTR_MSG)
            {
                string text = CString(value);
                if (text.Length > 0)
                    return $" ({text})";
            }
        }

        return "";
    }

    private static string CString(ReadOnlySpan<byte> value)
    {
        int end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
    }

    private static int Align(int length) => (length + 3) & ~3;

    /// <summary>Walks rtattrs; stops quietly at a malformed one (kernel input is trusted, but not blindly).</summary>
    private ref struct AttributeReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public Attribute Current { get; private set; }

        public readonly AttributeReader GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_data.Length < 4)
                return false;
            int length = BinaryPrimitives.ReadUInt16LittleEndian(_data);
            if (length < 4 || length > _data.Length)
                return false;
            // The top bits of the type are NLA_F_NESTED / NLA_F_NET_BYTEORDER.
            Current = new Attribute((ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_data[2..]) & 0x3fff), _data[4..length]);
            _data = _data[Math.Min(Align(length), _data.Length)..];
            return true;
        }
    }

    private readonly ref struct Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        private readonly ReadOnlySpan<byte> _value = value;

        public void Deconstruct(out ushort type1, out ReadOnlySpan<byte> value1)
        {
            type1 = type;
            value1 = _value;
        }
    }
}
