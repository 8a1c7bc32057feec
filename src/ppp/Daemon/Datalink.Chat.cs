using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Ppp.Chat;
using Ppp.Daemon.Devices;
using Ppp.Tun.Tty;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The modem conversation (ppp(8) <c>set dial|login|logout|hangup</c>): dial and login run on
/// a freshly opened line before PPP starts, logout and hangup before the line is closed. The
/// line's reader feeds the chat engine through a pipe and hands PPP whatever follows the last
/// match, so a peer that starts LCP right after CONNECT loses nothing.
/// </summary>
internal sealed partial class Datalink
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromMinutes(5);

    private PhoneSchedule? _phones;
    private string _phonesKey = "";

    /// <summary>ppp(8): -direct and -dedicated ignore chat scripts unless "enable force-scripts".</summary>
    private bool ScriptsApply =>
        _options.Mode is not (DaemonMode.Direct or DaemonMode.Dedicated) || _settings.ForceScripts;

    /// <summary>The phone list position survives redials; a new <c>set phone</c> starts it over.</summary>
    private PhoneSchedule Phones()
    {
        string key = string.Join(':', _settings.PhoneNumbers.Select(g => string.Join('|', g)));
        if (_phones is null || key != _phonesKey)
        {
            _phones = new PhoneSchedule(_settings.PhoneNumbers);
            _phonesKey = key;
        }
        return _phones;
    }

    /// <summary>
    /// Runs the dial and login scripts of <paramref name="plan"/> on <paramref name="device"/>.
    /// Returns the line's reader, started and still in chat mode, for <see cref="StartSession"/>,
    /// and the failure (the hangup script has then run) or null; no reader when there is
    /// nothing to run (PPP then starts its own). Off the loop: it reads only the plan.
    /// </summary>
    private async Task<(DeviceReader? Reader, string? Failure)> ConnectScriptsAsync(DialPlan plan, IDeviceConnection device, string phone, CancellationToken cancellationToken)
    {
        if (!plan.HasScripts)
            return (null, null);
        var chat = new PipeSink();
        var reader = new DeviceReader(device, chat);
        reader.Start();
        if (phone.Length > 0)
            BundleLog.Phone(_physical, phone);
        if (plan.Provision is { } provision && await ProvisionAsync(plan, provision, reader, chat, phone, cancellationToken).ConfigureAwait(false) is { } failed)
        {
            await HangUpScriptsAsync(reader, HangUpPlan(plan, phone), loggedIn: false).ConfigureAwait(false);
            return (reader, failed);
        }
        foreach (var (name, text, state) in new[] { ("dial", plan.DialScript, DatalinkState.Dial), ("login", plan.LoginScript, DatalinkState.Login) })
        {
            if (text is null)
                continue;
            _loop.Post(() => SetState(state));
            var result = await RunScriptAsync(name, text, reader, chat, phone, plan.AuthName, plan.AuthKey, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                await HangUpScriptsAsync(reader, HangUpPlan(plan, phone), loggedIn: false).ConfigureAwait(false);
                return (reader, $"{name} script: {result.Describe()}");
            }
        }
        _loop.Post(() => SetState(DatalinkState.Ready));
        return (reader, null);
    }

    /// <summary>The hang-up scripts, read on the loop before the line is closed.</summary>
    private sealed record HangUpScripts(string? Logout, string? Hangup, string Phone, string AuthName, string AuthKey);

    private HangUpScripts HangUpPlan() => ScriptsApply
        ? new HangUpScripts(_settings.LogoutScript, _settings.HangupScript, _phones?.Current ?? "", _settings.AuthName ?? "", _settings.AuthKey ?? "")
        : new HangUpScripts(null, null, "", "", "");

    private static HangUpScripts HangUpPlan(DialPlan plan, string phone) =>
        new(null, plan.HangupScript, phone, plan.AuthName, plan.AuthKey);

    private async Task<ChatResult> RunScriptAsync(string name, string text, DeviceReader reader, PipeSink chat, string phone,
        string authName, string authKey, CancellationToken cancellationToken)
    {
        if (!ChatScript.TryParse(text, out var script, out string? error))
            return ChatResult.Failed(error, []);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ScriptLimit);
        var context = new ChatContext
        {
            PhoneNumber = phone,
            AuthName = authName,
            AuthKey = authKey,
            RunCommand = (command, ct) => RunChatCommandAsync(command, reader, chat, authKey, ct),
        };
        var output = PipeWriter.Create(new LineWriteStream(reader.Device), new StreamPipeWriterOptions(leaveOpen: true));
        BundleLog.ChatStarting(_physical, name);
        var result = await new ChatRunner(_loggers, _time).RunAsync(script, context, chat.Reader, output, limit.Token).ConfigureAwait(false);
        await output.CompleteAsync().ConfigureAwait(false);
        if (result.Succeeded)
            BundleLog.ChatDone(_physical, name);
        else
            BundleLog.ChatFailed(_physical, name, result.Describe());
        if (chat.Dropped > 0)
            BundleLog.ChatInputDropped(_physical, chat.Dropped);
        return result;
    }

    /// <summary>
    /// Logout (when PPP had started) and hangup scripts, before the line closes: the reader is
    /// turned back to a conversation. Nothing runs on a line that already hung up.
    /// </summary>
    private async Task HangUpScriptsAsync(DeviceReader reader, HangUpScripts plan, bool loggedIn)
    {
        if (reader.Ended)
            return;
        var scripts = new List<(string, string)>();
        if (loggedIn && plan.Logout is not null)
            scripts.Add(("logout", plan.Logout));
        if (plan.Hangup is not null)
            scripts.Add(("hangup", plan.Hangup));
        if (scripts.Count == 0)
            return;
        var chat = new PipeSink();
        reader.Switch(chat);
        foreach (var (name, text) in scripts)
        {
            if (reader.Ended)
                return;
            _ = await RunScriptAsync(name, text, reader, chat, plan.Phone, plan.AuthName, plan.AuthKey, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// ppp(8)'s <c>!command</c> in a script, e.g. <c>set login "\"!chat -f file\""</c>: the
    /// command's standard input and output are the line, and its standard error is the
    /// result. The line reaches it through a pty of its own, relayed both ways: chat(8) and its
    /// kind insist on a terminal (they set it raw), and our reader keeps the device meanwhile,
    /// so no byte is read by two. What the conversation had not read yet goes to it first.
    /// </summary>
    private async Task<string?> RunChatCommandAsync(string command, DeviceReader reader, PipeSink chat, string authKey, CancellationToken cancellationToken)
    {
        using var pty = PtyPair.Open();
        // The slave stays open (raw, so nothing is echoed back to the line) until the relay
        // is done: a master whose slave closed reads EIO, and the command may open it late.
        using var slave = TtyPort.Open(pty.SlavePath, new TtySettings { CtsRts = false, Local = true });
        using var master = pty.OpenMasterPort();
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec /bin/sh -c \"$1\" <\"$2\" >\"$2\"");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(command);
        info.ArgumentList.Add(pty.SlavePath);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            BundleLog.ChatCommandFailed(_physical, Redact(command, authKey), ex.Message);
            return null;
        }
        reader.Switch(new PtySink(master), keepConversation: true);
        var relay = new Thread(() => RelayToLine(master, reader.Device)) { IsBackground = true, Name = "chat command relay" };
        relay.Start();
        try
        {
            string error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                BundleLog.ChatCommandFailed(_physical, Redact(command, authKey), $"exit status {process.ExitCode}: {Redact(error.Trim(), authKey)}");
                return null;
            }
            return error.TrimEnd('\n');
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return null;
        }
        finally
        {
            reader.Switch(chat);
            master.Shutdown();
            relay.Join(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>What the command writes to its terminal goes to the line, until the master shuts down.</summary>
    private static void RelayToLine(TtyPort master, IDeviceConnection line)
    {
        var buffer = new byte[4096];
        try
        {
            while (!master.IsShutdown)
            {
                int n = master.Read(buffer, TimeSpan.FromMilliseconds(200));
                if (n == 0)
                    continue;
                buffer.AsSpan(0, n).CopyTo(line.Output.GetSpan(n));
                line.Output.Advance(n);
                line.Flush();
            }
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or ObjectDisposedException or OperationCanceledException or TimeoutException)
        {
            // The line or the pty went away: the command's exit status tells the rest.
        }
    }

    /// <summary>A command line may carry the authkey (<c>\P</c>): never into the log.</summary>
    private static string Redact(string text, string authKey) =>
        string.IsNullOrEmpty(authKey) ? text : text.Replace(authKey, ChatContext.Mask, StringComparison.Ordinal);


    /// <summary>Line bytes to the command's terminal; a command that stopped reading loses them.</summary>
    private sealed class PtySink(TtyPort master) : ILineSink
    {
        public void Receive(ReadOnlySpan<byte> data)
        {
            try
            {
                master.Write(data, TimeSpan.FromSeconds(1));
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}

internal static partial class BundleLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: Phone: {Number}")]
    public static partial void Phone(ILogger logger, string number);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: running the {Name} script")]
    public static partial void ChatStarting(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: {Name} script done")]
    public static partial void ChatDone(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: {Name} script failed: {Reason}")]
    public static partial void ChatFailed(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: chat input over 1 MiB, {Bytes} bytes dropped")]
    public static partial void ChatInputDropped(ILogger logger, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: chat command \"{Command}\" failed: {Reason}")]
    public static partial void ChatCommandFailed(ILogger logger, string command, string reason);
}
