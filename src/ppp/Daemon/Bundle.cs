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
using Ppp.Daemon.Data;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Runtime;
using Ppp.Tun.Dns;
using Ppp.Tun.Systemd;
using Ppp.Tun.Net;
using Ppp.Tun.Tty;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The running daemon: one bundle of one link, as ppp(8) has it. It owns the tun and what we
/// configured on it, the device and the <see cref="PppLink"/> of the current connection, and
/// the mode's policy (when to dial, when to exit). Everything here runs on one
/// <see cref="LinkLoop"/>; only the data path (<see cref="TunBridge"/>) and device reads run
/// elsewhere. Commands reach it through <see cref="IBundleRuntime"/>.
/// </summary>
internal sealed partial class Bundle : IBundleRuntime, IAsyncDisposable
{
    private static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(12);

    private readonly DaemonOptions _options;
    private readonly BundleSettings _settings;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _phase;
    private readonly ILogger _physical;
    private readonly ILogger _command;
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTimeOffset _started = DateTimeOffset.Now;

    private TunDevice? _tun;
    private RtNetlink? _netlink;
    private InterfaceConfigurator? _iface;
    private ResolverManager? _resolver;
    private TunBridge? _bridge;
    private LinkSession? _session;
    private CancellationTokenSource? _dialing;
    private bool _closedByUs;
    private ITimer? _idleTimer;
    private bool _quitting;
    private bool _announcedUp;
    private int _reconnectsLeft;
    private IPAddress[] _learnedDns = [];
    private int _connections;
    private string? _lastEnded;

    public Bundle(DaemonOptions options, BundleSettings settings, ILoggerFactory loggers)
    {
        _options = options;
        _settings = settings;
        _loggers = loggers;
        _phase = loggers.CreateLogger("Phase");
        _physical = loggers.CreateLogger("Physical");
        _command = loggers.CreateLogger("Command");
        Loop = new LinkLoop(_phase);
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

    /// <summary>Completes with the exit status once the daemon should end.</summary>
    public Task<int> Exited => _exit.Task;

    /// <summary>
    /// Raised (on the loop) once when the first network protocol comes up, and when the first
    /// connection fails before that: -background's parent waits for one of them.
    /// </summary>
    public event Action<bool, string?>? FirstOutcome;

    public LinkPhase Phase => _session?.Link.Phase ?? LinkPhase.Dead;

    public string? InterfaceName => _tun?.Name;

    /// <summary>Opens the tun and the kernel-side helpers; call once, before any command runs.</summary>
    public void OpenInterface()
    {
        _tun = TunDevice.Open(_options.Unit);
        DisableKernelLinkLocal(_tun.Name);
        _netlink = RtNetlink.Open();
        _iface = new InterfaceConfigurator(_netlink, _loggers.CreateLogger("Tun"), _tun.Name, _tun.IfIndex);
        _resolver = new ResolverManager(
            _settings.ResolvMode == ResolvMode.ReadOnly ? ResolverMode.ReadOnly : ResolverMode.Rewrite, _tun.Name, _loggers.CreateLogger("DNS"));
        _resolver.RecoverAfterCrash();
        _bridge = new TunBridge(_tun, _loggers.CreateLogger("Tun"));
        _bridge.Start();
        BundleLog.InterfaceOpened(_phase, _tun.Name);
    }

    /// <summary>
    /// The kernel gives a tun its own fe80:: address when it comes up. A PPP link must have only
    /// the one IPV6CP agreed: the kernel would pick its own as the source of our packets, and a
    /// peer such as Linux pppd, which routes only our negotiated address back over the link,
    /// never answers (addr_gen_mode 1 = none, as for ppp devices).
    /// </summary>
    private void DisableKernelLinkLocal(string name)
    {
        string path = $"/proc/sys/net/ipv6/conf/{name}/addr_gen_mode";
        try
        {
            if (File.Exists(path))
                File.WriteAllText(path, "1\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            BundleLog.InterfaceFailed(_phase, $"{path}: {ex.Message}");
        }
    }

    // ----- dialling and sessions -------------------------------------------------------------

    public CommandOutcome Dial()
    {
        if (_session is not null)
            return CommandOutcome.Fail("the link is already open; \"close\" it first");
        if (_dialing is not null)
            return CommandOutcome.Fail("already dialling");
        if (_inTerminal)
            return CommandOutcome.Fail("the device is in terminal mode (term): leave it with ~. first");
        if (_quitting)
            return CommandOutcome.Fail("ppp is exiting");
        var devices = DeviceList(out string? error);
        if (devices is null)
            return CommandOutcome.Fail(error!);
        _closedByUs = false;
        _dialing = new CancellationTokenSource();
        _ = DialAsync(devices, _dialing.Token);
        return CommandOutcome.Ok;
    }

    private List<DeviceSpec>? DeviceList(out string? error)
    {
        error = null;
        if (_options.Mode == DaemonMode.Direct)
            return [DeviceOpener.Stdio];
        var devices = new List<DeviceSpec>(_settings.Devices);
        if (devices.Count == 0)
            error = "no device: use \"set device\"";
        return devices.Count == 0 ? null : devices;
    }

    /// <summary>The tty set-up from <c>set speed|parity|ctsrts|cd</c>.</summary>
    private TtyOpenOptions TtyOptions()
    {
        var cd = _settings.CarrierDetect;
        bool requireCarrier = cd.Mode != CarrierMode.Off && cd.Required;
        var tty = new TtySettings
        {
            Speed = _settings.Speed,
            Parity = _settings.Parity switch
            {
                Parity.Even => TtyParity.Even,
                Parity.Odd => TtyParity.Odd,
                _ => TtyParity.None,
            },
            CtsRts = _settings.CtsRts,
            Local = cd.Mode == CarrierMode.Off,
        };
        return new TtyOpenOptions(tty, requireCarrier);
    }

    /// <summary>Tries each device in order (ppp(8) "set device"), off the loop.</summary>
    private async Task DialAsync(List<DeviceSpec> devices, CancellationToken cancellationToken)
    {
        // ppp(8) "set redial secs[+inc[-max]] attempts": rounds over the device list, the pause
        // growing by inc each round up to max increments; attempts 0 means until it works.
        // -background tries once, as ppp(8) says, and -direct has nothing to redial.
        var redial = _settings.Redial;
        int rounds = _options.Mode is DaemonMode.Background or DaemonMode.Direct ? 1 : redial.Attempts;
        string reason = "no device could be opened";
        for (int round = 0; rounds == 0 || round < rounds; round++)
        {
            if (round > 0)
            {
                // ppp(8): between numbers of a "set phone" list the shorter "next" wait applies;
                // the full redial period once the list is used up.
                int seconds = _phones is { AtEndOfList: false } && _settings.DialScript is not null
                    ? redial.NextSeconds
                    : redial.Seconds + (redial.Increment * Math.Min(round - 1, redial.MaxIncrements));
                BundleLog.Redialling(_phase, seconds);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Loop.Post(() => _dialing = null);
                    return;
                }
            }
            if (await TryDevicesAsync(devices, r => reason = r, cancellationToken).ConfigureAwait(false))
                return;
            if (cancellationToken.IsCancellationRequested)
            {
                Loop.Post(() => _dialing = null);
                return;
            }
        }
        Loop.Post(() =>
        {
            _dialing = null;
            LinkEnded(failed: true, reason);
        });
    }

    /// <summary>One round over the device list; true once a device is open (or dialling was cancelled).</summary>
    private async Task<bool> TryDevicesAsync(List<DeviceSpec> devices, Action<string> failed, CancellationToken cancellationToken)
    {
        foreach (var spec in devices)
        {
            try
            {
                BundleLog.Opening(_physical, spec.Text);
                var device = await DeviceOpener.OpenAsync(spec, TtyOptions(), _physical, cancellationToken).ConfigureAwait(false);
                var (reader, failure) = await ConnectScriptsAsync(device, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    if (reader is not null)
                        reader.HangingUp = true;
                    await device.DisposeAsync().ConfigureAwait(false);
                    if (cancellationToken.IsCancellationRequested)
                        return false;
                    failed($"{spec.Text}: {failure}");
                    continue;
                }
                Loop.Post(() => StartSession(device, reader));
                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException or InvalidOperationException
                                           or System.ComponentModel.Win32Exception or OperationCanceledException)
            {
                string reason = $"{spec.Text}: {ex.Message}";
                failed(reason);
                BundleLog.OpenFailed(_physical, reason);
            }
        }
        return false;
    }

    /// <summary>PPP starts on an open line; <paramref name="reader"/> is the line's reader when chat scripts already ran on it.</summary>
    private void StartSession(IDeviceConnection device, DeviceReader? reader = null)
    {
        var dialing = _dialing;
        _dialing = null;
        dialing?.Dispose();
        if (_quitting || _session is not null)
        {
            _ = device.DisposeAsync().AsTask();
            return;
        }

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
            Lcp = _settings.ToLcpConfig(),
            LcpFsm = _settings.LcpFsm,
            Auth = _settings.ToAuthOptions(Environment.MachineName),
            NetworkProtocols = ncps,
            ExtraEscapes = _settings.ExtraEscapes,
            Synchronous = _settings.Synchronous,
        };

        var link = new PppLink(options, new LinkScheduler(TimeProvider.System, Loop.Post), device.Output, () => Flush(device),
            (INetworkPacketSink?)_bridge ?? NullSink.Instance, _loggers, SystemRandomSource.Instance, Secrets);
        reader ??= new DeviceReader(device, NullSink.Instance);
        var session = new LinkSession(reader, link, ipcp, ipv6cp);
        _session = session;
        _connections++;
        BundleLog.Connected(_phase, device.Name);

        link.PhaseChanged += phase => OnPhaseChanged(session, phase);
        link.LowerLayerNotNeeded += () => HangUp(session);
        if (ipcp is not null)
        {
            ipcp.Up += result => OnIpcpUp(session, result);
            ipcp.Down += () => OnIpcpDown(session);
        }
        if (ipv6cp is not null)
        {
            ipv6cp.Up += result => OnIpv6cpUp(session, result);
            ipv6cp.Down += () => OnIpv6cpDown(session);
        }
        _bridge?.Attach(link);
        link.Open();
        link.LowerUp();
        reader.Switch(session);
        reader.OnEnded(reason => Loop.Post(() => DeviceClosed(session, reason)));
        reader.Start();
    }

    /// <summary>
    /// Runs under the transmitter's lock after each frame. A socket usually takes the frame at
    /// once; when the line lags, the wait is the back-pressure that stops the tun reader.
    /// </summary>
    private static void Flush(IDeviceConnection device)
    {
        try
        {
            device.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException
                                       or TimeoutException or OperationCanceledException)
        {
            // The line is gone or stuck; the reader sees the hang-up and ends the session.
        }
    }

    private void HangUp(LinkSession session)
    {
        if (session.HangingUp)
            return;
        session.HangingUp = true;
        BundleLog.HangingUp(_physical, session.Device.Name);
        _ = HangUpAsync(session);
    }

    private async Task HangUpAsync(LinkSession session)
    {
        try
        {
            await HangUpScriptsAsync(session.Reader, loggedIn: true).ConfigureAwait(false);
            await session.Device.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            BundleLog.HangUpFailed(_physical, session.Device.Name, ex.Message);
        }
    }

    private void DeviceClosed(LinkSession session, string? reason)
    {
        if (!ReferenceEquals(_session, session))
            return;
        BundleLog.Disconnected(_physical, session.Device.Name, reason ?? "hang-up");
        if (session.NetworkUpSince is not null)
        {
            var counters = session.Link.Counters;
            BundleLog.Totals(_phase, counters.PacketsSent, counters.OctetsSent, counters.PacketsReceived, counters.OctetsReceived,
                GC.GetTotalAllocatedBytes(precise: true) - session.AllocatedAtUp);
        }
        _bridge?.Attach(null);
        session.Link.LowerDown();
        _session = null;
        HangUp(session);
        string? failure = session.Link.LastFailure;
        bool failed = !_closedByUs && session.NetworkUpSince is null;
        LinkEnded(failed, failure ?? reason ?? "the line hung up");
    }

    /// <summary>The connection is over: what the mode does next.</summary>
    private void LinkEnded(bool failed, string reason)
    {
        BundleLog.LinkEnded(_phase, reason);
        _lastEnded = reason;
        if (!_announcedUp)
        {
            _announcedUp = true;
            FirstOutcome?.Invoke(false, reason);
        }
        if (_quitting)
        {
            Finish(0);
            return;
        }
        switch (_options.Mode)
        {
            case DaemonMode.Interactive:
                return;
            case DaemonMode.Dedicated:
                // A leased line comes back by itself, unless someone closed it on purpose.
                if (_closedByUs)
                    return;
                ScheduleRedial(TimeSpan.FromSeconds(failed ? _settings.Redial.Seconds : _settings.Reconnect.Seconds));
                return;
            case DaemonMode.Direct:
                Finish(failed ? 1 : 0);
                return;
            default:
                if (!_closedByUs && _reconnectsLeft > 0 && !failed)
                {
                    _reconnectsLeft--;
                    ScheduleRedial(TimeSpan.FromSeconds(_settings.Reconnect.Seconds));
                    return;
                }
                Finish(failed ? 1 : 0);
                return;
        }
    }

    private void ScheduleRedial(TimeSpan delay)
    {
        BundleLog.Redialling(_phase, delay.TotalSeconds);
        _ = Task.Delay(delay).ContinueWith(_ => Loop.Post(() =>
        {
            if (!_quitting && _session is null && _dialing is null)
            {
                var outcome = Dial();
                if (!outcome.Succeeded)
                    BundleLog.RedialFailed(_phase, outcome.Error!);
            }
        }), TaskScheduler.Default);
    }

    /// <summary>Dials at once for every mode but interactive (call on the loop).</summary>
    public void Start()
    {
        _reconnectsLeft = _settings.Reconnect.Tries;
        if (_options.Mode == DaemonMode.Interactive)
            return;
        var outcome = Dial();
        if (!outcome.Succeeded)
        {
            BundleLog.RedialFailed(_phase, outcome.Error!);
            LinkEnded(failed: true, outcome.Error!);
        }
    }

    private void Finish(int status)
    {
        _exit.TrySetResult(status);
    }

    // ----- phase and network-layer events ------------------------------------------------------

    private void OnPhaseChanged(LinkSession session, LinkPhase phase)
    {
        if (!ReferenceEquals(_session, session))
            return;
        if (phase == LinkPhase.Network)
        {
            AssignAddressFromSecret(session);
            StartIdleTimer(session);
        }
        else if (phase is LinkPhase.Terminate or LinkPhase.Dead)
            StopIdleTimer();
    }

    /// <summary>
    /// A peer we authenticated gets the address its ppp.secret line names (ppp(8)'s third
    /// column; "*" or none leaves <c>set ifaddr</c> in charge). The NCPs start right after this.
    /// </summary>
    private void AssignAddressFromSecret(LinkSession session)
    {
        if (session.Ipcp is null || session.Link.PeerName is not { } peer
            || !Secrets.TryGetEntry(peer, out var entry) || entry.HisAddress is null or "*")
        {
            return;
        }
        var (ifaddr, error) = IfAddr.Parse(["0.0.0.0/0", entry.HisAddress]);
        if (ifaddr is null || ifaddr.HasPool)
        {
            BundleLog.BadSecretAddress(_phase, entry.File, entry.Line, error ?? "a pool is not allowed here");
            return;
        }
        session.Ipcp.AssignPeerAddress(ifaddr.HisAddress);
        BundleLog.SecretAddress(_phase, peer, entry.HisAddress);
    }

    /// <summary>ppp.secret: the keys of the peers we authenticate and their addresses (set by
    /// the host once loaded, before the first link starts).</summary>
    public SecretsFile Secrets { get; set; } = SecretsFile.Empty;

    /// <summary>
    /// ppp(8) <c>set timeout</c>: close the link once no IP packet has crossed it for the idle
    /// time (0 = never). Checked once a second against the link's packet counters, so the data
    /// path does no timer work per packet.
    /// </summary>
    private void StartIdleTimer(LinkSession session)
    {
        StopIdleTimer();
        var idle = _settings.IdleTimeout;
        if (idle <= TimeSpan.Zero || _options.Mode == DaemonMode.Dedicated)
            return;
        long lastCount = -1;
        var lastActivity = DateTimeOffset.UtcNow;
        var minimumUntil = DateTimeOffset.UtcNow + _settings.IdleMinimum;
        _idleTimer = TimeProvider.System.CreateTimer(_ => Loop.Post(() =>
        {
            if (!ReferenceEquals(_session, session) || _idleTimer is null)
                return;
            long count = session.Link.Counters.PacketsSent + session.Link.Counters.PacketsReceived;
            var now = DateTimeOffset.UtcNow;
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
                session.Link.Close("idle timeout");
            }
        }), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private void StopIdleTimer()
    {
        _idleTimer?.Dispose();
        _idleTimer = null;
    }

    private void OnIpcpUp(LinkSession session, IpcpResult result)
    {
        if (!ReferenceEquals(_session, session) || _iface is null || result.LocalAddress is null || result.RemoteAddress is null)
            return;
        int mtu = InterfaceMtu(session);
        _bridge?.Configure(mtu, _settings.MssFixup);
        _iface.SetDns(result.PrimaryDns, result.SecondaryDns);
        try
        {
            _iface.ApplyIpv4(result.LocalAddress, result.RemoteAddress, mtu);
        }
        catch (IOException ex)
        {
            BundleLog.InterfaceFailed(_phase, ex.Message);
        }
        _learnedDns = new[] { result.PrimaryDns, result.SecondaryDns }.OfType<IPAddress>().ToArray();
        if (_learnedDns.Length > 0)
            _resolver?.Apply(_learnedDns);
        NetworkUp(session);
        RunLinkScript(LinkUpScript, result.LocalAddress);
    }

    private void OnIpcpDown(LinkSession session)
    {
        if (_iface is null)
            return;
        var myAddress = session.Ipcp?.Result?.LocalAddress;
        RunLinkScript(LinkDownScript, myAddress);
        _resolver?.Restore();
        _learnedDns = [];
        _iface.SetDns(null, null);
        _iface.RemoveIpv4();
    }

    private void OnIpv6cpUp(LinkSession session, Ipv6cpResult result)
    {
        if (!ReferenceEquals(_session, session) || _iface is null || result.RemoteLinkLocal is null)
            return;
        int mtu = InterfaceMtu(session);
        _bridge?.Configure(mtu, _settings.MssFixup);
        try
        {
            _iface.ApplyIpv6(result.LocalLinkLocal, result.RemoteLinkLocal);
        }
        catch (IOException ex)
        {
            BundleLog.InterfaceFailed(_phase, ex.Message);
        }
        NetworkUp(session);
    }

    private void OnIpv6cpDown(LinkSession session)
    {
        _ = session;
        _iface?.RemoveIpv6();
    }

    /// <summary>The tun's MTU: what the peer will take (its MRU), lowered by <c>set mtu</c>.</summary>
    private int InterfaceMtu(LinkSession session) =>
        _settings.InterfaceMtu(session.Link.LcpHandler.Result?.PeerMru ?? 1500);

    private void NetworkUp(LinkSession session)
    {
        if (session.NetworkUpSince is null)
        {
            session.NetworkUpSince = DateTimeOffset.Now;
            session.AllocatedAtUp = GC.GetTotalAllocatedBytes(precise: true);
        }
        _reconnectsLeft = _settings.Reconnect.Tries;
        if (!_announcedUp)
        {
            _announcedUp = true;
            FirstOutcome?.Invoke(true, null);
        }
    }

    private void RunLinkScript(ConfigFile? script, IPAddress? myAddress)
    {
        if (script is null || Commands is null)
            return;
        var selection = LinkScript.Select(script, myAddress?.ToString(), Label);
        if (selection is null)
            return;
        foreach (var line in selection.Lines)
        {
            var result = Commands.Execute(line.Text, CommandOrigin.File(line.File, line.Line), TextWriter.Null);
            if (!result.Success)
                BundleLog.ScriptCommandFailed(_command, result.Error ?? "failed");
        }
    }

    // ----- IBundleRuntime -------------------------------------------------------------------------

    public CommandOutcome Open(string? layer)
    {
        if (layer is null || layer.Equals("lcp", StringComparison.OrdinalIgnoreCase))
        {
            if (_session is null)
                return _dialing is null ? Dial() : CommandOutcome.Ok;
            _session.Link.Open();
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
            if (_dialing is not null)
            {
                _dialing.Cancel();
                return CommandOutcome.Ok;
            }
            if (_session is null)
                return CommandOutcome.Ok;
            _session.Link.Close("closed by command");
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
            _dialing?.Cancel();
            if (_session is not null)
                HangUp(_session);
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
        if (_session is null)
        {
            error = "the link is not open";
            return null;
        }
        foreach (var fsm in _session.Link.NetworkControlProtocols)
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
        _dialing?.Cancel();
        if (_session is null)
        {
            Finish(0);
            return CommandOutcome.Ok;
        }
        var session = _session;
        session.Link.Close("quit");
        // A peer that never acks our Terminate-Request must not keep us: LCP gives up after
        // Max-Terminate, and this is the backstop.
        _ = Task.Delay(QuitGrace).ContinueWith(_ => Loop.Post(() =>
        {
            if (ReferenceEquals(_session, session))
                HangUp(session);
            _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => Finish(0), TaskScheduler.Default);
        }), TaskScheduler.Default);
        return CommandOutcome.Ok;
    }

    /// <summary>SIGINT/SIGHUP/SIGTERM/SIGQUIT: close gracefully and exit; a second one exits now.</summary>
    public void Signal(string name)
    {
        BundleLog.SignalReceived(_phase, name);
        if (_quitting)
        {
            if (_session is not null)
                HangUp(_session);
            Finish(1);
            return;
        }
        Quit(all: true);
    }

    public CommandOutcome AddRoute(RouteSpec route, bool replace) =>
        _iface?.AddRoute(route, replace) ?? CommandOutcome.Fail("no interface");

    public CommandOutcome DeleteRoute(RouteSpec? route, bool quiet) =>
        _iface?.DeleteRoute(route, quiet) ?? CommandOutcome.Fail("no interface");

    public CommandOutcome IfaceAdd(InterfaceAddress address, bool replace) =>
        _iface?.IfaceAdd(address, replace) ?? CommandOutcome.Fail("no interface");

    public CommandOutcome IfaceDelete(IPAddress address, bool quiet) =>
        _iface?.IfaceDelete(address, quiet) ?? CommandOutcome.Fail("no interface");

    public CommandOutcome IfaceClear(AddressFamily? family) =>
        _iface?.IfaceClear(family) ?? CommandOutcome.Fail("no interface");

    public CommandOutcome IfaceName(string name) =>
        _iface?.IfaceName(name) ?? CommandOutcome.Fail("no interface");

    public CommandOutcome IfaceDescription(string text) =>
        _iface?.IfaceDescription(text) ?? CommandOutcome.Fail("no interface");

    public void SettingsChanged()
    {
        SettingsApplied?.Invoke();
        if (_bridge is not null && _session is not null)
            _bridge.Configure(InterfaceMtu(_session), _settings.MssFixup);
    }

    /// <summary>Raised after a command changed settings (the host re-applies log levels).</summary>
    public event Action? SettingsApplied;

    public IReadOnlyDictionary<string, string> SubstitutionWords
    {
        get
        {
            var words = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["LABEL"] = Label,
                ["PROCESSID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                ["USER"] = Environment.UserName,
                ["VERSION"] = VersionText,
                ["COMPILATIONDATE"] = VersionText,
                ["UPTIME"] = FormatUptime(_session?.NetworkUpSince is { } since ? DateTimeOffset.Now - since : TimeSpan.Zero),
            };
            if (_tun is not null)
                words["INTERFACE"] = _tun.Name;
            if (!string.IsNullOrEmpty(_settings.AuthName))
                words["AUTHNAME"] = _settings.AuthName!;
            if (_session?.Link.PeerName is { } peer)
                words["PEERNAME"] = peer;
            var ip = _session?.Ipcp?.Result;
            if (ip?.LocalAddress is { } my)
                words["MYADDR"] = my.ToString();
            if (ip?.RemoteAddress is { } his)
                words["HISADDR"] = his.ToString();
            var ip6 = _session?.Ipv6cp?.Result;
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
    public CommandOutcome Resolv(ResolvAction action)
    {
        if (_resolver is null)
            return CommandOutcome.Fail("resolv: no interface");
        _resolver.Mode = _settings.ResolvMode == ResolvMode.ReadOnly ? ResolverMode.ReadOnly : ResolverMode.Rewrite;
        bool done = action switch
        {
            ResolvAction.Reload => _resolver.Reload(),
            ResolvAction.Restore => _resolver.Restore(),
            ResolvAction.Rewrite => _resolver.Rewrite(),
            _ => false,
        };
        return done ? CommandOutcome.Ok : CommandOutcome.Fail($"resolv {action.ToString().ToLowerInvariant()}: failed (see the DNS log)");
    }

    public CommandOutcome RunProgram(IReadOnlyList<string> argv, bool background, TextWriter output) =>
        ProgramRunner.Run(argv, background, output, SubstitutionWords, _command);

    public CommandOutcome Server(ServerCommand command) =>
        Control?.Apply(command) ?? CommandOutcome.Fail("the diagnostic socket is not available in this mode");

    public CommandOutcome Metrics(MetricsCommand command) =>
        MetricsServer?.Apply(command) ?? CommandOutcome.Fail("the metrics endpoint is not available in this mode");

    public BundleStatus CaptureStatus()
    {
        var session = _session;
        var link = session?.Link;
        var hdlc = link?.HdlcCounters;
        return new BundleStatus
        {
            Label = Label,
            Mode = DaemonOptions.ModeFlag(_options.Mode)[1..],
            Phase = Phase,
            Device = session?.Device.Name ?? _settings.Devices.FirstOrDefault()?.Text,
            DeviceState = session is not null ? "open" : _dialing is not null ? "opening" : "closed",
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
            TransmitDropped = (link?.Counters.TransmitDropped ?? 0) + (_bridge?.NoLinkDrops ?? 0),
            ReceiveDropped = (link?.Counters.ReceiveDropped ?? 0) + (_bridge?.TunWriteDrops ?? 0),
            EchoRoundTrip = link?.LcpHandler.LastEchoRoundTrip,
            EchoRequestsSent = link?.LcpHandler.EchoRequestsSent ?? 0,
            EchoMisses = link?.LcpHandler.EchoMisses ?? 0,
            CapturedAt = DateTimeOffset.Now,
            NetworkUpSince = session?.NetworkUpSince,
            AuthState = AuthState(link),
            Reconnects = Math.Max(0, _connections - 1),
            Server = Control?.Status,
            Metrics = MetricsServer?.Status,
            InterfaceName = _tun?.Name,
            InterfaceMtu = session is null ? null : InterfaceMtu(session),
            InterfaceAddresses = _iface?.Addresses ?? [],
            Routes = _iface?.Routes ?? [],
            DnsServers = _learnedDns,
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
            _dialing?.Cancel();
            if (_session is not null)
            {
                _bridge?.Attach(null);
                _session.Link.LowerDown();
                HangUp(_session);
                _session = null;
            }
            _resolver?.Restore();
            _iface?.Teardown();
        }).ConfigureAwait(false);
        _bridge?.Dispose();
        _tun?.Dispose();
        _netlink?.Dispose();
        await Loop.DisposeAsync().ConfigureAwait(false);
        BundleLog.InterfaceClosed(_phase, _tun?.Name ?? "-");
    }

    /// <summary>Where nothing goes: IP packets without a tun, line bytes before anyone reads them.</summary>
    private sealed class NullSink : INetworkPacketSink, ILineSink
    {
        public static NullSink Instance { get; } = new();

        public void Deliver(ushort protocol, ReadOnlySpan<byte> packet)
        {
        }

        public void Receive(ReadOnlySpan<byte> data)
        {
        }
    }
}

internal static partial class BundleLog
{
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

    [LoggerMessage(Level = LogLevel.Information, Message = "bundle: redial in {Seconds} s")]
    public static partial void Redialling(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bundle: cannot dial: {Reason}")]
    public static partial void RedialFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File}:{Line}: hisaddr: {Reason}")]
    public static partial void BadSecretAddress(ILogger logger, string file, int line, string reason);

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
