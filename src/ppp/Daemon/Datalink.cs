using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ppp.Chat;
using Ppp.Core.Config;
using Ppp.Core.Link;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Time;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Runtime;
using Ppp.Daemon.Supervision;
using Ppp.Tun.Tty;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// Where the datalink stands, as ppp(8)'s <c>show link</c> names it: from closed through
/// opening the device, the dial and login scripts, ready, LCP, authentication and the open
/// network phase, to hanging up.
/// </summary>
internal enum DatalinkState
{
    Closed,
    Opening,
    Dial,
    Login,
    Ready,
    Lcp,
    Authenticate,
    Open,
    Hangup,
}

/// <summary>
/// ppp(8)'s datalink: one line. It owns the device list, the phone list and the chat scripts,
/// opens a device for one dial attempt (one round over <c>set device</c>, one phone number),
/// runs PPP on it, and hangs it up. It does not decide when to dial again: it reports each
/// attempt's failure and each session's end to the bundle, whose policy decides. Everything
/// here runs on the loop except the attempt itself (device open and chat scripts), which
/// works from a snapshot of the settings taken on the loop and posts its outcome back.
/// </summary>
internal sealed partial class Datalink : IDisposable
{
    private readonly DaemonOptions _options;
    private readonly BundleSettings _settings;
    private readonly ILoggerFactory _loggers;
    private readonly LinkLoop _loop;
    private readonly TimeProvider _time;
    private readonly ILogger _phase;
    private readonly ILogger _physical;
    private CancellationTokenSource? _dialing;
    private DatalinkState _state = DatalinkState.Closed;

    public Datalink(DaemonOptions options, BundleSettings settings, ILoggerFactory loggers, LinkLoop loop, TimeProvider time)
    {
        _options = options;
        _settings = settings;
        _loggers = loggers;
        _loop = loop;
        _time = time;
        _phase = loggers.CreateLogger("Phase");
        _physical = loggers.CreateLogger("Physical");
    }

    /// <summary>Builds the PPP link of a new session on an open device (the bundle's NCPs, secrets, packet sink).</summary>
    public required Func<IDeviceConnection, DeviceReader?, LinkSession> CreateSession { get; init; }

    /// <summary>A session started on an open line (on the loop).</summary>
    public Action<LinkSession>? SessionStarted { get; set; }

    /// <summary>One dial attempt failed: the reason, and whether the phone list has more numbers in this round.</summary>
    public Action<DialFailure>? AttemptFailed { get; set; }

    /// <summary>A session's line closed (on the loop): null reason for a plain hang-up, else the line error.</summary>
    public Action<LinkSession, string?>? SessionEnded { get; set; }

    public DatalinkState State => _state;

    public LinkSession? Session { get; private set; }

    public bool Dialling => _dialing is not null;

    /// <summary>Connections made (sessions started) since the daemon started.</summary>
    public int Connections { get; private set; }

    /// <summary>The device we are on, or the first we would try.</summary>
    public string? DeviceName => Session?.Device.Name ?? _settings.Devices.FirstOrDefault()?.Text;

    // ----- dialling -----------------------------------------------------------------------------

    /// <summary>
    /// Starts one dial attempt (on the loop); its outcome arrives as <see cref="SessionStarted"/>
    /// or <see cref="AttemptFailed"/>. Returns why it cannot start, or null.
    /// </summary>
    public string? BeginDial() => BeginDial(TimeSpan.Zero);

    /// <summary>As <see cref="BeginDial()"/>; after a modem reset the device may take up to <paramref name="appearWait"/> to come back.</summary>
    public string? BeginDial(TimeSpan appearWait)
    {
        if (Session is not null)
            return "the link is already open; \"close\" it first";
        if (_dialing is not null)
            return "already dialling";
        var devices = DeviceList(out string? error);
        if (devices is null)
            return error;
        bool scripts = ScriptsApply;
        var plan = new DialPlan(devices, TtyOptions(), scripts ? _settings.DialScript : null, scripts ? _settings.LoginScript : null,
            scripts ? _settings.HangupScript : null, Phones(), _settings.AuthName ?? "", _settings.AuthKey ?? "")
        {
            AppearWait = appearWait,
            Provision = scripts && _settings.ProvisionScript is { } provision ? new ProvisionPlan(provision, ProvisionState.PathFor(_settings.Label)) : null,
        };
        _provisioned = null;
        _dialing = new CancellationTokenSource();
        SetState(DatalinkState.Opening);
        _ = AttemptAsync(plan, _dialing);
        return null;
    }

    /// <summary>Stops a dial attempt under way (close, quit); a device it opened meanwhile is closed.</summary>
    public void CancelDial()
    {
        _dialing?.Cancel();
    }

    public List<DeviceSpec>? DeviceList(out string? error)
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
    public TtyOpenOptions TtyOptions()
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

    /// <summary>What one attempt needs, read from the settings on the loop before it starts.</summary>
    private sealed record DialPlan(List<DeviceSpec> Devices, TtyOpenOptions Tty, string? DialScript, string? LoginScript,
        string? HangupScript, PhoneSchedule Phones, string AuthName, string AuthKey)
    {
        public bool HasScripts => DialScript is not null || LoginScript is not null || Provision is not null;

        /// <summary>After a reset: how long to wait for a device of the list to appear.</summary>
        public TimeSpan AppearWait { get; init; }

        /// <summary><c>set provision</c>, and its state file.</summary>
        public ProvisionPlan? Provision { get; init; }
    }

    /// <summary>One round over the device list, off the loop; the outcome is posted back.</summary>
    private async Task AttemptAsync(DialPlan plan, CancellationTokenSource dialing)
    {
        var token = dialing.Token;
        string reason = "no device could be opened";
        var cause = LinkEndCause.OpenFailed;
        string phone = "";
        if (plan.HasScripts)
            phone = await _loop.InvokeAsync(() => plan.Phones.Next()).ConfigureAwait(false);
        bool cancelledWaiting = !await WaitForDeviceAsync(plan, token).ConfigureAwait(false);
        var candidates = cancelledWaiting ? [] : Candidates(plan.Devices, ref reason);
        foreach (var (configured, spec) in candidates)
        {
            try
            {
                BundleLog.Opening(_physical, spec.Text);
                var device = await DeviceOpener.OpenAsync(spec, plan.Tty, _physical, token).ConfigureAwait(false);
                var (reader, failure) = await ConnectScriptsAsync(plan, device, phone, token).ConfigureAwait(false);
                if (failure is not null)
                {
                    if (reader is not null)
                        reader.HangingUp = true;
                    await device.DisposeAsync().ConfigureAwait(false);
                    if (token.IsCancellationRequested)
                        break;
                    reason = $"{spec.Text}: {failure}";
                    cause = LinkEndCause.ChatFailed;
                    continue;
                }
                string target = DeviceGlob.Target(spec.Path ?? spec.Text);
                _loop.Post(() =>
                {
                    NoteResolved(configured, spec, target);
                    DialSucceeded(dialing, plan, device, reader);
                });
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException or InvalidOperationException
                                           or System.ComponentModel.Win32Exception or OperationCanceledException)
            {
                reason = $"{spec.Text}: {ex.Message}";
                cause = LinkEndCause.OpenFailed;
                BundleLog.OpenFailed(_physical, reason);
            }
        }
        bool cancelled = token.IsCancellationRequested;
        _loop.Post(() => DialFailed(dialing, plan, cancelled, reason, cause));
    }

    private void DialSucceeded(CancellationTokenSource dialing, DialPlan plan, IDeviceConnection device, DeviceReader? reader)
    {
        if (!ReferenceEquals(_dialing, dialing) || dialing.IsCancellationRequested)
        {
            // Closed while the device was opening: it is not ours any more.
            if (reader is not null)
                reader.HangingUp = true;
            _ = device.DisposeAsync().AsTask();
            if (ReferenceEquals(_dialing, dialing))
                EndDial(plan, cancelled: true, "dialling cancelled");
            return;
        }
        _dialing = null;
        dialing.Dispose();
        if (plan.HasScripts)
            plan.Phones.Connected();
        StartSession(device, reader);
    }

    private void DialFailed(CancellationTokenSource dialing, DialPlan plan, bool cancelled, string reason, LinkEndCause cause)
    {
        if (!ReferenceEquals(_dialing, dialing))
            return;
        EndDial(plan, cancelled, reason, cause);
    }

    private void EndDial(DialPlan plan, bool cancelled, string reason, LinkEndCause cause = LinkEndCause.OpenFailed)
    {
        _dialing?.Dispose();
        _dialing = null;
        SetState(DatalinkState.Closed);
        AttemptFailed?.Invoke(new DialFailure(reason, cause, cancelled, plan.HasScripts && !plan.Phones.AtEndOfList));
    }

    // ----- sessions -----------------------------------------------------------------------------

    /// <summary>
    /// PPP starts on an open line; <paramref name="reader"/> is the line's reader when chat
    /// scripts or a terminal already ran on it. Call on the loop.
    /// </summary>
    public void StartSession(IDeviceConnection device, DeviceReader? reader = null)
    {
        if (Session is not null)
        {
            _ = device.DisposeAsync().AsTask();
            return;
        }
        var session = CreateSession(device, reader);
        Session = session;
        Connections++;
        SetState(DatalinkState.Lcp);
        BundleLog.Connected(_phase, device.Name);
        session.Link.PhaseChanged += phase => OnPhaseChanged(session, phase);
        session.Link.LowerLayerNotNeeded += () => HangUp(session);
        SessionStarted?.Invoke(session);
        session.Driver.Start(reason => DeviceClosed(session, reason));
    }

    private void OnPhaseChanged(LinkSession session, LinkPhase phase)
    {
        if (!ReferenceEquals(Session, session) || session.HangingUp)
            return;
        SetState(phase switch
        {
            LinkPhase.Establish or LinkPhase.Terminate => DatalinkState.Lcp,
            LinkPhase.Authenticate => DatalinkState.Authenticate,
            LinkPhase.Network => DatalinkState.Open,
            _ => _state,
        });
    }

    /// <summary>Hangs the line up (logout and hangup scripts first); the reader's end then ends the session.</summary>
    public void HangUp(LinkSession session)
    {
        if (session.HangingUp)
            return;
        session.HangingUp = true;
        if (ReferenceEquals(Session, session))
            SetState(DatalinkState.Hangup);
        BundleLog.HangingUp(_physical, session.Device.Name);
        var plan = HangUpPlan();
        _lastHangUp = HangUpAsync(session, plan);
    }

    private async Task HangUpAsync(LinkSession session, HangUpScripts scripts)
    {
        try
        {
            // The writer lets out the control frames it holds (a Terminate-Ack) and gives the
            // line back; one stuck in a write leaves no line for the scripts.
            if (await session.Driver.StopWriterAsync().ConfigureAwait(false))
                await HangUpScriptsAsync(session.Reader, scripts, loggedIn: true).ConfigureAwait(false);
            await session.Device.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            BundleLog.HangUpFailed(_physical, session.Device.Name, ex.Message);
        }
    }

    private void DeviceClosed(LinkSession session, string? reason)
    {
        if (!ReferenceEquals(Session, session))
            return;
        BundleLog.Disconnected(_physical, session.Device.Name, reason ?? "hang-up");
        Session = null;
        SetState(DatalinkState.Closed);
        session.Link.LowerDown();
        HangUp(session);
        SessionEnded?.Invoke(session, reason);
    }

    /// <summary>At shutdown (on the loop): stop dialling, drop the session without ceremony.</summary>
    public void Shutdown()
    {
        _dialing?.Cancel();
        if (Session is { } session)
        {
            Session = null;
            session.Link.LowerDown();
            HangUp(session);
        }
    }

    public void Dispose()
    {
        _dialing?.Dispose();
        _dialing = null;
    }

    private void SetState(DatalinkState state)
    {
        if (_state == state)
            return;
        _state = state;
        DatalinkLog.StateChanged(_physical, state.ToString().ToLowerInvariant());
    }

    // ----- terminal mode ------------------------------------------------------------------------

    /// <summary>
    /// Opens the first device of <paramref name="devices"/> that opens, as a dial attempt would
    /// but with no chat script and no redial. Returns the reason when none did. Off the loop.
    /// </summary>
    public async Task<(IDeviceConnection? Device, string? Error)> OpenTerminalDeviceAsync(List<DeviceSpec> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var tty = await _loop.InvokeAsync(TtyOptions).ConfigureAwait(false);
        string reason = "no device could be opened";
        foreach (var spec in devices)
        {
            try
            {
                BundleLog.Opening(_physical, spec.Text);
                var device = await DeviceOpener.OpenAsync(spec, tty, _physical, cancellationToken).ConfigureAwait(false);
                TermLog.Entered(_phase, device.Name);
                return (device, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException or InvalidOperationException
                                           or System.ComponentModel.Win32Exception or OperationCanceledException or ArgumentException)
            {
                reason = $"{spec.Text}: {ex.Message}";
                BundleLog.OpenFailed(_physical, reason);
            }
        }
        return (null, reason);
    }
}

/// <summary>A dial attempt that did not give a session.</summary>
/// <param name="Reason">What failed, device first ("/dev/ttyUSB0: dial script: NO CARRIER").</param>
/// <param name="Cause">The device did not open, or a chat script failed.</param>
/// <param name="Cancelled">Ended by close or quit, not by a failure.</param>
/// <param name="MorePhoneNumbers">The phone list has numbers left in this round (ppp(8)'s shorter "next" wait applies).</param>
internal sealed record DialFailure(string Reason, LinkEndCause Cause, bool Cancelled, bool MorePhoneNumbers);

internal static partial class DatalinkLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "deflink: state {State}")]
    public static partial void StateChanged(ILogger logger, string state);
}
