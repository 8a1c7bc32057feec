using System.Globalization;
using Microsoft.Win32.SafeHandles;
using NUnit.Framework;
using Ppp.ModemSim.Tests.Support;
using Ppp.Tun.Interop;

namespace Ppp.ModemSim.Tests;

[TestFixture]
public sealed class ModemTests
{
    private string _directory = "";

    [SetUp]
    public void MakeDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"modemtest-{Guid.NewGuid():N}"[..21]);
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void At_EchoOn_EchoesTheLineThenAnswersOk()
    {
        using var modem = ModemHarness.Start();

        modem.Send("AT\r");

        Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("AT\r\r\nOK\r\n"));
    }

    [Test]
    public void At_AfterAte0_AnswersWithoutEcho()
    {
        using var modem = ModemHarness.Start();
        modem.Send("ATE0\r");
        modem.Expect("OK\r\n");

        modem.Send("AT\r");

        Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("\r\nOK\r\n"));
    }

    [Test]
    public void Line_WithNoiseBeforeAt_IsAnsweredAndNoiseWithoutAtGetsNothing()
    {
        using var modem = ModemHarness.Start("--no-echo");

        modem.Send("hello\r");
        modem.Send("\x1b~ATI\r");

        Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("\r\nUserPpp modem simulator\r\n\r\nOK\r\n"));
    }

    [Test]
    public void Cgdcont_TwoWritesAndARead_CountsTwoWrites()
    {
        using var modem = ModemHarness.Start("--no-echo");

        modem.Send("AT+CGDCONT=1,\"IP\",\"dream.jp\"\r");
        modem.Expect("OK\r\n");
        modem.Send("AT+CGDCONT=1,\"IP\",\"dream.jp\"\r");
        modem.Expect("OK\r\n");
        modem.Send("AT+CGDCONT?\r");

        Assert.Multiple(() =>
        {
            Assert.That(modem.Expect("OK\r\n"), Does.Contain("+CGDCONT: 1,\"IP\",\"dream.jp\""));
            Assert.That(modem.Status()["cgdcont_writes"], Is.EqualTo("2"));
        });
    }

    [Test]
    public void Dial_WithCatPeer_RelaysBothWaysAfterConnect()
    {
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", "cat");

        modem.Send("ATDT*99***1#\r");
        modem.Expect("\r\nCONNECT 115200\r\n");
        modem.Send("~\x7d\x23 ppp frame ~");

        Assert.Multiple(() =>
        {
            Assert.That(modem.Expect("frame ~"), Is.EqualTo("~\x7d\x23 ppp frame ~"));
            Assert.That(modem.Status()["state"], Is.EqualTo("online"));
        });
    }

    [Test]
    public void Dial_WithSlirpPeer_RelaysPppBothWays()
    {
        InteropEnvironment.RequireSlirpHost();
        // slirp wants a tty and its own HOME (README of ../shared/peers); socat gives it both.
        string script = Path.Combine(_directory, "run-slirp.sh");
        File.WriteAllText(script, $"#!/bin/sh\ncd {_directory}; HOME={_directory}; export HOME\nexec slirp-fullbolt ppp \"host addr 127.0.0.1\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", $"exec socat - EXEC:{script},pty,raw,echo=0");
        modem.Send("ATD*99#\r");
        modem.Expect("\r\nCONNECT 115200\r\n");

        byte[] magic = [5, 6, 0x12, 0x34, 0x56, 0x78];
        modem.Dte.Write(RawHdlc.EncodeControlPacket(0xc021, RawControlPacket.ConfigureRequest, 1, magic), TimeSpan.FromSeconds(5));

        var decoder = new RawHdlcDecoder();
        var buffer = new byte[2048];
        bool acked = Poll.Until(() =>
        {
            int n = modem.Dte.Read(buffer, TimeSpan.FromMilliseconds(100));
            return decoder.Push(buffer.AsSpan(0, n)).Any(f => f.FcsValid && f.Protocol == 0xc021
                && RawControlPacket.TryParse(f.Information)?.Code == RawControlPacket.ConfigureAck);
        }, TimeSpan.FromSeconds(10), TimeSpan.Zero);
        Assert.That(acked, Is.True, modem.Log);
    }

    [Test]
    public void Dial_PeerEnds_NoCarrierAndCommandMode()
    {
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", "printf hello");

        modem.Send("ATD5551234\r");

        Assert.That(modem.Expect("NO CARRIER\r\n"), Does.StartWith("\r\nCONNECT 115200\r\nhello"));
        modem.Send("AT\r");
        modem.Expect("\r\nOK\r\n");
        Assert.That(modem.Status()["hangups"], Is.EqualTo("1"));
    }

    [Test]
    public void Dial_BusyForTwoDials_ThirdConnects()
    {
        using var modem = ModemHarness.Start("--no-echo", "--dial", "busy:2");

        modem.Send("ATD1\r");
        modem.Expect("\r\nBUSY\r\n");
        modem.Send("ATD1\r");
        modem.Expect("\r\nBUSY\r\n");
        modem.Send("ATD1\r");
        modem.Expect("\r\nCONNECT 115200\r\n");

        Assert.That(modem.Status()["dials"], Is.EqualTo("3"));
    }

    [Test]
    public void SpeedB0_DuringCall_HangsUpKillsThePeerAndCommandsWorkAfterDtrRises()
    {
        string pidFile = Path.Combine(_directory, "peer.pid");
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", $"echo $$ > {pidFile}; exec cat");
        modem.Dial();
        Assert.That(Poll.Until(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(5)), Is.True);
        int peer = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);

        using SafeFileHandle dte = Libc.OpenHandle(modem.Modem.SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);
        Assert.That(Termios.Get(dte, out Termios.Kernel termios), Is.Zero);
        uint speed = termios.CFlag & Termios.CBAUD;
        termios.CFlag &= ~Termios.CBAUD;
        Assert.That(Termios.Set(dte, termios), Is.Zero);
        modem.WaitStatus("dtr", "low");
        termios.CFlag |= speed;
        Assert.That(Termios.Set(dte, termios), Is.Zero);
        modem.WaitStatus("dtr", "high");
        modem.Send("AT\r");

        Assert.Multiple(() =>
        {
            Assert.That(modem.Expect("OK\r\n"), Does.EndWith("\r\nOK\r\n"));
            Dictionary<string, string> status = modem.Status();
            Assert.That(status["state"], Is.EqualTo("command"));
            Assert.That(status["dtr_drops"], Is.EqualTo("1"));
            Assert.That(status["hangups"], Is.EqualTo("1"));
            Assert.That(Poll.Until(() => !Directory.Exists($"/proc/{peer}"), TimeSpan.FromSeconds(5)), Is.True, "peer still running");
        });
    }

    [Test]
    public void SpeedB0_WithAmpersandD3_ResetsEchoToTheProfile()
    {
        using var modem = ModemHarness.Start();
        modem.Send("AT&D3E0\r");
        modem.Expect("OK\r\n");

        using SafeFileHandle dte = Libc.OpenHandle(modem.Modem.SlavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK);
        Assert.That(Termios.Get(dte, out Termios.Kernel termios), Is.Zero);
        uint speed = termios.CFlag & Termios.CBAUD;
        termios.CFlag &= ~Termios.CBAUD;
        Assert.That(Termios.Set(dte, termios), Is.Zero);
        modem.WaitStatus("dtr", "low");
        termios.CFlag |= speed;
        Assert.That(Termios.Set(dte, termios), Is.Zero);
        modem.WaitStatus("dtr", "high");

        Assert.That(modem.Status()["echo"], Is.EqualTo("1"));
    }

    [Test]
    public void Close_DuringCall_HangsUpAndTheNextOpenFindsCommandMode()
    {
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", "cat");
        modem.Dial();

        modem.Dte.Dispose();
        modem.WaitStatus("line", "closed");
        modem.ReopenDte();
        modem.WaitStatus("line", "open");
        modem.Send("AT\r");

        Assert.Multiple(() =>
        {
            Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("\r\nOK\r\n"));
            Assert.That(modem.Status()["dtr_drops"], Is.EqualTo("1"));
            Assert.That(modem.Status()["hangups"], Is.EqualTo("1"));
        });
    }

    [Test]
    public void Silent_AnswersNothingUntilAnExternalReset()
    {
        using var modem = ModemHarness.Start("--silent");
        modem.Send("AT\r");
        Assert.That(modem.Drain(TimeSpan.FromMilliseconds(500)), Is.Empty);

        modem.Modem.ExternalReset();
        modem.WaitStatus("resets", "1");
        modem.Send("AT\r");

        Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("AT\r\r\nOK\r\n"));
    }

    [Test]
    public void Silent_CfunResetIsTheOneCommandAnswered()
    {
        using var modem = ModemHarness.Start("--silent");
        modem.Send("ATI\r");
        Assert.That(modem.Drain(TimeSpan.FromMilliseconds(300)), Is.Empty);

        modem.Send("AT+CFUN=1,1\r");

        Assert.Multiple(() =>
        {
            Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("\r\nOK\r\n"));
            Assert.That(modem.Status()["state"], Is.EqualTo("command"));
            Assert.That(modem.Status()["resets"], Is.EqualTo("1"));
        });
    }

    [Test]
    public void SilentAfter_SecondCallEnded_AnswersNothingUntilCfunReset()
    {
        using var modem = ModemHarness.Start("--no-echo", "--silent-after", "2");
        for (int call = 0; call < 2; call++)
        {
            modem.Dial();
            Task<string> drop = modem.Modem.Control("drop");
            modem.Expect("NO CARRIER\r\n");
            Assert.That(drop.Wait(TimeSpan.FromSeconds(10)), Is.True);
            modem.ReopenDte();
        }

        modem.Send("AT\r");
        Assert.That(modem.Drain(TimeSpan.FromMilliseconds(400)), Is.Empty, modem.Log);
        Assert.That(modem.Status()["state"], Is.EqualTo("silent"));

        modem.Send("AT+CFUN=1,1\r");
        modem.Expect("OK\r\n");
        modem.Send("AT\r");

        Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("\r\nOK\r\n"));
    }

    [Test]
    public void Reenumerate_Reset_RemovesTheLinkAndPublishesANewPtyUnderTheNextName()
    {
        string link = Path.Combine(_directory, "ttyUSB");
        using var modem = ModemHarness.Start("--no-echo", "--link", link, "--reenumerate", "300");
        string first = modem.Modem.SlavePath;
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(first));

        modem.Send("AT+CFUN=1,1\r");
        modem.Expect("OK\r\n");

        Assert.That(Poll.Until(() => File.Exists(link + "1"), TimeSpan.FromSeconds(5)), Is.True, modem.Log);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(link), Is.False, "the old name is gone");
            Assert.That(new FileInfo(link + "1").LinkTarget, Is.EqualTo(modem.Modem.SlavePath));
            Assert.That(modem.Status()["enumerations"], Is.EqualTo("1"));
        });
        modem.ReopenDte();
        modem.Send("AT\r");
        Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("\r\nOK\r\n"));
    }

    [Test]
    public void Ignore_FirstCommand_GetsNoEchoNorAnswer()
    {
        using var modem = ModemHarness.Start("--ignore", "1");
        modem.Send("AT\r");
        Assert.That(modem.Drain(TimeSpan.FromMilliseconds(300)), Is.Empty);

        modem.Send("AT\r");

        Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("AT\r\r\nOK\r\n"));
    }

    [Test]
    public void Drop_OnCommand_DteSeesNoCarrierThenHangUpAndTheLinkNamesANewPty()
    {
        string link = Path.Combine(_directory, "modem");
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", "cat", "--link", link);
        string before = modem.Modem.SlavePath;
        modem.Dial();

        Task<string> drop = modem.Modem.Control("drop");
        modem.Expect("\r\nNO CARRIER\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(drop.Wait(TimeSpan.FromSeconds(10)) ? drop.Result : "no answer", Is.EqualTo("OK"));
            Assert.That(() => modem.Drain(TimeSpan.FromSeconds(1)), Throws.TypeOf<EndOfStreamException>());
            Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(modem.Modem.SlavePath).And.Not.EqualTo(before));
            Assert.That(modem.Status()["carrier_drops"], Is.EqualTo("1"));
        });
        modem.ReopenDte();
        modem.Send("AT\r");
        Assert.That(modem.Expect("OK\r\n"), Is.EqualTo("\r\nOK\r\n"));
    }

    [Test]
    public void DropAfter_InjectsACarrierDropIntoTheCall()
    {
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", "cat", "--drop-after", "0.5");
        modem.Dial();

        modem.Expect("\r\nNO CARRIER\r\n");

        modem.WaitStatus("carrier_drops", "1");
        Assert.That(modem.Status()["state"], Is.EqualTo("command"));
    }

    [Test]
    public void Escape_PlusPlusPlusWithGuardTime_HoldsTheCallAndAtoResumesIt()
    {
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", "cat");
        modem.DialWithShortGuard();

        modem.SendEscape();
        modem.Expect("+++");
        modem.Expect("\r\nOK\r\n");
        Assert.That(modem.Status()["state"], Is.EqualTo("online-command"));
        modem.Send("ATO\r");
        modem.Expect("\r\nCONNECT 115200\r\n");
        modem.Send("back");

        Assert.That(modem.Expect("back"), Is.EqualTo("back"));
    }

    [Test]
    public void Escape_PlusPlusPlusInsideData_StaysOnline()
    {
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", "cat");
        modem.DialWithShortGuard();

        modem.Send("x+++y");
        modem.Expect("x+++y");

        Assert.That(modem.Drain(TimeSpan.FromMilliseconds(600)), Is.Empty);
        Assert.That(modem.Status()["state"], Is.EqualTo("online"));
    }

    [Test]
    public void Ath_AfterEscape_EndsTheCall()
    {
        using var modem = ModemHarness.Start("--no-echo", "--peer-exec", "cat");
        modem.DialWithShortGuard();
        modem.SendEscape();
        modem.Expect("\r\nOK\r\n");

        modem.Send("ATH\r");
        modem.Expect("\r\nOK\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(modem.Status()["state"], Is.EqualTo("command"));
            Assert.That(modem.Status()["hangups"], Is.EqualTo("1"));
        });
    }
}
