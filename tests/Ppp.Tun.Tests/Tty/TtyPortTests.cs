using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using NUnit.Framework;
using Ppp.Tun.Interop;
using Ppp.Tun.Tty;

namespace Ppp.Tun.Tests.Tty;

[TestFixture]
public sealed class TtyPortTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly TtySettings PtySettings = new() { Local = true };

    [Test]
    public void Read_EveryOctetFromTheMaster_ArrivesUnchanged()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);
        using var master = pair.OpenMasterPort();
        byte[] all = AllOctets();

        master.Write(all, Patience);

        Assert.That(ReadExactly(slave, all.Length), Is.EqualTo(all));
    }

    [Test]
    public void Write_EveryOctetToTheMaster_ArrivesUnchangedWithoutEcho()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);
        using var master = pair.OpenMasterPort();
        byte[] all = AllOctets();

        slave.Write(all, Patience);
        master.Write(all, Patience);

        Assert.Multiple(() =>
        {
            Assert.That(ReadExactly(master, all.Length), Is.EqualTo(all));
            Assert.That(ReadExactly(slave, all.Length), Is.EqualTo(all));
            Assert.That(master.Read(new byte[16], TimeSpan.FromMilliseconds(100)), Is.Zero, "echoed");
        });
    }

    [Test]
    public void Open_WithSpeedCtsRtsAndLocal_LeavesThemInTheLinesTermios()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, new TtySettings { Speed = 115200, CtsRts = true, Local = true });
        using SafeFileHandle observer = Libc.OpenHandle(pair.SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);

        Assert.That(Termios.Get(observer, out Termios.Kernel termios), Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(Termios.SpeedOf(termios.CFlag), Is.EqualTo(115200));
            Assert.That(termios.CFlag & Termios.CRTSCTS, Is.Not.Zero);
            Assert.That(termios.CFlag & Termios.CLOCAL, Is.Not.Zero);
            Assert.That(termios.CFlag & Termios.CSIZE, Is.EqualTo(Termios.CS8));
            Assert.That(termios.LFlag & (Termios.ICANON | Termios.ECHO | Termios.ISIG), Is.Zero);
            Assert.That(termios.OFlag & Termios.OPOST, Is.Zero);
            Assert.That(slave.Effective, Is.EqualTo(new TtySettings { Speed = 115200, CtsRts = true, Local = true }));
        });
    }

    [Test]
    public void Open_OtherSpeedWithoutCtsRts_LeavesThemInTheLinesTermios()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, new TtySettings { Speed = 9600, CtsRts = false });
        using SafeFileHandle observer = Libc.OpenHandle(pair.SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);

        Assert.That(Termios.Get(observer, out Termios.Kernel termios), Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(Termios.SpeedOf(termios.CFlag), Is.EqualTo(9600));
            Assert.That(termios.CFlag & (Termios.CRTSCTS | Termios.CLOCAL), Is.Zero);
        });
    }

    [Test]
    public void Open_WithParityOnAPty_EffectiveShowsTheDriverDroppedIt()
    {
        // The pty driver forces CS8 and clears PARENB whatever it is asked (drivers/tty/pty.c).
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings with { Parity = TtyParity.Even });

        Assert.That(slave.Effective.Parity, Is.EqualTo(TtyParity.None));
    }

    [TestCase("None", 0u)]
    [TestCase("Even", Termios.PARENB)]
    [TestCase("Odd", Termios.PARENB | Termios.PARODD)]
    [TestCase("Mark", Termios.PARENB | Termios.PARODD | Termios.CMSPAR)]
    public void MakeRaw_Parity_SetsTheParityBitsAndKeepsEightDataBits(string name, uint expected)
    {
        var parity = Enum.Parse<TtyParity>(name);
        var termios = new Termios.Kernel { CFlag = Termios.PARENB | Termios.CMSPAR | 0x20 /* CS7 */ };

        TtyPort.MakeRaw(ref termios, new TtySettings { Parity = parity });

        Assert.Multiple(() =>
        {
            Assert.That(termios.CFlag & (Termios.PARENB | Termios.PARODD | Termios.CMSPAR), Is.EqualTo(expected));
            Assert.That(termios.CFlag & Termios.CSIZE, Is.EqualTo(Termios.CS8));
            Assert.That(TtyPort.Describe(termios).Parity, Is.EqualTo(parity));
        });
    }

    [Test]
    public void MakeRaw_CookedTermios_ClearsEveryProcessingFlag()
    {
        var termios = new Termios.Kernel
        {
            IFlag = Termios.ICRNL | Termios.IXON | Termios.IXOFF | Termios.ISTRIP | Termios.BRKINT,
            OFlag = Termios.OPOST,
            LFlag = Termios.ICANON | Termios.ECHO | Termios.ECHOE | Termios.ISIG | Termios.IEXTEN,
            CFlag = Termios.CSTOPB,
        };

        TtyPort.MakeRaw(ref termios, new TtySettings());

        Assert.Multiple(() =>
        {
            Assert.That(termios.IFlag, Is.Zero);
            Assert.That(termios.OFlag, Is.Zero);
            Assert.That(termios.LFlag, Is.Zero);
            Assert.That(termios.CFlag & Termios.CSTOPB, Is.Zero);
            Assert.That(termios.CFlag & Termios.CREAD, Is.Not.Zero);
            Assert.That(ControlChar(termios, Termios.VMIN), Is.EqualTo(1));
            Assert.That(ControlChar(termios, Termios.VTIME), Is.Zero);
        });
    }

    [Test]
    public void MakeRaw_EveryValidSpeed_ReadsBackAsThatSpeed()
    {
        foreach (int speed in TtySettings.ValidSpeeds)
        {
            var termios = new Termios.Kernel { CFlag = Termios.CBAUD | Termios.CIBAUD };
            TtyPort.MakeRaw(ref termios, new TtySettings { Speed = speed });
            Assert.That(TtyPort.Describe(termios).Speed, Is.EqualTo(speed), $"speed {speed}");
            Assert.That(termios.CFlag & Termios.CIBAUD, Is.Zero, "input speed follows output speed");
        }
    }

    [Test]
    public void MakeRaw_NoSpeed_LeavesTheSpeedBitsAlone()
    {
        var termios = new Termios.Kernel { CFlag = Termios.SpeedCode(57600) };

        TtyPort.MakeRaw(ref termios, new TtySettings { Speed = null });

        Assert.That(Termios.SpeedOf(termios.CFlag), Is.EqualTo(57600));
    }

    [Test]
    public void Open_SpeedWithoutATermiosConstant_ThrowsListingTheValidOnes()
    {
        using var pair = PtyPair.Open();

        var error = Assert.Throws<ArgumentException>(() => TtyPort.Open(pair.SlavePath, new TtySettings { Speed = 12345 }));

        Assert.That(error!.Message, Does.Contain("unsupported speed 12345").And.Contain("valid speeds: 50 75 110").And.Contain(" 115200 "));
    }

    [Test]
    public void Open_NotATerminal_ThrowsSayingSo()
    {
        var error = Assert.Throws<IOException>(() => TtyPort.Open("/dev/null", PtySettings));

        Assert.That(error!.Message, Does.Contain("/dev/null is not a terminal"));
    }

    [Test]
    public void Open_MissingDevice_ThrowsNamingIt()
    {
        var error = Assert.Throws<IOException>(() => TtyPort.Open("/dev/no-such-tty", PtySettings));

        Assert.That(error!.Message, Does.Contain("/dev/no-such-tty"));
    }

    [Test]
    public void Read_NothingArrives_ReturnsZeroAtTheTimeout()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);

        Assert.That(slave.Read(new byte[64], TimeSpan.FromMilliseconds(50)), Is.Zero);
    }

    [Test]
    public void Shutdown_ReadWaitingOnAnotherThread_ReturnsZero()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);
        using var entered = new ManualResetEventSlim();
        var reader = Task.Run(() =>
        {
            entered.Set();
            return slave.Read(new byte[64], Timeout.InfiniteTimeSpan);
        });
        entered.Wait(Patience);

        slave.Shutdown();

        Assert.Multiple(() =>
        {
            Assert.That(reader.Wait(Patience), Is.True, "Read still blocked");
            Assert.That(reader.Result, Is.Zero);
            Assert.That(slave.IsShutdown, Is.True);
            Assert.That(slave.Read(new byte[64], Timeout.InfiniteTimeSpan), Is.Zero, "Read after Shutdown");
        });
    }

    [Test]
    public void Shutdown_WriteWaitingOnAFullLine_ThrowsOperationCanceled()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);
        var writer = Task.Run(() => slave.Write(new byte[4 << 20], Timeout.InfiniteTimeSpan));
        // Only once the writer is waiting can Shutdown be the thing that ends it.
        using (var master = pair.OpenMasterPort())
            Assert.That(master.Read(new byte[1], Patience), Is.EqualTo(1));

        slave.Shutdown();

        Assert.That(() => writer.Wait(Patience), Throws.InstanceOf<AggregateException>()
            .With.InnerException.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Write_NobodyReadsTheOtherSide_ThrowsTimeout()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);

        var error = Assert.Throws<TimeoutException>(() => slave.Write(new byte[4 << 20], TimeSpan.FromMilliseconds(200)));

        Assert.That(error!.Message, Does.Contain(pair.SlavePath).And.Contain("of 4194304 octets"));
    }

    [Test]
    public void Open_PtyPair_SlaveIsRawBeforeAnyPortOpensIt()
    {
        using var pair = PtyPair.Open();
        using SafeFileHandle observer = Libc.OpenHandle(pair.SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);

        Assert.That(Termios.Get(observer, out Termios.Kernel termios), Is.Zero);
        Assert.That(termios.LFlag & (Termios.ICANON | Termios.ECHO), Is.Zero);
    }

    [Test]
    public void Dispose_MasterPort_LeavesTheSlavesSettingsAlone()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, new TtySettings { Speed = 57600, CtsRts = true });
        var master = pair.OpenMasterPort();

        master.Dispose();

        using SafeFileHandle observer = Libc.OpenHandle(pair.SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);
        Assert.That(Termios.Get(observer, out Termios.Kernel termios), Is.Zero);
        Assert.That(TtyPort.Describe(termios), Is.EqualTo(slave.Effective));
    }

    [Test]
    public void Read_MasterCloses_ThrowsEndOfStream()
    {
        var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);

        pair.Dispose();

        Assert.Throws<EndOfStreamException>(() => slave.Read(new byte[64], Patience));
    }

    [Test]
    public void Write_MasterClosed_ThrowsIOException()
    {
        var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);

        pair.Dispose();

        Assert.Throws<IOException>(() => slave.Write([1, 2, 3], Patience));
    }

    [Test]
    public void Read_OnTheMasterAfterTheSlaveCloses_ThrowsEndOfStream()
    {
        using var pair = PtyPair.Open();
        using var master = pair.OpenMasterPort();
        var slave = TtyPort.Open(pair.SlavePath, PtySettings);
        slave.Write([0x7e], Patience);

        slave.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(ReadExactly(master, 1), Is.EqualTo(new byte[] { 0x7e }), "data written before the close");
            Assert.Throws<EndOfStreamException>(() => master.Read(new byte[64], Patience));
        });
    }

    [Test]
    public void Dispose_RestoresTheOriginalTermios()
    {
        using var pair = PtyPair.Open();
        using SafeFileHandle observer = Libc.OpenHandle(pair.SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);
        Assert.That(Termios.Get(observer, out Termios.Kernel before), Is.Zero);
        before.LFlag |= Termios.ICANON | Termios.ECHO;
        before.IFlag |= Termios.ICRNL | Termios.IXON;
        before.CFlag &= ~Termios.CRTSCTS;
        Assert.That(Termios.Set(observer, before), Is.Zero);

        TtyPort.Open(pair.SlavePath, new TtySettings { Speed = 115200 }).Dispose();

        Assert.That(Termios.Get(observer, out Termios.Kernel after), Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(after.LFlag, Is.EqualTo(before.LFlag));
            Assert.That(after.IFlag, Is.EqualTo(before.IFlag));
            Assert.That(after.CFlag, Is.EqualTo(before.CFlag));
        });
    }

    [Test]
    public void Flush_UnreadInput_IsDiscarded()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);
        using var master = pair.OpenMasterPort();
        using SafeFileHandle observer = Libc.OpenHandle(pair.SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);
        master.Write("ATZ\r"u8, Patience);
        Assert.That(WaitReadable(observer), Is.True, "input never arrived");

        slave.Flush();

        Assert.That(slave.Read(new byte[64], TimeSpan.FromMilliseconds(100)), Is.Zero);
    }

    [Test]
    public void ModemLines_OnAPty_AreUnknownAndIgnored()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);

        Assert.Multiple(() =>
        {
            Assert.That(slave.IsPty, Is.True);
            Assert.That(slave.Carrier, Is.Null);
            Assert.That(() => slave.SetDtr(false), Throws.Nothing);
            Assert.That(() => slave.Hangup(TimeSpan.FromSeconds(30)), Throws.Nothing);
        });
    }

    [Test]
    public void Dispose_Twice_IsHarmlessAndLaterCallsThrowObjectDisposed()
    {
        using var pair = PtyPair.Open();
        var slave = TtyPort.Open(pair.SlavePath, PtySettings);

        slave.Dispose();
        slave.Dispose();

        Assert.Throws<ObjectDisposedException>(() => slave.Read(new byte[1], TimeSpan.Zero));
    }

    [Test]
    public void Read_SteadyState_AllocatesNothing()
    {
        using var pair = PtyPair.Open();
        using var slave = TtyPort.Open(pair.SlavePath, PtySettings);
        using var master = pair.OpenMasterPort();
        byte[] chunk = [1, 2, 3, 4];
        byte[] buffer = new byte[64];
        master.Write(chunk, Patience);
        _ = ReadExactly(slave, chunk.Length);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            master.Write(chunk, Patience);
            int got = 0;
            while (got < chunk.Length)
                got += slave.Read(buffer, Patience);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }

    private static byte[] AllOctets() => Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    private static byte ControlChar(Termios.Kernel termios, int index) => termios.ControlChar(index);

    private static byte[] ReadExactly(TtyPort port, int count)
    {
        byte[] result = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = port.Read(result.AsSpan(got), Patience);
            if (n == 0)
                Assert.Fail($"only {got} of {count} octets arrived");
            got += n;
        }
        return result;
    }

    /// <summary>Waits until the line's input queue holds something (TIOCINQ), without reading it.</summary>
    private static bool WaitReadable(SafeFileHandle fd)
    {
        nint count = Marshal.AllocHGlobal(sizeof(int));
        try
        {
            long deadline = Environment.TickCount64 + (long)Patience.TotalMilliseconds;
            while (Environment.TickCount64 < deadline)
            {
                Assert.That(Libc.Ioctl(fd, Termios.TIOCINQ, count), Is.Zero);
                if (Marshal.ReadInt32(count) > 0)
                    return true;
                Thread.Sleep(10);
            }
            return false;
        }
        finally
        {
            Marshal.FreeHGlobal(count);
        }
    }
}
