using System.Text;
using NUnit.Framework;
using Ppp.Tun.Tty;

namespace Ppp.ModemSim.Tests.Support;

/// <summary>
/// A <see cref="Modem"/> running in-process on its own line thread, with a DTE port opened
/// on its pty the way the daemon opens a device (raw, CLOCAL). Disposing stops the modem and
/// closes everything; <see cref="Log"/> is the simulator's log for failure messages.
/// </summary>
internal sealed class ModemHarness : IDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);
    private readonly StringWriter _logText = new();
    private readonly Thread _thread;
    private readonly StringBuilder _received = new();

    private ModemHarness(ModemOptions options)
    {
        Options = options;
        Modem = Modem.Open(options, new SimLog(TextWriter.Synchronized(_logText)));
        _thread = new Thread(Modem.Run) { IsBackground = true, Name = "modem line" };
        _thread.Start();
        Dte = OpenDte();
    }

    public ModemOptions Options { get; }

    public Modem Modem { get; }

    /// <summary>The DTE's end of the line (the slave), raw.</summary>
    public TtyPort Dte { get; private set; }

    public string Log => _logText.ToString();

    public static ModemHarness Start(params string[] args)
    {
        ModemOptions? options = ModemOptions.Parse(args, out string? error);
        Assert.That(options, Is.Not.Null, error);
        return new ModemHarness(options!);
    }

    public TtyPort OpenDte() => TtyPort.Open(Modem.SlavePath, new TtySettings { Local = true, CtsRts = false });

    /// <summary>Closes the DTE port and opens a new one (on the modem's current pty).</summary>
    public void ReopenDte()
    {
        Dte.Dispose();
        Dte = OpenDte();
    }

    public void Send(string text) => Dte.Write(Encoding.ASCII.GetBytes(text), s_patience);

    /// <summary>Dials a packet call and waits for CONNECT at the default speed.</summary>
    public void Dial()
    {
        Send("ATD*99#\r");
        Expect("CONNECT 115200\r\n");
    }

    /// <summary>Dials after setting a 200 ms escape guard time (S12=10), which keeps +++ tests short.</summary>
    public void DialWithShortGuard()
    {
        Send("ATS12=10\r");
        Expect("OK\r\n");
        Dial();
    }

    /// <summary>
    /// Sends +++ after twice the short guard time of silence. The modem runs on the real clock
    /// (it is the device under test, behind a real pty), so the silence has to be real time.
    /// </summary>
    public void SendEscape()
    {
        Thread.Sleep(400);
        Send("+++");
    }

    /// <summary>Reads until <paramref name="text"/> has arrived; returns everything read up to and including it.</summary>
    public string Expect(string text)
    {
        var buffer = new byte[1024];
        DateTime deadline = DateTime.UtcNow + s_patience;
        while (true)
        {
            string sofar = _received.ToString();
            int at = sofar.IndexOf(text, StringComparison.Ordinal);
            if (at >= 0)
            {
                _received.Remove(0, at + text.Length);
                return sofar[..(at + text.Length)];
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"'{SimLog.Escape(Encoding.ASCII.GetBytes(text))}' never came; got '{SimLog.Escape(Encoding.ASCII.GetBytes(sofar))}'\n{Log}");
            }

            int n = Dte.Read(buffer, TimeSpan.FromMilliseconds(100));
            _received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
    }

    /// <summary>Everything that arrives within <paramref name="wait"/> (for "nothing comes" checks).</summary>
    public string Drain(TimeSpan wait)
    {
        var buffer = new byte[1024];
        DateTime deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline)
        {
            int n = Dte.Read(buffer, TimeSpan.FromMilliseconds(50));
            _received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        string all = _received.ToString();
        _received.Clear();
        return all;
    }

    /// <summary>The modem's status words as a dictionary (state, dials, hangups, ...).</summary>
    public Dictionary<string, string> Status()
    {
        Task<string> answer = Modem.Control("status");
        Assert.That(answer.Wait(s_patience), Is.True, "status did not answer");
        return answer.Result["OK ".Length..].Split(' ').Select(w => w.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>Waits until status word <paramref name="key"/> reads <paramref name="value"/>.</summary>
    public void WaitStatus(string key, string value)
    {
        if (!Poll.Until(() => Status()[key] == value, s_patience))
        {
            Assert.Fail($"status {key} never became {value}: {string.Join(' ', Status())}\n{Log}");
        }
    }

    public void Dispose()
    {
        Modem.Stop();
        _thread.Join(TimeSpan.FromSeconds(10));
        Dte.Dispose();
        Modem.Dispose();
    }
}
