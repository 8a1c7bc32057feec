using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// ppp(8)'s <c>term</c>, the bundle's side: the command claims the closed link's device list,
/// the prompt then opens a device and runs the <see cref="Terminal"/>, and the line either
/// goes back (closed) or becomes the link's when PPP starts on it. No chat script runs for
/// <c>term</c>: the user is the script.
/// </summary>
internal sealed partial class Bundle
{
    private List<DeviceSpec>? _terminalRequest;
    private bool _inTerminal;

    /// <summary>True from <c>term</c> until the terminal gives the line back or to PPP: no dialling meanwhile.</summary>
    public bool InTerminal => _inTerminal;

    public CommandOutcome Terminal()
    {
        if (_options.Mode != DaemonMode.Interactive)
            return CommandOutcome.Fail("term: only in interactive mode");
        if (_quitting)
            return CommandOutcome.Fail("term: ppp is exiting");
        if (_inTerminal)
            return CommandOutcome.Fail("term: already in terminal mode");
        if (Session is not null)
            return CommandOutcome.Fail("term: the link is open; \"close\" it first");
        if (_datalink.Dialling)
            return CommandOutcome.Fail("term: the link is being dialled; \"close\" it first");
        var devices = _datalink.DeviceList(out string? error);
        if (devices is null)
            return CommandOutcome.Fail($"term: {error}");
        _terminalRequest = devices;
        _inTerminal = true;
        return CommandOutcome.Ok;
    }

    /// <summary>
    /// The devices a <c>term</c> just claimed, once (null when the last command was no
    /// <c>term</c>): the prompt runs the terminal on them. Call on the loop.
    /// </summary>
    public List<DeviceSpec>? TakeTerminalRequest()
    {
        var devices = _terminalRequest;
        _terminalRequest = null;
        return devices;
    }

    /// <summary>
    /// Opens the first device of <paramref name="devices"/> that opens, as <c>dial</c> would but
    /// with no chat script and no redial. Returns the reason when none did. Off the loop.
    /// </summary>
    public Task<(IDeviceConnection? Device, string? Error)> OpenTerminalDeviceAsync(List<DeviceSpec> devices, CancellationToken cancellationToken) =>
        _datalink.OpenTerminalDeviceAsync(devices, cancellationToken);

    /// <summary>
    /// The terminal is over and its line closed; <paramref name="how"/> is null when no device
    /// opened (each failure is logged already). Call on the loop.
    /// </summary>
    public void TerminalEnded(string device, string? how)
    {
        _inTerminal = false;
        if (how is not null)
            TermLog.Left(_phase, device, how);
    }

    /// <summary>
    /// The peer started PPP (or <c>~p</c> asked for it): the line becomes the link's, and the
    /// bytes the terminal held back reach PPP first. Call on the loop.
    /// </summary>
    public void TerminalToPacketMode(IDeviceConnection device, DeviceReader reader, bool detected)
    {
        ArgumentNullException.ThrowIfNull(device);
        _inTerminal = false;
        _closedByUs = false;
        if (detected)
            TermLog.PacketModeDetected(_phase, device.Name);
        else
            TermLog.PacketModeRequested(_phase, device.Name);
        _datalink.StartSession(device, reader);
    }
}

internal static partial class TermLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: Entering terminal mode on {Device}")]
    public static partial void Entered(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Device}: left terminal mode ({How})")]
    public static partial void Left(ILogger logger, string device, string how);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Device}: Packet mode detected")]
    public static partial void PacketModeDetected(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Device}: packet mode requested (~p)")]
    public static partial void PacketModeRequested(ILogger logger, string device);
}
