using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using Ppp.Tun.Net;

namespace Ppp.Tun.Tests.Net;

/// <summary>Real tun devices, as root, each test in a fresh network namespace of its own.</summary>
[TestFixture]
public sealed class TunDeviceTests
{
    private static readonly IPAddress Local = IPAddress.Parse("10.99.0.1");
    private static readonly IPAddress Peer = IPAddress.Parse("10.99.0.2");

    private NetworkNamespace _ns = null!;

    [SetUp]
    public void SetUp() => _ns = new NetworkNamespace();

    [TearDown]
    public void TearDown() => _ns?.Dispose();

    [Test]
    public void Open_NoUnit_TakesLowestFreePppName()
    {
        _ns.Run(() =>
        {
            using TunDevice first = TunDevice.Open(null);
            TunDevice second = TunDevice.Open(null);
            Assert.That((first.Name, second.Name), Is.EqualTo(("ppp0", "ppp1")));
            second.Dispose();
            using TunDevice again = TunDevice.Open(null);
            Assert.That(again.Name, Is.EqualTo("ppp1"));
        });
    }

    [Test]
    public void Open_NoUnit_SkipsNameOfPersistentInterface()
    {
        _ns.IpIn("tuntap", "add", "dev", "ppp0", "mode", "tap");
        _ns.Run(() =>
        {
            using TunDevice tun = TunDevice.Open(null);
            Assert.That(tun.Name, Is.EqualTo("ppp1"));
        });
    }

    [Test]
    public void Open_UnitOfPersistentTun_IsBusyRatherThanShared()
    {
        _ns.IpIn("tuntap", "add", "dev", "ppp2", "mode", "tun");
        _ns.Run(() =>
        {
            IOException? error = Assert.Throws<IOException>(() => TunDevice.Open(2));
            Assert.That(error!.Message, Does.StartWith("ppp2: interface is busy"));
        });
    }

    [Test]
    public void Open_Unit_UsesThatNameAndReportsIndex()
    {
        _ns.Run(() =>
        {
            using TunDevice tun = TunDevice.Open(7);
            using RtNetlink netlink = RtNetlink.Open();
            Assert.That(tun.Name, Is.EqualTo("ppp7"));
            Assert.That(tun.IfIndex, Is.EqualTo(netlink.GetIfIndex("ppp7")).And.GreaterThan(0));
        });
    }

    [Test]
    public void Open_BusyUnit_ThrowsIOExceptionNamingInterface()
    {
        _ns.Run(() =>
        {
            using TunDevice tun = TunDevice.Open(3);
            IOException? error = Assert.Throws<IOException>(() => TunDevice.Open(3));
            Assert.That(error!.Message, Does.Contain("ppp3").And.Contain("busy"));
        });
    }

    [Test]
    public void Dispose_NonPersistentTun_InterfaceDisappears()
    {
        _ns.Run(() =>
        {
            using RtNetlink netlink = RtNetlink.Open();
            TunDevice tun = TunDevice.Open(0);
            Assert.That(netlink.GetIfIndex("ppp0"), Is.GreaterThan(0));
            tun.Dispose();
            Assert.That(netlink.GetIfIndex("ppp0"), Is.EqualTo(-1));
        });
    }

    [Test]
    public void Name_AfterRename_ReadsNewNameAndKeepsIndex()
    {
        _ns.Run(() =>
        {
            using TunDevice tun = TunDevice.Open(0);
            using RtNetlink netlink = RtNetlink.Open();
            int index = tun.IfIndex;
            netlink.Rename(index, "wan0");
            Assert.That((tun.Name, tun.IfIndex), Is.EqualTo(("wan0", index)));
        });
    }

    /// <summary>pppN up with <see cref="Local"/> (peer <see cref="Peer"/>) and a UDP socket bound to Local.</summary>
    private (TunDevice Tun, Socket Socket) OpenWithUdpSocket()
    {
        TunDevice tun = _ns.Run(() => TunDevice.Open(0));
        try
        {
            Socket socket = _ns.Run(() =>
            {
                using RtNetlink netlink = RtNetlink.Open();
                netlink.AddAddress(tun.IfIndex, Local, 32, Peer, replace: false);
                netlink.SetLinkUp(tun.IfIndex, true);
                var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(Local, 0));
                return udp;
            });
            return (tun, socket);
        }
        catch
        {
            tun.Dispose();
            throw;
        }
    }

    [Test]
    public void ReadWrite_UdpThroughKernel_PacketsCrossInBothDirections()
    {
        var (tun, socket) = OpenWithUdpSocket();
        using var disposeTun = tun;
        using var disposeSocket = socket;
        socket.ReceiveTimeout = 10_000;
        int localPort = ((IPEndPoint)socket.LocalEndPoint!).Port;

        socket.SendTo("hello peer"u8.ToArray(), new IPEndPoint(Peer, 9999));
        byte[] buffer = new byte[2000];
        int length;
        // The kernel may send IPv6 router solicitations first; wait for our datagram.
        do
            length = tun.Read(buffer);
        while (length > 0 && (buffer[0] >> 4 != 4 || buffer[9] != 17));

        Assert.That(length, Is.EqualTo(28 + 10));
        Assert.That(new IPAddress(buffer.AsSpan(16, 4)), Is.EqualTo(Peer));
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(22)), Is.EqualTo(9999));
        Assert.That(Encoding.ASCII.GetString(buffer, 28, 10), Is.EqualTo("hello peer"));

        byte[] reply = Packets.Udp4(Peer, 9999, Local, localPort, "hello back"u8);
        Assert.That(tun.Write(reply), Is.True);
        byte[] received = new byte[100];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int got = socket.ReceiveFrom(received, ref from);
        Assert.That(Encoding.ASCII.GetString(received, 0, got), Is.EqualTo("hello back"));
        Assert.That(from, Is.EqualTo(new IPEndPoint(Peer, 9999)));
    }

    [Test]
    public void TryRead_QueuedThenEmpty_ReturnsEachPacketThenZeroWithoutWaiting()
    {
        var (tun, socket) = OpenWithUdpSocket();
        using var disposeTun = tun;
        using var disposeSocket = socket;
        byte[] buffer = new byte[2000];
        while (tun.TryRead(buffer) > 0)
        {
            // The kernel's own early packets (router solicitations) are not this test's.
        }

        socket.SendTo("one"u8.ToArray(), new IPEndPoint(Peer, 9999));
        socket.SendTo("two"u8.ToArray(), new IPEndPoint(Peer, 9999));
        var datagrams = new List<string>();
        for (int length = tun.Read(buffer); length > 0; length = tun.TryRead(buffer))
        {
            if (buffer[0] >> 4 == 4 && buffer[9] == 17)
                datagrams.Add(Encoding.ASCII.GetString(buffer, 28, length - 28));
        }

        Assert.That(datagrams, Is.EqualTo(new[] { "one", "two" }));
        Assert.That(tun.TryRead(buffer), Is.Zero);
    }

    [Test]
    public void Write_NotAnIpPacket_ReturnsFalseAndCounts()
    {
        _ns.Run(() =>
        {
            using TunDevice tun = TunDevice.Open(0);
            using RtNetlink netlink = RtNetlink.Open();
            netlink.SetLinkUp(tun.IfIndex, true);
            Assert.That(tun.Write([0x00, 1, 2, 3, 4, 5, 6, 7]), Is.False);
            Assert.That(tun.Write([]), Is.False);
            Assert.That(tun.WriteErrors, Is.EqualTo(2));
        });
    }

    [Test]
    public void Write_SteadyState_AllocatesNothing()
    {
        _ns.Run(() =>
        {
            using TunDevice tun = TunDevice.Open(0);
            using RtNetlink netlink = RtNetlink.Open();
            netlink.AddAddress(tun.IfIndex, Local, 32, Peer, replace: false);
            netlink.SetLinkUp(tun.IfIndex, true);
            byte[] packet = Packets.Udp4(Peer, 9, Local, 9, new byte[100]);
            tun.Write(packet);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
                tun.Write(packet);
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        });
    }

    [Test]
    public void Read_SteadyState_AllocatesNothing()
    {
        using TunDevice tun = _ns.Run(() => TunDevice.Open(0));
        using Socket socket = _ns.Run(() =>
        {
            using RtNetlink netlink = RtNetlink.Open();
            netlink.AddAddress(tun.IfIndex, Local, 32, Peer, replace: false);
            netlink.SetLinkUp(tun.IfIndex, true);
            return new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        });
        var peer = new IPEndPoint(Peer, 9999);
        for (int i = 0; i < 20; i++)
            socket.SendTo(new byte[32], peer);
        byte[] buffer = new byte[2000];
        tun.Read(buffer);

        int[] lengths = new int[10];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < lengths.Length; i++)
            lengths[i] = tun.Read(buffer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(lengths, Has.All.GreaterThan(0));
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Read_ShutdownWhileBlocked_ReturnsZero()
    {
        using TunDevice tun = _ns.Run(() => TunDevice.Open(0));
        var started = new ManualResetEventSlim();
        int result = -1;
        var reader = new Thread(() =>
        {
            started.Set();
            result = tun.Read(new byte[1500]);
        });
        reader.Start();
        started.Wait();
        // Let the reader reach poll(); if it has not yet, the flag check returns 0 just the same.
        Thread.Sleep(100);
        tun.Shutdown();
        // A generous bound only to keep a broken wake-up from hanging the run.
        Assert.That(reader.Join(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(result, Is.Zero);
        Assert.That(tun.Read(new byte[1500]), Is.Zero);
    }

    [Test]
    public void Read_AfterDispose_ReturnsZero()
    {
        TunDevice tun = _ns.Run(() => TunDevice.Open(0));
        tun.Dispose();
        Assert.That(tun.Read(new byte[1500]), Is.Zero);
        Assert.That(tun.Write(Packets.Udp4(Peer, 1, Local, 1, [])), Is.False);
    }
}
