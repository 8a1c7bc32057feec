using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Control;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Time;
using Ppp.Core.Wire;
using Ppp.Daemon.Control;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Runtime;
using Ppp.Daemon.Supervision;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The running daemon: one bundle of one link, as ppp(8) has it. The <see cref="Iface"/> owns
/// the tun and what we configured on it; the <see cref="Datalink"/> owns the line, its chat
/// scripts and the session's <see cref="PppLink"/>; the bundle owns the NCPs' effects (addresses,
/// DNS, linkup/linkdown), the idle timer and the mode's policy (when to dial again, when to
/// exit). Everything here runs on one <see cref="LinkLoop"/> and one <see cref="TimeProvider"/>,
/// both given by the host; only the data path and device I/O run elsewhere. Commands reach it
/// through <see cref="IBundleRuntime"/>.
/// </summary>
internal sealed partial class Bundle : IBundleRuntime, IAsyncDisposable
{
    private static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan QuitHangUpGrace = TimeSpan.FromSeconds(3);

    /// <summary>A peer that made us drop frames or refuse replies this recently gets no Terminate-Request on quit.</summary>
    private static readonly TimeSpan FloodWindow = TimeSpan.FromSeconds(1);

    private readonly DaemonOptions _options;
    private readonly BundleSettings _settings;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly ILogger _phase;
    private readonly ILogger _command;
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Iface _iface;
    private readonly Datalink _datalink;
    private readonly List<ITimer> _oneShots = [];
    private readonly LinkSupervisor _supervisor;
    private readonly List<Task<ProgramResult>> _programs = [];
    private const int MaxPendingPrograms = 16;
    private bool _closedByUs;
    private ITimer? _idleTimer;
    private bool _quitting;
    private bool _announcedUp;
    private string? _lastEnded;

    public Bundle(DaemonOptions options, BundleSettings settings, ILoggerFactory loggers, LinkLoop loop, TimeProvider time)
    {
        _options = options;
        _settings = settings;
        _loggers = loggers;
        _time = time;
        _phase = loggers.CreateLogger("Phase");
        _command = loggers.CreateLogger("Command");
        Loop = loop;
        _iface = new Iface(settings, loggers);
        _datalink = new Datalink(options, settings, loggers, loop, time)
        {
            CreateSession = CreateSession,
            SessionStarted = OnSessionStarted,
            AttemptFailed = OnAttemptFailed,
            SessionEnded = OnSessionEnded,
        };
        _supervisor = CreateSupervisor();
    }

    public LinkLoop Loop { get; }

    /// <summary>Set by the host once the interpreter over this bundle exists (linkup/linkdown, load).</summary>
    public CommandInterpreter? Commands { get; set; }

    /// <summary>The diagnostic socket (<c>set server</c>); set by the host before ppp.conf is loaded.</summary>
    public ControlServer? Control { get; set; }

    /// <summary>The HTTP metrics endpoint (<c>set metrics</c>); set by the host before ppp.conf is loaded.</summary>
    public MetricsServer? MetricsServer { get; set; }

    /// <summary>The labels loaded, for LABEL and ppp.linkup's section choice.</summary>
    public string Label { get; set; } = "default";

    /// <summary>ppp.linkup / ppp.linkdown, already parsed (null when absent).</summary>
    public ConfigFile? LinkUpScript { get; set; }

    public ConfigFile? LinkDownScript { get; set; }

    /// <summary>ppp.secret: the keys of the peers we authenticate and their addresses (set by
    /// the host once loaded, before the first link starts).</summary>
    public SecretsFile Secrets { get; set; } = SecretsFile.Empty;

    /// <summary>Completes with the exit status once the daemon should end.</summary>
    public Task<int> Exited => _exit.Task;

    /// <summary>
    /// Raised (on the loop) once when the first network protocol comes up, and when the first
    /// connection fails before that: -background's parent waits for one of them.
    /// </summary>
    public event Action<bool, string?>? FirstOutcome;

    private LinkSession? Session => _datalink.Session;

    public LinkPhase Phase => Session?.Link.Phase ?? LinkPhase.Dead;

    public string? InterfaceName => _iface.Name;

    public DatalinkState DatalinkState => _datalink.State;

    /// <summary>Opens the tun and the kernel-side helpers; call once, before any command runs.</summary>
    public void OpenInterface() => _iface.Open(_options.Unit);

    /// <summary>Runs <paramref name="action"/> on the loop after <paramref name="delay"/> on the bundle's clock.</summary>
    private ITimer After(TimeSpan delay, Action action)
    {
        ITimer? timer = null;
        timer = _time.CreateTimer(_ => Loop.Post(() =>
        {
            if (timer is not null && _oneShots.Remove(timer))
                timer.Dispose();
            action();
        }), null, delay, Timeout.InfiniteTimeSpan);
        _oneShots.Add(timer);
        return timer;
    }

    /// <summary>ppp(8): the idle timer does not apply to a line that is meant to stay up.</summary>
    private bool IdleApplies => _options.Mode is not (DaemonMode.Dedicated or DaemonMode.DDial);

    private Ppp.Core.Protocols.Lcp.LcpConfig LcpConfig() => _settings.ToLcpConfig();

    // ----- sessions -----------------------------------------------------------------------------

    /// <summary>The PPP link of a new session: LCP and authentication from the settings, the bundle's NCPs.</summary>
    private LinkSession CreateSession(IDeviceConnection device, DeviceReader? reader)
    {
        var ipcp = _settings.IpcpEnabled
            ? new IpcpHandler(_settings.ToIpcpConfig(), _loggers.CreateLogger("IPCP"))
            : null;
        var ipv6cp = _settings.Ipv6cpEnabled
            ? new Ipv6cpHandler(BundleSettings.ToIpv6cpConfig(), SystemRandomSource.Instance, _loggers.CreateLogger("IPV6CP"))
            : null;
        var ncps = new List<NetworkProtocolSpec>();
        if (ipcp is not null)
            ncps.Add(new NetworkProtocolSpec(ipcp, (ushort)PppProtocol.Ip, _settings.IpcpFsm));
        if (ipv6cp is not null)
            ncps.Add(new NetworkProtocolSpec(ipv6cp, (ushort)PppProtocol.Ipv6, _settings.Ipv6cpFsm));
        var options = new PppLinkOptions
        {
            Name = "deflink",
            Lcp = LcpConfig(),
            LcpFsm = _settings.LcpFsm,
            Auth = _settings.ToAuthOptions(Environment.MachineName),
            NetworkProtocols = ncps,
            ExtraEscapes = _settings.ExtraEscapes,
            Synchronous = _settings.Synchronous,
        };
        var driver = new LinkDriver(device, reader, options, Loop, _time, _iface.PacketSink, _loggers, SystemRandomSource.Instance, Secrets);
        return new LinkSession(driver, ipcp, ipv6cp, _time.GetUtcNow());
    }

    private void OnSessionStarted(LinkSession session)
    {
        session.Link.PhaseChanged += phase => OnPhaseChanged(session, phase);
        if (session.Ipcp is { } ipcp)
        {
            ipcp.Up += result => OnIpcpUp(session, result);
            ipcp.Down += () => OnIpcpDown(session);
        }
        if (session.Ipv6cp is { } ipv6cp)
        {
            ipv6cp.InterfaceCheck = () => Ipv6InterfaceProblem(session);
            ipv6cp.Up += result => OnIpv6cpUp(session, result);
            ipv6cp.Down += () => OnIpv6cpDown(session);
        }
        _iface.Attach(session.Link);
    }

    private void OnSessionEnded(LinkSession session, string? reason)
    {
        if (session.NetworkUpSince is not null)
        {
            var counters = session.Link.Counters;
            BundleLog.Totals(_phase, counters.PacketsSent, counters.OctetsSent, counters.PacketsReceived, counters.OctetsReceived,
                GC.GetTotalAllocatedBytes(precise: true) - session.AllocatedAtUp);
        }
        _iface.Attach(null);
        StopIdleTimer();
        LinkEnded(session, reason);
    }

    // ----- phase and network-layer events ------------------------------------------------------

    private void OnPhaseChanged(LinkSession session, LinkPhase phase)
    {
        if (!ReferenceEquals(Session, session))
            return;
        if (phase == LinkPhase.Network)
        {
            ApplySecret(session);
            StartIdleTimer(session);
        }
        else if (phase is LinkPhase.Terminate or LinkPhase.Dead)
            StopIdleTimer();
    }

    /// <summary>
    /// A peer we authenticated gets the address its ppp.secret line names (ppp(8)'s third
    /// column; "*" or none leaves <c>set ifaddr</c> in charge) and the label of its fourth, which
    /// chooses its ppp.linkup/ppp.linkdown section. The NCPs start right after this.
    /// </summary>
    private void ApplySecret(LinkSession session)
    {
        if (session.Link.PeerName is not { } peer || !Secrets.TryGetEntry(peer, out var entry))
            return;
        if (entry.Label is { } label)
        {
            session.SecretLabel = label;
            BundleLog.SecretLabel(_phase, peer, label);
        }
        if (session.Ipcp is null || entry.HisAddress is null or "*")
            return;
        var (ifaddr, error) = IfAddr.Parse(["0.0.0.0/0", entry.HisAddress]);
        if (ifaddr is null || ifaddr.HasPool)
        {
            BundleLog.BadSecretAddress(_phase, entry.File, entry.Line, error ?? "a pool is not allowed here");
            return;
        }
        session.Ipcp.AssignPeerAddress(ifaddr.HisAddress);
        BundleLog.SecretAddress(_phase, peer, entry.HisAddress);
    }

    /// <summary>The label of the link in hand: ppp.secret's for its peer, else the loaded one.</summary>
    private string LinkLabel => Session?.SecretLabel ?? Label;

    /// <summary>
    /// ppp(8) <c>set timeout</c>: close the link once no IP packet has crossed it for the idle
    /// time (0 = never). Checked once a second against the link's packet counters, so the data
    /// path does no timer work per packet.
    /// </summary>
    private void StartIdleTimer(LinkSession session)
    {
        StopIdleTimer();
        var idle = _settings.IdleTimeout;
        if (idle <= TimeSpan.Zero || !IdleApplies)
            return;
        long lastCount = -1;
        var lastActivity = _time.GetUtcNow();
        var minimumUntil = lastActivity + _settings.IdleMinimum;
        _idleTimer = _time.CreateTimer(_ => Loop.Post(() =>
        {
            if (!ReferenceEquals(Session, session) || _idleTimer is null)
                return;
            long count = session.Link.Counters.PacketsSent + session.Link.Counters.PacketsReceived;
            var now = _time.GetUtcNow();
            if (count != lastCount)
            {
                lastCount = count;
                lastActivity = now;
                return;
            }
            if (now - lastActivity >= idle && now >= minimumUntil)
            {
                BundleLog.IdleTimeout(_phase, idle.TotalSeconds);
                StopIdleTimer();
                _closedByUs = true;
                session.Link.Close(IdleReason);
            }
        }), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private const string IdleReason = "idle timeout";

    private void StopIdleTimer()
    {
        _idleTimer?.Dispose();
        _idleTimer = null;
    }

    private void OnIpcpUp(LinkSession session, IpcpResult result)
    {
        if (!ReferenceEquals(Session, session) || !_iface.IsOpen || result.LocalAddress is null || result.RemoteAddress is null)
            return;
        if (_iface.Ipv4Up(result.LocalAddress, result.RemoteAddress, result.PrimaryDns, result.SecondaryDns, InterfaceMtu(session)) is { } error)
        {
            FailNcp(session, session.Ipcp, error);
            return;
        }
        NetworkUp(session);
        RunLinkScript(LinkUpScript, result.LocalAddress, session);
    }

    private void OnIpcpDown(LinkSession session)
    {
        if (!_iface.IsOpen)
            return;
        RunLinkScript(LinkDownScript, session.Ipcp?.Result?.LocalAddress, session);
        _iface.Ipv4Down();
    }

    private void OnIpv6cpUp(LinkSession session, Ipv6cpResult result)
    {
        if (!ReferenceEquals(Session, session) || !_iface.IsOpen || result.RemoteLinkLocal is null)
            return;
        if (_iface.Ipv6Up(result.LocalLinkLocal, result.RemoteLinkLocal, InterfaceMtu(session)) is { } error)
        {
            FailNcp(session, session.Ipv6cp, error);
            return;
        }
        NetworkUp(session);
    }

    /// <summary>
    /// The interface could not take what the NCP agreed: close that NCP, as pppd does
    /// ("Interface configuration failed"), rather than leave it up carrying nothing. Posted:
    /// this runs inside the NCP's own layer-up.
    /// </summary>
    private void FailNcp(LinkSession session, IControlProtocolHandler? handler, string error)
    {
        var fsm = session.Link.NetworkControlProtocols.FirstOrDefault(f => ReferenceEquals(f.Handler, handler));
        Loop.Post(() =>
        {
            if (ReferenceEquals(Session, session) && fsm?.State == FsmState.Opened)
                fsm.Fail($"interface configuration failed: {error}");
        });
    }

    private void OnIpv6cpDown(LinkSession session)
    {
        _ = session;
        _iface.Ipv6Down();
    }

    /// <summary>
    /// Linux takes IPv6 off an interface whose MTU is below 1280 (RFC 8200 §5's minimum), so
    /// IPV6CP must not come up there: pppd closes it too ("Interface configuration failed").
    /// </summary>
    private string? Ipv6InterfaceProblem(LinkSession session)
    {
        int mtu = InterfaceMtu(session);
        return mtu < Ipv6MinimumMtu ? $"the interface MTU {mtu} is below IPv6's minimum of {Ipv6MinimumMtu}" : null;
    }

    private const int Ipv6MinimumMtu = 1280;

    /// <summary>The tun's MTU: what the peer will take (its MRU), lowered by <c>set mtu</c>.</summary>
    private int InterfaceMtu(LinkSession session) =>
        _settings.InterfaceMtu(session.Link.LcpHandler.Result?.PeerMru ?? 1500);

    private void NetworkUp(LinkSession session)
    {
        if (session.NetworkUpSince is null)
        {
            session.NetworkUpSince = _time.GetUtcNow();
            session.AllocatedAtUp = GC.GetTotalAllocatedBytes(precise: true);
            PolicyNetworkUp();
        }
        if (!_announcedUp)
        {
            _announcedUp = true;
            FirstOutcome?.Invoke(true, null);
        }
    }

    private void RunLinkScript(ConfigFile? script, IPAddress? myAddress, LinkSession session)
    {
        if (script is null || Commands is null)
            return;
        var selection = LinkScript.Select(script, myAddress?.ToString(), session.SecretLabel ?? Label);
        if (selection is null)
            return;
        RunScriptLines(selection.Lines, 0);
    }

    /// <summary>
    /// ppp.linkup/linkdown lines in order, on the loop; a foreground program holds the lines
    /// after it until it ends (off the loop), as ppp(8) waits for it.
    /// </summary>
    private void RunScriptLines(IReadOnlyList<ConfigLine> lines, int from)
    {
        for (int i = from; i < lines.Count; i++)
        {
            var line = lines[i];
            var result = Commands!.Execute(line.Text, CommandOrigin.File(line.File, line.Line), TextWriter.Null);
            if (!result.Success)
                BundleLog.ScriptCommandFailed(_command, result.Error ?? "failed");
            var programs = TakePrograms();
            if (programs.Count == 0)
                continue;
            int next = i + 1;
            _ = Task.WhenAll(programs).ContinueWith(done => Loop.Post(() =>
            {
                foreach (var program in programs)
                {
                    if (program.Result.Outcome.Error is { } error)
                        BundleLog.ScriptCommandFailed(_command, $"{line.File}:{line.Line}: {error}");
                }
                RunScriptLines(lines, next);
            }), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }
    }

    // ----- IBundleRuntime -------------------------------------------------------------------------

    public CommandOutcome Dial()
    {
        if (_inTerminal)
            return CommandOutcome.Fail("the device is in terminal mode (term): leave it with ~. first");
        if (_quitting)
            return CommandOutcome.Fail("ppp is exiting");
        if (Session is not null)
            return CommandOutcome.Fail("the link is already open; \"close\" it first");
        if (_datalink.Dialling)
            return CommandOutcome.Fail("already dialling");
        _closedByUs = false;
        return PolicyDialCommand();
    }

    public CommandOutcome Open(string? layer)
    {
        if (layer is null || layer.Equals("lcp", StringComparison.OrdinalIgnoreCase))
        {
            if (Session is null)
                return _datalink.Dialling ? CommandOutcome.Ok : Dial();
            Session.Link.Open();
            return CommandOutcome.Ok;
        }
        var fsm = FindNcp(layer, out var error);
        if (fsm is null)
            return CommandOutcome.Fail(error!);
        fsm.Open();
        return CommandOutcome.Ok;
    }

    public CommandOutcome Close(string? layer)
    {
        if (layer is null || layer.Equals("lcp", StringComparison.OrdinalIgnoreCase))
        {
            _closedByUs = true;
            PolicyClose();
            if (_datalink.Dialling)
            {
                _datalink.CancelDial();
                return CommandOutcome.Ok;
            }
            Session?.Link.Close("closed by command");
            return CommandOutcome.Ok;
        }
        var fsm = FindNcp(layer, out var error);
        if (fsm is null)
            return CommandOutcome.Fail(error!);
        fsm.Close("closed by command");
        return CommandOutcome.Ok;
    }

    public CommandOutcome Down(string? layer)
    {
        if (layer is null || layer.Equals("lcp", StringComparison.OrdinalIgnoreCase))
        {
            _closedByUs = true;
            PolicyClose();
            _datalink.CancelDial();
            if (Session is { } session)
                _datalink.HangUp(session);
            return CommandOutcome.Ok;
        }
        var fsm = FindNcp(layer, out var error);
        if (fsm is null)
            return CommandOutcome.Fail(error!);
        fsm.Down();
        return CommandOutcome.Ok;
    }

    private ControlProtocolFsm? FindNcp(string layer, out string? error)
    {
        error = null;
        if (Session is null)
        {
            error = "the link is not open";
            return null;
        }
        foreach (var fsm in Session.Link.NetworkControlProtocols)
        {
            if (fsm.Handler.Name.Equals(layer, StringComparison.OrdinalIgnoreCase))
                return fsm;
        }
        error = $"{layer}: not a layer of this link (lcp, ipcp, ipv6cp)";
        return null;
    }

    public CommandOutcome Quit(bool all)
    {
        // From the prompt and from files "quit" ends ppp; a diagnostic-socket session's plain
        // "quit" ends only that session and never gets here (LinkCommands.Quit).
        _ = all;
        if (_quitting)
            return CommandOutcome.Ok;
        _quitting = true;
        _closedByUs = true;
        BundleLog.Quitting(_phase);
        PolicyQuit();
        _datalink.CancelDial();
        if (Session is not { } session)
        {
            Finish(0);
            return CommandOutcome.Ok;
        }
        if (session.Driver.OutputStalled || session.Link.PeerFlooding(FloodWindow))
        {
            // The line has taken nothing for a while (a peer that does not read): a
            // Terminate-Request would only queue behind the stuck write. Or the peer floods
            // us: its Terminate-Ack would be dropped with the rest of its frames. Hang up now.
            BundleLog.QuitOnStalledLine(_phase, session.Device.Name);
            session.Link.Close("quit");
            _datalink.HangUp(session);
            After(QuitHangUpGrace, () => Finish(0));
            return CommandOutcome.Ok;
        }
        session.Link.Close("quit");
        // A peer that never acks our Terminate-Request must not keep us: LCP gives up after
        // Max-Terminate, and this is the backstop.
        After(QuitGrace, () =>
        {
            if (ReferenceEquals(Session, session))
                _datalink.HangUp(session);
            After(QuitHangUpGrace, () => Finish(0));
        });
        return CommandOutcome.Ok;
    }

    /// <summary>SIGINT/SIGHUP/SIGTERM/SIGQUIT: close gracefully and exit; a second one exits now.</summary>
    public void Signal(string name)
    {
        BundleLog.SignalReceived(_phase, name);
        if (_quitting)
        {
            if (Session is { } session)
                _datalink.HangUp(session);
            Finish(1);
            return;
        }
        Quit(all: true);
    }

    private void Finish(int status)
    {
        _exit.TrySetResult(status);
    }

    public CommandOutcome AddRoute(RouteSpec route, bool replace) => _iface.AddRoute(route, replace);

    public CommandOutcome DeleteRoute(RouteSpec? route, bool quiet) => _iface.DeleteRoute(route, quiet);

    public CommandOutcome IfaceAdd(InterfaceAddress address, bool replace) => _iface.IfaceAdd(address, replace);

    public CommandOutcome IfaceDelete(IPAddress address, bool quiet) => _iface.IfaceDelete(address, quiet);

    public CommandOutcome IfaceClear(AddressFamily? family) => _iface.IfaceClear(family);

    public CommandOutcome IfaceName(string name) => _iface.IfaceName(name);

    public CommandOutcome IfaceDescription(string text) => _iface.IfaceDescription(text);

    public void SettingsChanged()
    {
        ApplyLogLevels();
        SettingsApplied?.Invoke();
        _supervisor.ArmDaily();
        if (Session is { } session)
            _iface.Configure(InterfaceMtu(session));
    }

    /// <summary>Log levels the bundle acts on itself: tcp/ip turns the data path's packet lines on or off.</summary>
    public void ApplyLogLevels() =>
        _iface.LogPackets(_settings.LogLevels.Contains(LogLevels.TcpIp) || _settings.LocalLogLevels.Contains(LogLevels.TcpIp));

    /// <summary>Raised after a command changed settings (the host re-applies log levels).</summary>
    public event Action? SettingsApplied;

    public IReadOnlyDictionary<string, string> SubstitutionWords
    {
        get
        {
            var words = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["LABEL"] = LinkLabel,
                ["PROCESSID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                ["USER"] = Environment.UserName,
                ["VERSION"] = VersionText,
                ["COMPILATIONDATE"] = VersionText,
                ["UPTIME"] = FormatUptime(Session?.NetworkUpSince is { } since ? _time.GetUtcNow() - since : TimeSpan.Zero),
            };
            if (_iface.Name is { } name)
                words["INTERFACE"] = name;
            if (!string.IsNullOrEmpty(_settings.AuthName))
                words["AUTHNAME"] = _settings.AuthName!;
            if (Session?.Link.PeerName is { } peer)
                words["PEERNAME"] = peer;
            var ip = Session?.Ipcp?.Result;
            if (ip?.LocalAddress is { } my)
                words["MYADDR"] = my.ToString();
            if (ip?.RemoteAddress is { } his)
                words["HISADDR"] = his.ToString();
            var ip6 = Session?.Ipv6cp?.Result;
            if (ip6 is not null)
                words["MYADDR6"] = ip6.LocalLinkLocal.ToString();
            if (ip6?.RemoteLinkLocal is { } his6)
                words["HISADDR6"] = his6.ToString();
            if (ip?.PrimaryDns is { } dns0)
                words["DNS0"] = dns0.ToString();
            if (ip?.SecondaryDns is { } dns1)
                words["DNS1"] = dns1.ToString();
            return words;
        }
    }

    public static string VersionText =>
        typeof(Bundle).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static string FormatUptime(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}");

    /// <summary><c>resolv reload|restore|rewrite</c>: the resolver actions ppp(8) has.</summary>
    public CommandOutcome Resolv(ResolvAction action) => _iface.Resolv(action);

    /// <summary>
    /// <c>!</c>/<c>shell</c>/<c>bg</c>: the program starts now; a foreground one is not waited
    /// for here (the loop never waits): whoever ran the command takes it with
    /// <see cref="TakePrograms"/> and awaits it off the loop.
    /// </summary>
    public CommandOutcome RunProgram(IReadOnlyList<string> argv, bool background, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_programs.Count >= MaxPendingPrograms)
            return CommandOutcome.Fail($"{(argv.Count > 0 ? argv[0] : "shell")}: {MaxPendingPrograms} programs are already running in the foreground");
        var task = ProgramRunner.Start(argv, background, SubstitutionWords, _command);
        if (!task.IsCompleted)
        {
            _programs.Add(task);
            return CommandOutcome.Ok;
        }
        var result = task.Result;
        output.Write(result.Output);
        return result.Outcome;
    }

    /// <summary>The foreground programs that commands started since the last call (on the loop).</summary>
    public IReadOnlyList<Task<ProgramResult>> TakePrograms()
    {
        if (_programs.Count == 0)
            return [];
        Task<ProgramResult>[] taken = [.. _programs];
        _programs.Clear();
        return taken;
    }

    /// <summary>Off the loop: waits for <paramref name="programs"/> and writes what each printed and, on failure, why.</summary>
    public static async Task WriteProgramsAsync(IReadOnlyList<Task<ProgramResult>> programs, TextWriter output, string errorPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(programs);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var program in programs)
        {
            var result = await program.ConfigureAwait(false);
            await output.WriteAsync(result.Output).ConfigureAwait(false);
            if (result.Outcome.Error is { } error)
                await output.WriteLineAsync(errorPrefix + error).ConfigureAwait(false);
        }
    }

    public CommandOutcome Server(ServerCommand command) =>
        Control?.Apply(command) ?? CommandOutcome.Fail("the diagnostic socket is not available in this mode");

    public CommandOutcome Metrics(MetricsCommand command) =>
        MetricsServer?.Apply(command) ?? CommandOutcome.Fail("the metrics endpoint is not available in this mode");

    public BundleStatus CaptureStatus()
    {
        var session = Session;
        var link = session?.Link;
        var hdlc = link?.HdlcCounters;
        var supervisor = _supervisor.Status;
        return new BundleStatus
        {
            Label = LinkLabel,
            Mode = DaemonOptions.ModeFlag(_options.Mode)[1..],
            Phase = Phase,
            Device = _datalink.DeviceName,
            DeviceState = session is not null ? "open" : _datalink.Dialling ? "opening" : "closed",
            DatalinkState = _datalink.State.ToString().ToLowerInvariant(),
            PeerName = link?.PeerName,
            LastFailure = link?.LastFailure ?? _lastEnded,
            ConnectedSince = session?.Started,
            LcpState = link?.Lcp.State ?? FsmState.Initial,
            Lcp = link?.LcpHandler.Result,
            IpcpState = NcpState(link, "IPCP"),
            Ipcp = session?.Ipcp?.Result,
            Ipv6cpState = NcpState(link, "IPV6CP"),
            Ipv6cp = session?.Ipv6cp?.Result,
            Hdlc = hdlc is null ? default : new HdlcCountersSnapshot(hdlc.Frames, hdlc.BadFcs, hdlc.Runts, hdlc.Oversize, hdlc.Aborted, hdlc.BadAddressControl, hdlc.BadProtocol),
            PacketsSent = link?.Counters.PacketsSent ?? 0,
            OctetsSent = link?.Counters.OctetsSent ?? 0,
            PacketsReceived = link?.Counters.PacketsReceived ?? 0,
            OctetsReceived = link?.Counters.OctetsReceived ?? 0,
            TransmitDropped = (link?.Counters.TransmitDropped ?? 0) + _iface.NoLinkDrops,
            ReceiveDropped = (link?.Counters.ReceiveDropped ?? 0) + _iface.TunWriteDrops,
            ControlReceiveOverrun = link?.Counters.ControlFramesOverrun ?? 0,
            ControlTransmitDropped = link?.Counters.ControlFramesDropped ?? 0,
            RepliesLimited = link?.RepliesLimited ?? 0,
            InFilterDrops = _iface.InFilterDrops,
            OutFilterDrops = _iface.OutFilterDrops,
            EchoRoundTrip = link?.LcpHandler.LastEchoRoundTrip,
            EchoRequestsSent = link?.LcpHandler.EchoRequestsSent ?? 0,
            EchoMisses = link?.LcpHandler.EchoMisses ?? 0,
            CapturedAt = _time.GetUtcNow(),
            NetworkUpSince = session?.NetworkUpSince,
            AuthState = AuthState(link),
            Reconnects = Math.Max(0, _datalink.Connections - 1),
            Connects = supervisor.Connects,
            FailedDials = supervisor.FailedDials,
            DropsByCause = supervisor.EndsByCause.ToDictionary(e => LinkEndCauses.Key(e.Key), e => e.Value),
            Recovery = new RecoveryCounts(supervisor.Redials, supervisor.Reconnects, supervisor.Resets, supervisor.ResetFailures,
                _datalink.DeviceSearches, _datalink.DeviceRenames, supervisor.FailsSinceReset, supervisor.LastResetError,
                supervisor.DailyResets, supervisor.DailyResetAt),
            Provision = _datalink.Provision(),
            LastUp = supervisor.LastUp,
            LastDown = supervisor.LastDown,
            NextAttemptAt = supervisor.NextAttemptAt,
            NextAttempt = supervisor.NextAttemptText,
            Server = Control?.Status,
            Metrics = MetricsServer?.Status,
            InterfaceName = _iface.Name,
            InterfaceMtu = session is null ? null : InterfaceMtu(session),
            InterfaceAddresses = _iface.Addresses,
            Routes = _iface.Routes,
            DnsServers = _iface.LearnedDns,
            ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            TotalAllocatedBytes = GC.GetTotalAllocatedBytes(precise: false),
            WorkingSetBytes = Environment.WorkingSet,
            Gen0Collections = GC.CollectionCount(0),
            Gen1Collections = GC.CollectionCount(1),
            Gen2Collections = GC.CollectionCount(2),
        };
    }

    /// <summary>For the JSON status: where authentication stands on this link.</summary>
    private static string AuthState(PppLink? link)
    {
        if (link is null)
            return "none";
        if (link.Authentication.IsRunning)
            return "running";
        if (link.Phase == LinkPhase.Network)
        {
            return link.LcpHandler.Result is { AuthenticatePeerWith: AuthProtocol.None, AuthenticateOurselvesWith: AuthProtocol.None }
                ? "not-required"
                : "succeeded";
        }
        return link.LastFailure?.StartsWith("authentication failed", StringComparison.Ordinal) == true ? "failed" : "pending";
    }

    private static FsmState NcpState(PppLink? link, string name) =>
        link?.NetworkControlProtocols.FirstOrDefault(f => f.Handler.Name == name)?.State ?? FsmState.Initial;

    // ----- shutdown -----------------------------------------------------------------------------------

    /// <summary>Undoes everything: the link, routes, addresses, resolver, then the tun.</summary>
    public async ValueTask DisposeAsync()
    {
        await Loop.InvokeAsync(() =>
        {
            _supervisor.Dispose();
            foreach (var timer in _oneShots)
                timer.Dispose();
            _oneShots.Clear();
            StopIdleTimer();
            _iface.Attach(null);
            _datalink.Shutdown();
            _iface.Teardown();
        }).ConfigureAwait(false);
        _datalink.Dispose();
        _iface.Dispose();
    }
}

internal static partial class BundleLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Device}: the line takes no output or the peer floods us: hanging up without waiting for a Terminate-Ack")]
    public static partial void QuitOnStalledLine(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using interface: {Interface}")]
    public static partial void InterfaceOpened(ILogger logger, string @interface);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Interface}: removed")]
    public static partial void InterfaceClosed(ILogger logger, string @interface);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: opening {Device}")]
    public static partial void Opening(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: {Reason}")]
    public static partial void OpenFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: Connected to {Device}")]
    public static partial void Connected(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Device}: disconnected ({Reason})")]
    public static partial void Disconnected(ILogger logger, string device, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle: sent {PacketsOut} packets ({OctetsOut} octets), received {PacketsIn} packets ({OctetsIn} octets); {Allocated} bytes allocated while the network was up")]
    public static partial void Totals(ILogger logger, long packetsOut, long octetsOut, long packetsIn, long octetsIn, long allocated);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Device}: hanging up")]
    public static partial void HangingUp(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: {Device}: hang-up: {Reason}")]
    public static partial void HangUpFailed(ILogger logger, string device, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle: link ended: {Reason}")]
    public static partial void LinkEnded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bundle: cannot dial: {Reason}")]
    public static partial void RedialFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File}:{Line}: hisaddr: {Reason}")]
    public static partial void BadSecretAddress(ILogger logger, string file, int line, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle: {Peer} gets label {Label} from ppp.secret (for ppp.linkup and ppp.linkdown)")]
    public static partial void SecretLabel(ILogger logger, string peer, string label);

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle: {Peer} gets {Address} from ppp.secret")]
    public static partial void SecretAddress(ILogger logger, string peer, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle: idle timer expired ({Seconds} s without traffic): closing")]
    public static partial void IdleTimeout(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bundle: interface: {Reason}")]
    public static partial void InterfaceFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}")]
    public static partial void ScriptCommandFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle: quit: closing the link and exiting")]
    public static partial void Quitting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signal {Signal} received")]
    public static partial void SignalReceived(ILogger logger, string signal);
}
