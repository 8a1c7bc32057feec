using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Ppp.ModemSim.At;
using Ppp.ModemSim.Peers;
using Ppp.Tun.Interop;
using Ppp.Tun.Tty;

namespace Ppp.ModemSim;

/// <summary>
/// The simulated modem on a pty: command mode (echo, AT commands, result codes), dialling, and
/// online mode relaying the line to a peer. One line thread (<see cref="Run"/>) owns all state:
/// it reads the pty master, checks the line every 100 ms for a DTR drop (speed B0) and for
/// the slave being closed, and runs what other threads post (control commands, signals, the
/// peer ending). The peer-to-line pump is the only other writer to the line, serialised with
/// the line thread's answers by one lock.
/// </summary>
/// <remarks>
/// How the DTE's modem-control actions show on a pty, which has no modem lines:
/// <list type="bullet">
/// <item>DTR drop: the slave's speed set to B0 (tcsetattr, POSIX "hang up"); Linux shares the
/// termios with the master, which polls it. Setting a speed again raises DTR.</item>
/// <item>Close: the last slave descriptor closed (the master reads EIO, polls POLLHUP). It counts
/// as a DTR drop; the pty stays and the next open finds the modem in command mode. A speed left
/// at B0 is put back, since opening a line raises DTR.</item>
/// <item>Carrier drop (injected): NO CARRIER, then the master is closed, so everyone holding the
/// slave reads end of file / EIO (what a DCD loss looks like to a daemon), and a new pty is
/// published at the link path for the next open.</item>
/// </list>
/// </remarks>
internal sealed partial class Modem : IDisposable
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_writeLimit = TimeSpan.FromSeconds(2);
    private const int MaxLine = 512;

    private readonly ModemOptions _options;
    private readonly SimLog _log;
    private readonly AtInterpreter _at;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly Lock _writeLock = new();
    private readonly StringBuilder _line = new();
    private readonly List<byte> _echo = [];
    private volatile PtyPair _pty;
    private volatile TtyPort _port;
    private volatile ModemCounters _counters = new();
    private ModemCounters? _written;
    private Call? _call;
    private volatile int _onlineCall;
    private int _nextCallId = 1;
    private LineMode _mode = LineMode.Command;
    private EscapeDetector _escape = new(0);
    private bool _silent;
    private int _connectsSinceReset;
    private int _enumerations;
    private int _ignoreLeft;
    private ResultCode _dialResult;
    private int? _dialFailuresLeft;
    private string? _lastLine;
    private bool _lineClosed;
    private bool _dtrLow;
    private uint _speedCode = Termios.SpeedCode(115200);
    private long _nextDtrCheck;
    private long? _dropAt;
    private volatile bool _stopping;

    private Modem(ModemOptions options, SimLog log, PtyPair pty)
    {
        _options = options;
        _log = log;
        _pty = pty;
        _port = pty.OpenMasterPort();
        _at = new AtInterpreter(options.EchoByDefault) { FailCgdcont = options.FailCgdcont };
        _silent = options.Silent;
        _ignoreLeft = options.IgnoreCommands;
        _dialResult = options.DialResult;
        _dialFailuresLeft = options.DialFailures;
    }

    private enum LineMode
    {
        Command,
        Online,

        /// <summary>After "+++": commands while the call is held; ATO goes back online.</summary>
        OnlineCommand,
    }

    /// <summary>The current pty's slave (a carrier drop replaces the pty).</summary>
    public string SlavePath => _pty.SlavePath;

    public ModemCounters Counters => _counters;

    /// <summary>Opens the pty and publishes its slave at <see cref="ModemOptions.Link"/>.</summary>
    public static Modem Open(ModemOptions options, SimLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pty = PtyPair.Open();
        var modem = new Modem(options, log, pty);
        try
        {
            modem.PublishLink();
            modem._speedCode = Termios.Get(pty.Master, out Termios.Kernel t) == 0 && (t.CFlag & Termios.CBAUD) != 0
                ? t.CFlag & Termios.CBAUD : modem._speedCode;
            log.Info($"modem on {pty.SlavePath}{(options.Link is null ? "" : $" (link {options.Link})")}, peer {options.Peer} {options.PeerTarget}");
            return modem;
        }
        catch
        {
            modem.Dispose();
            throw;
        }
    }

    /// <summary>Runs the line until <see cref="Stop"/>.</summary>
    public void Run()
    {
        var buffer = new byte[4096];
        while (!_stopping)
        {
            int n = 0;
            if (_lineClosed)
            {
                Thread.Sleep(s_tick);
                if (!MasterHungUp())
                {
                    _lineClosed = false;
                    _log.Info($"line opened ({_pty.SlavePath})");
                }
            }
            else
            {
                try
                {
                    n = _port.Read(buffer, s_tick);
                }
                catch (EndOfStreamException)
                {
                    OnLineClosed();
                }
            }

            if (n > 0)
                OnInput(buffer.AsSpan(0, n));
            OnTick();
        }

        EndCall("simulator stopping", noCarrier: false);
        WriteStatusFile();
    }

    /// <summary>Makes <see cref="Run"/> return (from any thread).</summary>
    public void Stop()
    {
        _stopping = true;
        _port.Shutdown();
    }

    /// <summary>Runs <paramref name="action"/> on the line thread within a tick.</summary>
    public void Post(Action action) => _posted.Enqueue(action);

    /// <summary>A module restart from outside (control socket "reset", SIGUSR1).</summary>
    public void ExternalReset() => Post(() => Reset("external reset"));

    /// <summary>
    /// Runs one control-socket command on the line thread; the answer is "OK ..." or
    /// "ERROR why". Never throws on the command text.
    /// </summary>
    public Task<string> Control(string command)
    {
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => answer.SetResult(RunControl(command.Trim())));
        return answer.Task;
    }

    private string RunControl(string command)
    {
        string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return "ERROR empty command";
        _log.Info($"control: {command}");
        switch (words[0].ToLowerInvariant())
        {
            case "status" when words.Length == 1:
                return "OK " + Status();
            case "reset" when words.Length == 1:
                Reset("external reset");
                return "OK";
            case "drop" when words.Length == 1:
                return CarrierDrop("carrier dropped on command") ? "OK" : "ERROR no call";
            case "silence" when words.Length == 1:
                _silent = true;
                return "OK";
            case "dial" when words.Length == 2 && ModemOptions.TryParseDial(words[1], out ResultCode result, out int? failures):
                _dialResult = result;
                _dialFailuresLeft = failures;
                return "OK";
            case "ignore" when words.Length == 2 && int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n):
                _ignoreLeft = n;
                return "OK";
            case "cgdcont-error" when words.Length == 2 && words[1] is "on" or "off":
                _at.FailCgdcont = words[1] == "on";
                return "OK";
            default:
                return $"ERROR unknown command '{command}' (status, reset, drop, silence, dial RESULT[:N], ignore N, cgdcont-error on|off)";
        }
    }

    /// <summary>"key=value" words: the state and the counters.</summary>
    public string Status()
    {
        ModemCounters c = _counters;
        string state = _silent && _mode == LineMode.Command ? "silent" : _mode switch
        {
            LineMode.Online => "online",
            LineMode.OnlineCommand => "online-command",
            _ => "command",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"state={state} line={(_lineClosed ? "closed" : "open")} dtr={(_dtrLow ? "low" : "high")} echo={(_at.Echo ? 1 : 0)} " +
            $"slave={_pty.SlavePath} dials={c.Dials} connects={c.Connects} hangups={c.Hangups} dtr_drops={c.DtrDrops} " +
            $"carrier_drops={c.CarrierDrops} cgdcont_writes={c.CgdcontWrites} resets={c.Resets} commands={c.Commands} " +
            $"enumerations={_enumerations} silent_after={(_options.SilentAfter is int n ? n : 0)}");
    }

    private void OnInput(ReadOnlySpan<byte> data)
    {
        // With AT&D0 the modem ignores DTR altogether.
        if (_dtrLow && _at.DtrMode != 0)
        {
            _log.Line("<- (DTR low, discarded)", data);
            return;
        }

        if (_mode == LineMode.Online)
        {
            Call call = _call!;
            _escape.Feed(data, Environment.TickCount64, _at.Registers[2], (long)_at.GuardTime.TotalMilliseconds);
            call.ToPeer += data.Length;
            try
            {
                call.Peer?.Write(data);
            }
            catch (IOException ex)
            {
                // The pump sees the same end and posts it; the octets are lost like on a dead line.
                _log.Info($"peer write failed: {ex.Message}");
            }

            return;
        }

        foreach (byte b in data)
            CommandOctet(b);
        FlushEcho();
    }

    private void CommandOctet(byte b)
    {
        bool quiet = _silent || _ignoreLeft > 0;
        if (_at.Echo && !quiet)
            _echo.Add(b);
        if (b == _at.Registers[3])
        {
            string line = _line.ToString();
            _line.Clear();
            FlushEcho();
            ProcessLine(line);
        }
        else if (b == _at.Registers[5] || b == 0x7f)
        {
            if (_line.Length > 0)
                _line.Length--;
        }
        else if (b != _at.Registers[4] && _line.Length < MaxLine)
        {
            _line.Append((char)b);
            // "A/" repeats the last command line at once, without a carriage return.
            if (_line.Length == 2 && char.ToUpperInvariant(_line[0]) == 'A' && _line[1] == '/' && _lastLine is not null && !quiet)
            {
                _line.Clear();
                FlushEcho();
                ProcessLine(_lastLine);
            }
        }
    }

    private void ProcessLine(string raw)
    {
        int at = raw.IndexOf("AT", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return;
        string line = raw[at..];
        _log.Info($"<- \"{line}\"");
        if (_silent)
        {
            if (!CfunReset().IsMatch(line))
            {
                _log.Info("   (silent: no answer until AT+CFUN=1,1 or an external reset)");
                return;
            }

            _silent = false;
        }
        else if (_ignoreLeft > 0)
        {
            _ignoreLeft--;
            _log.Info("   (ignored: --ignore)");
            return;
        }

        _lastLine = line;
        AtReply reply = _at.Execute(line);
        _counters = _counters with { Commands = _counters.Commands + 1, CgdcontWrites = _at.CgdcontWrites };
        switch (reply.Action)
        {
            case AtAction.Dial:
                Send(_at.Format(reply));
                Dial(reply.DialString ?? "");
                break;
            case AtAction.Online:
                Send(_at.Format(reply));
                if (_call is not null && _mode == LineMode.OnlineCommand)
                    GoOnline(_call);
                else
                    Send(_at.FormatResult(ResultCode.NoCarrier));
                break;
            case AtAction.Hangup:
                EndCall("ATH", noCarrier: false);
                Send(_at.Format(reply));
                break;
            case AtAction.Reset:
                Send(_at.Format(reply));
                Reset("AT+CFUN reset");
                break;
            default:
                Send(_at.Format(reply));
                break;
        }
    }

    private void Dial(string dialString)
    {
        _counters = _counters with { Dials = _counters.Dials + 1 };
        string number = new([.. dialString.Where(c => c is not (' ' or '-' or '(' or ')'))]);
        if (number.Length > 0 && char.ToUpperInvariant(number[0]) is 'T' or 'P')
            number = number[1..];
        if (_call is not null)
        {
            Send(_at.FormatResult(ResultCode.Error));
            return;
        }

        if (number.EndsWith(';'))
        {
            // A voice call: V.250 answers OK and stays in command mode.
            Send(_at.FormatResult(ResultCode.Ok));
            return;
        }

        ResultCode result = ResultCode.Connect;
        if (_dialFailuresLeft is int left)
        {
            if (left > 0)
            {
                result = _dialResult;
                _dialFailuresLeft = left - 1;
            }
        }
        else
        {
            result = _dialResult;
        }

        if (number.Length == 0)
            result = ResultCode.Error;
        else if (number.StartsWith("*99", StringComparison.Ordinal) && _at.Functionality != 1)
        {
            _log.Info($"   packet call with AT+CFUN={_at.Functionality}: no radio");
            result = ResultCode.NoCarrier;
        }

        _log.Info($"   dialling '{number}': {ResultCodes.Text(result)}");
        if (!Ringing())
        {
            Send(_at.FormatResult(ResultCode.NoCarrier));
            return;
        }

        if (result != ResultCode.Connect)
        {
            Send(_at.FormatResult(result));
            return;
        }

        IPeer? peer;
        try
        {
            peer = OpenPeer();
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            _log.Info($"   peer did not answer: {ex.Message}");
            Send(_at.FormatResult(ResultCode.NoCarrier));
            return;
        }

        var call = new Call(_nextCallId++, peer);
        _call = call;
        _counters = _counters with { Connects = _counters.Connects + 1 };
        _connectsSinceReset++;
        _log.Info($"   call {call.Id} up with {peer?.Name ?? "no peer (data discarded)"}");
        if (_options.DropAfter is TimeSpan after)
            _dropAt = Environment.TickCount64 + (long)after.TotalMilliseconds;
        GoOnline(call);
        if (peer is not null)
        {
            call.Pump = new Thread(() => Pump(call)) { IsBackground = true, Name = $"peer {call.Id}" };
            call.Pump.Start();
        }
    }

    private void GoOnline(Call call)
    {
        Send(_at.FormatResult(ResultCode.Connect, _options.Speed));
        _mode = LineMode.Online;
        _escape = new EscapeDetector(Environment.TickCount64);
        _onlineCall = call.Id;
    }

    /// <summary>Waits out the answer delay; any octet from the DTE aborts the dial, as on a Hayes modem.</summary>
    private bool Ringing()
    {
        long deadline = Environment.TickCount64 + (long)_options.AnswerDelay.TotalMilliseconds;
        Span<byte> one = stackalloc byte[64];
        while (Environment.TickCount64 < deadline && !_stopping)
        {
            try
            {
                int n = _port.Read(one, TimeSpan.FromMilliseconds(Math.Max(1, deadline - Environment.TickCount64)));
                if (n > 0)
                {
                    _log.Line("<- (dial aborted by)", one[..n]);
                    return false;
                }
            }
            catch (EndOfStreamException)
            {
                OnLineClosed();
                return false;
            }
        }

        return !_stopping;
    }

    private IPeer? OpenPeer() => _options.Peer switch
    {
        PeerKind.Exec => ExecPeer.Start(_options.PeerTarget!),
        PeerKind.Tcp => SocketPeer.ConnectTcp(_options.PeerTarget!),
        PeerKind.Unix => SocketPeer.ConnectUnix(_options.PeerTarget!),
        _ => null,
    };

    /// <summary>The peer-to-line direction of a call, on its own thread.</summary>
    private void Pump(Call call)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = call.Peer!.Read(buffer);
                if (n <= 0)
                    break;
                // Held calls (after "+++") and ended ones drop what the peer sends.
                if (_onlineCall == call.Id)
                {
                    WriteLine(buffer.AsSpan(0, n), TimeSpan.Zero, log: false);
                    Interlocked.Add(ref call.FromPeer, n);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The peer was disposed under the read, or its pipe broke: either way it has ended.
        }

        Post(() =>
        {
            if (_call == call)
                EndCall("the peer ended", noCarrier: true);
        });
    }

    private void EndCall(string reason, bool noCarrier)
    {
        Call? call = _call;
        if (call is null)
            return;
        _call = null;
        _onlineCall = 0;
        _mode = LineMode.Command;
        _dropAt = null;
        call.Peer?.Dispose();
        call.Pump?.Join(TimeSpan.FromSeconds(2));
        _counters = _counters with { Hangups = _counters.Hangups + 1 };
        _log.Info($"call {call.Id} ended ({reason}): {call.ToPeer} octets to the peer, {Interlocked.Read(ref call.FromPeer)} from it");
        if (noCarrier)
            Send(_at.FormatResult(ResultCode.NoCarrier));
        if (_options.SilentAfter is int n && _connectsSinceReset >= n && !_silent)
        {
            _silent = true;
            _log.Info($"   wedged after {_connectsSinceReset} connects (--silent-after): silent until a reset");
        }
    }

    private void Reset(string reason)
    {
        EndCall(reason, noCarrier: false);
        _at.PowerCycle();
        _silent = false;
        _line.Clear();
        _connectsSinceReset = 0;
        _counters = _counters with { Resets = _counters.Resets + 1 };
        _log.Info($"module reset ({reason})");
        if (_options.Reenumerate is TimeSpan gone)
            Reenumerate(gone);
    }

    /// <summary>
    /// --reenumerate: the module leaves the bus (its pty closes, its link goes) and comes back
    /// <paramref name="gone"/> later as a new pty under the next name, as USB modems do.
    /// </summary>
    private void Reenumerate(TimeSpan gone)
    {
        // Time for a reader to take the reset's OK before the line goes away.
        Thread.Sleep(200);
        PtyPair old = _pty;
        if (_options.Link is string link && File.Exists(LinkPath(link)) && new FileInfo(LinkPath(link)).LinkTarget == old.SlavePath)
            File.Delete(LinkPath(link));
        _port.Dispose();
        old.Dispose();
        _log.Info($"off the bus: {old.SlavePath} closed");
        Thread.Sleep(gone);
        _enumerations++;
        PtyPair fresh = PtyPair.Open();
        _port = fresh.OpenMasterPort();
        _pty = fresh;
        PublishLink();
        _lineClosed = false;
        _dtrLow = false;
        _line.Clear();
        _log.Info($"back on the bus as {fresh.SlavePath}{(_options.Link is string l ? $" (link {LinkPath(l)})" : "")}");
    }

    /// <summary>The link's name: as given, then with the enumeration count appended after each re-enumeration.</summary>
    private string LinkPath(string link) =>
        _enumerations == 0 ? link : string.Create(CultureInfo.InvariantCulture, $"{link}{_enumerations}");

    /// <summary>Drops the carrier of the call, if any: NO CARRIER, then a new pty (see the remarks on the type).</summary>
    private bool CarrierDrop(string reason)
    {
        if (_call is null)
            return false;
        _counters = _counters with { CarrierDrops = _counters.CarrierDrops + 1 };
        EndCall(reason, noCarrier: true);
        // Time for a reader to take NO CARRIER before the line goes away.
        Thread.Sleep(200);
        PtyPair old = _pty;
        TtyPort oldPort = _port;
        PtyPair fresh = PtyPair.Open();
        _port = fresh.OpenMasterPort();
        _pty = fresh;
        PublishLink();
        oldPort.Dispose();
        old.Dispose();
        _lineClosed = false;
        _dtrLow = false;
        _line.Clear();
        _log.Info($"carrier dropped: {old.SlavePath} closed; the line is now {fresh.SlavePath}");
        return true;
    }

    private void OnTick()
    {
        while (_posted.TryDequeue(out Action? action))
            action();
        long now = Environment.TickCount64;
        if (now >= _nextDtrCheck)
        {
            _nextDtrCheck = now + (long)s_tick.TotalMilliseconds;
            CheckDtr();
        }

        if (_dropAt is long at && now >= at)
            CarrierDrop($"carrier dropped after {_options.DropAfter!.Value.TotalSeconds} s (--drop-after)");
        if (_mode == LineMode.Online && _escape.Escaped(now, (long)_at.GuardTime.TotalMilliseconds))
        {
            _mode = LineMode.OnlineCommand;
            _onlineCall = 0;
            _log.Info("escape (+++): call held, command mode");
            Send(_at.FormatResult(ResultCode.Ok));
        }

        if (!ReferenceEquals(_written, _counters))
            WriteStatusFile();
    }

    private void CheckDtr()
    {
        if (_lineClosed || Termios.Get(_pty.Master, out Termios.Kernel termios) != 0)
            return;
        uint code = termios.CFlag & Termios.CBAUD;
        if (code != 0)
        {
            _speedCode = code;
            if (_dtrLow)
            {
                _dtrLow = false;
                _log.Info("DTR raised (speed set)");
            }

            return;
        }

        if (_dtrLow)
            return;
        _dtrLow = true;
        _log.Info($"DTR dropped (speed B0), AT&D{_at.DtrMode}");
        DtrDrop();
    }

    private void DtrDrop()
    {
        _line.Clear();
        switch (_at.DtrMode)
        {
            case 0:
                return;
            case 1:
                if (_mode == LineMode.Online)
                {
                    _mode = LineMode.OnlineCommand;
                    _onlineCall = 0;
                }

                return;
        }

        _counters = _counters with { DtrDrops = _counters.DtrDrops + 1 };
        EndCall("DTR drop", noCarrier: false);
        if (_at.DtrMode == 3)
            _at.ResetProfile();
    }

    private void OnLineClosed()
    {
        _lineClosed = true;
        _log.Info("line closed (no slave descriptor open): hang-up as on a DTR drop");
        _line.Clear();
        _echo.Clear();
        if (_call is not null)
        {
            _counters = _counters with { DtrDrops = _counters.DtrDrops + 1 };
            EndCall("line closed", noCarrier: false);
        }

        if (_at.DtrMode == 3)
            _at.ResetProfile();
        if (_dtrLow && Termios.Get(_pty.Master, out Termios.Kernel termios) == 0)
        {
            // Opening a serial line raises DTR, so the next user must not find it still at B0.
            termios.CFlag = (termios.CFlag & ~Termios.CBAUD) | _speedCode;
            _ = Termios.Set(_pty.Master, termios);
            _dtrLow = false;
        }
    }

    private unsafe bool MasterHungUp()
    {
        bool added = false;
        Microsoft.Win32.SafeHandles.SafeFileHandle master = _pty.Master;
        try
        {
            master.DangerousAddRef(ref added);
            var fd = new Libc.PollFd { Fd = (int)master.DangerousGetHandle(), Events = Libc.POLLIN };
            int rc = Libc.Poll(&fd, 1, 0);
            return rc < 0 ? Marshal.GetLastPInvokeError() != Libc.EINTR : (fd.Revents & Libc.POLLHUP) != 0;
        }
        finally
        {
            if (added)
                master.DangerousRelease();
        }
    }

    private void FlushEcho()
    {
        if (_echo.Count == 0)
            return;
        byte[] echo = [.. _echo];
        _echo.Clear();
        WriteLine(echo, TimeSpan.Zero, log: false);
    }

    private void Send(string text)
    {
        if (text.Length == 0)
            return;
        WriteLine(Encoding.ASCII.GetBytes(text), _options.ByteDelay, log: true);
    }

    private void WriteLine(ReadOnlySpan<byte> data, TimeSpan byteDelay, bool log)
    {
        if (log)
            _log.Line("->", data);
        try
        {
            lock (_writeLock)
            {
                if (byteDelay <= TimeSpan.Zero)
                {
                    _port.Write(data, s_writeLimit);
                    return;
                }

                for (int i = 0; i < data.Length; i++)
                {
                    _port.Write(data.Slice(i, 1), s_writeLimit);
                    Thread.Sleep(byteDelay);
                }
            }
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            _log.Info($"   line write dropped: {ex.Message}");
        }
    }

    private void PublishLink()
    {
        if (_options.Link is not string configured)
            return;
        string link = LinkPath(configured);
        string temporary = $"{link}.{Environment.ProcessId}.tmp";
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, _pty.SlavePath);
        // rename(2): whoever opens the link sees the old pty or the new one, never nothing.
        File.Move(temporary, link, overwrite: true);
    }

    private void WriteStatusFile()
    {
        ModemCounters counters = _counters;
        _written = counters;
        if (_options.StatusFile is not string path)
            return;
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, Status().Replace(' ', '\n') + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose()
    {
        _port.Dispose();
        _pty.Dispose();
        if (_options.Link is string link && new FileInfo(LinkPath(link)).LinkTarget == _pty.SlavePath)
            File.Delete(LinkPath(link));
    }

    [GeneratedRegex(@"^AT\s*\+\s*CFUN\s*=\s*\d\s*,\s*1\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CfunReset();

    private sealed class Call(int id, IPeer? peer)
    {
        public int Id { get; } = id;
        public IPeer? Peer { get; } = peer;
        public Thread? Pump { get; set; }
        public long ToPeer { get; set; }

        public long FromPeer;
    }
}
