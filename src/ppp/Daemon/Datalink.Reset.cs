using Microsoft.Extensions.Logging;
using Ppp.Chat;
using Ppp.Core.Config;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Runtime;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The modem reset of issue 15 (<c>set reset</c>): a chat script sent on the device, or a
/// program run off the line; and the device found again afterwards, since a USB modem comes
/// back under another name (<see cref="DeviceGlob"/>). The bundle's supervisor decides when.
/// </summary>
internal sealed partial class Datalink
{
    private static readonly TimeSpan AppearPoll = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, string> _resolved = new(StringComparer.Ordinal);
    private Task _lastHangUp = Task.CompletedTask;

    /// <summary>Times a glob or a link of <c>set device</c> was found to name another device than the attempt before.</summary>
    public int DeviceRenames { get; private set; }

    /// <summary>Attempts that looked for the device again after a reset.</summary>
    public int DeviceSearches { get; private set; }

    /// <summary>
    /// Resets the modem with <paramref name="script"/> and calls <paramref name="done"/> on the
    /// loop with null, or why it failed. Call on the loop, with no attempt or session under way.
    /// </summary>
    public void ResetModem(string script, Action<string?> done)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(done);
        if (Session is not null || _dialing is not null)
        {
            done("the line is in use");
            return;
        }
        ResetLog.Resetting(_phase, script.Length > 1 && script[0] == '!' ? "command" : "chat script");
        if (script.Length > 1 && script[0] == '!')
        {
            // Off the line (a USB power toggle, a GPIO): the program's exit status is the outcome.
            var run = ProgramRunner.Start(["/bin/sh", "-c", script[1..]], background: false, new Dictionary<string, string>(), _physical);
            _ = run.ContinueWith(t => _loop.Post(() => done(t.IsCompletedSuccessfully ? t.Result.Outcome.Error : "the reset command did not run")),
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }
        var devices = DeviceList(out string? error);
        if (devices is null)
        {
            done(error);
            return;
        }
        var plan = new ResetPlan(devices, TtyOptions(), script, _settings.AuthName ?? "", _settings.AuthKey ?? "", _lastHangUp);
        _ = Task.Run(async () =>
        {
            string? failure = await ResetOnLineAsync(plan).ConfigureAwait(false);
            _loop.Post(() => done(failure));
        });
    }

    private sealed record ResetPlan(List<DeviceSpec> Devices, TtyOpenOptions Tty, string Script, string AuthName, string AuthKey, Task HangUp);

    /// <summary>Opens the first device that opens, sends the reset script, and lets the line go. Off the loop.</summary>
    private async Task<string?> ResetOnLineAsync(ResetPlan plan)
    {
        // The last session's hang-up (logout, hangup scripts) still holds the line until it is done.
        await plan.HangUp.ConfigureAwait(false);
        string reason = "no device could be opened";
        foreach (var (_, spec) in Candidates(plan.Devices, ref reason))
        {
            IDeviceConnection device;
            try
            {
                device = await DeviceOpener.OpenAsync(spec, plan.Tty with { RequireCarrier = false }, _physical, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception
                                           or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                reason = $"{spec.Text}: {ex.Message}";
                continue;
            }
            var chat = new PipeSink();
            var reader = new DeviceReader(device, chat);
            reader.Start();
            try
            {
                var result = await RunScriptAsync("reset", plan.Script, reader, chat, "", plan.AuthName, plan.AuthKey, CancellationToken.None).ConfigureAwait(false);
                return result.Succeeded ? null : $"{spec.Text}: reset script: {result.Describe()}";
            }
            finally
            {
                reader.HangingUp = true;
                try
                {
                    await device.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                    // A module that left the bus on reset took the line with it.
                }
            }
        }
        return reason;
    }

    /// <summary>After a reset: waits, on the loop's clock, until a device of the list is there or the wait is over. False when cancelled.</summary>
    private async Task<bool> WaitForDeviceAsync(DialPlan plan, CancellationToken token)
    {
        if (plan.AppearWait <= TimeSpan.Zero)
            return true;
        _loop.Post(() => DeviceSearches++);
        var deadline = _time.GetUtcNow() + plan.AppearWait;
        while (!DeviceGlob.AnyPresent(plan.Devices))
        {
            if (_time.GetUtcNow() >= deadline)
            {
                ResetLog.DeviceMissing(_physical, string.Join(' ', plan.Devices.Select(d => d.Text)), LinkPolicyText(plan.AppearWait));
                return true;
            }
            try
            {
                await Task.Delay(AppearPoll, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return true;
    }

    private static string LinkPolicyText(TimeSpan wait) => Supervision.LinkPolicy.Seconds(wait);

    /// <summary>Each device of the list as it resolves now (globs expanded), with the entry it came from.</summary>
    private static List<(DeviceSpec Configured, DeviceSpec Resolved)> Candidates(List<DeviceSpec> devices, ref string reason)
    {
        var list = new List<(DeviceSpec, DeviceSpec)>();
        foreach (var spec in devices)
        {
            var resolved = DeviceGlob.Resolve(spec);
            if (resolved.Count == 0)
                reason = $"{spec.Text}: no device matches";
            list.AddRange(resolved.Select(r => (spec, r)));
        }
        return list;
    }

    /// <summary>On the loop: a glob or link that now names another device is logged and counted.</summary>
    private void NoteResolved(DeviceSpec configured, DeviceSpec opened, string target)
    {
        bool indirect = DeviceGlob.IsGlob(configured) || !string.Equals(target, opened.Path ?? opened.Text, StringComparison.Ordinal);
        if (!indirect)
            return;
        string now = DeviceGlob.IsGlob(configured) ? $"{opened.Text} ({target})" : target;
        if (_resolved.TryGetValue(configured.Text, out string? before) && before != now)
        {
            DeviceRenames++;
            ResetLog.DeviceRenamed(_physical, configured.Text, now, before);
        }
        else if (before is null)
        {
            ResetLog.DeviceResolved(_physical, configured.Text, now);
        }
        _resolved[configured.Text] = now;
    }
}

internal static partial class ResetLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: resetting the modem ({How})")]
    public static partial void Resetting(ILogger logger, string how);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Configured} is {Now}")]
    public static partial void DeviceResolved(ILogger logger, string configured, string now);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: {Configured} is now {Now} (was {Before})")]
    public static partial void DeviceRenamed(ILogger logger, string configured, string now, string before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: {Devices}: no device appeared within {Wait} of the reset")]
    public static partial void DeviceMissing(ILogger logger, string devices, string wait);
}
