using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// Issue 11 over a real socket: a hostile peer (a small Python program speaking raw async
/// HDLC) opens LCP with the daemon, then floods it and never reads again, so the daemon's
/// writes block. The diagnostic socket must still answer, memory must stay bounded, and
/// SIGTERM must end the daemon at once. The bounds are generous; the measured figures are
/// printed for docs/benchmarks.md.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class FloodingPeerTests : IntegrationFixture
{
    private const int Port = 7011;

    // The peer: Ack the daemon's Configure-Request, send an empty one of its own, wait for
    // the Ack, then write the flood as fast as the socket takes it, for ever, never reading.
    private const string Peer = """
        import socket, sys
        port, kind = int(sys.argv[1]), sys.argv[2]
        def fcs(data):
            f = 0xffff
            for b in data:
                f ^= b
                for _ in range(8):
                    f = (f >> 1) ^ 0x8408 if f & 1 else f >> 1
            return f ^ 0xffff
        def frame(proto, payload):
            body = bytes([0xff, 0x03, proto >> 8, proto & 0xff]) + payload
            f = fcs(body)
            body += bytes([f & 0xff, f >> 8])
            out = bytearray([0x7e])
            for b in body:
                if b < 0x20 or b in (0x7d, 0x7e):
                    out += bytes([0x7d, b ^ 0x20])
                else:
                    out.append(b)
            out.append(0x7e)
            return bytes(out)
        def packets(buf):
            for raw in buf.split(b'\x7e'):
                data, esc = bytearray(), False
                for b in raw:
                    if esc:
                        data.append(b ^ 0x20); esc = False
                    elif b == 0x7d:
                        esc = True
                    else:
                        data.append(b)
                if len(data) >= 8 and data[0] == 0xff:
                    yield (data[2] << 8) | data[3], bytes(data[4:-2])
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(('127.0.0.1', port)); listener.listen(1)
        print('listening', flush=True)
        conn, _ = listener.accept()
        conn.sendall(frame(0xc021, bytes([1, 1, 0, 4])))
        acked = opened = False
        while not (acked and opened):
            for proto, p in packets(conn.recv(4096)):
                if proto == 0xc021 and p[0] == 1:
                    conn.sendall(frame(0xc021, bytes([2]) + p[1:]))
                    acked = True
                elif proto == 0xc021 and p[0] == 2:
                    opened = True
        if kind == 'echo':
            one = frame(0xc021, bytes([9, 7, 0, 8, 0, 0, 0, 0]))
        else:
            one = frame(0x8777, bytes([1, 7, 0, 4]))
        burst = one * (65536 // len(one))
        print('flooding', flush=True)
        while True:
            conn.sendall(burst)
        """;

    [TestCase("echo", TestName = "EchoFlood_PeerNeverReads_ControlAnswersRssBoundedSigtermExitsAtOnce")]
    [TestCase("unknown", TestName = "UnknownProtocolFlood_PeerNeverReads_ControlAnswersRssBoundedSigtermExitsAtOnce")]
    public void Flood_PeerNeverReads_ControlAnswersRssBoundedSigtermExitsAtOnce(string kind)
    {
        DaemonEnvironment.RequireTools("python3");
        NetworkNamespace ns = Rig.Namespace();
        string socketPath = Path.Combine(Rig.Directory, "ctl.sock");
        PppConf conf = Rig.Conf("A", Configs.Default + $"""
            flood:
             set device 127.0.0.1:{Port}/tcp
             set ifaddr 10.96.0.1 10.96.0.2
             disable ipv6cp
             set server {socketPath} flood-pw 0177
            """);
        ChildProcess peer = Rig.Start(ns, "flooding peer", "python3", "-c", Peer, Port.ToString(CultureInfo.InvariantCulture), kind);
        Assert.That(Poll.Until(() => peer.StdOut.Contains("listening", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True, Rig.Describe());
        ChildProcess daemon = Rig.Daemon(ns, conf, "-foreground", "flood");
        Assert.That(Poll.Until(() => peer.StdOut.Contains("flooding", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), Is.True, Rig.Describe());

        // A few seconds of flood: the daemon's output stalls within the first, its control
        // queue fills, and replies are then dropped and counted.
        Poll.Until(() => daemon.HasExited, TimeSpan.FromSeconds(2));
        var asked = Stopwatch.StartNew();
        ProcessResult hdlc = ControlSupport.Pppctl(ns, "-p", "flood-pw", socketPath, "show hdlc");
        TimeSpan answer = asked.Elapsed;
        Poll.Until(() => daemon.HasExited, TimeSpan.FromSeconds(1));
        long logBytes = new FileInfo(conf.Log.Path).Length;
        long peakRss = PeakRssKib(daemon.Id);

        var stopping = Stopwatch.StartNew();
        daemon.Signal("TERM");
        bool exited = daemon.WaitForExit(TimeSpan.FromSeconds(10));
        TimeSpan exit = stopping.Elapsed;
        TestContext.Out.WriteLine($"{kind} flood: pppctl answered in {answer.TotalMilliseconds:0} ms; peak RSS {peakRss / 1024.0:0.0} MB; " +
            $"log {logBytes} bytes; exit {exit.TotalMilliseconds:0} ms after SIGTERM\n{hdlc.StdOut}");

        Assert.Multiple(() =>
        {
            Assert.That(hdlc.ExitCode, Is.Zero, $"pppctl during the flood\n{hdlc.StdOut}{hdlc.StdErr}\n{Rig.Describe()}");
            Assert.That(hdlc.StdOut, Does.Contain("Control frames dropped"), Rig.Describe());
            Assert.That(answer, Is.LessThan(TimeSpan.FromSeconds(5)), "pppctl answered late");
            Assert.That(peakRss, Is.LessThan(100 * 1024), "peak RSS (KiB)");
            Assert.That(exited, Is.True, $"still running 10 s after SIGTERM\n{Rig.Describe()}");
            Assert.That(exit, Is.LessThan(TimeSpan.FromSeconds(5)), "exit after SIGTERM");
            // The flood's log lines were coalesced: a few kilobytes, not megabytes.
            Assert.That(logBytes, Is.LessThan(1 << 20), "log size");
        });
    }

    /// <summary>VmHWM of /proc/PID/status: the peak resident set, in KiB.</summary>
    private static long PeakRssKib(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
