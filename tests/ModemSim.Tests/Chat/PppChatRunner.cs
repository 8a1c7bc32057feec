using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Ppp.Chat;
using Ppp.Daemon.Devices;
using Ppp.Daemon.Logging;
using Ppp.Tun.Tty;
using Engine = Ppp.Chat.ChatOutcome;

namespace Ppp.ModemSim.Tests.Chat;

/// <summary>
/// Our own engine (src/Ppp.Chat) over the daemon's own line plumbing, as a dial runs: the
/// device opened as a tty (UUCP lock, raw termios), one reader thread feeding the
/// conversation's pipe, writes straight to the line.
/// </summary>
internal sealed class PppChatRunner : IChatRunner
{
    public string Name => "ppp";

    public async Task<ChatRun> Run(string scriptText, string devicePath, string? phone, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        using var transcript = new StringWriter();
        if (!ChatScript.TryParseFile(scriptText, out var script, out string? error))
            return new ChatRun(new ChatOutcome(ChatEnd.Error), $"parse: {error}");
        string locks = Directory.CreateTempSubdirectory("uppp-chat-locks-").FullName;
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(LogRouter.Everything(transcript)));
        var options = new TtyOpenOptions(new TtySettings { Speed = 115200, CtsRts = false, Local = true }, RequireCarrier: false, LockDirectory: locks);
        var device = TtyDevice.Open(devicePath, options, loggers.CreateLogger("Physical"));
        try
        {
            var conversation = new PipeSink();
            var reader = new DeviceReader(device, conversation);
            reader.Start();
            var output = PipeWriter.Create(new LineWriteStream(device), new StreamPipeWriterOptions(leaveOpen: true));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            var context = new ChatContext { PhoneNumber = phone ?? "" };
            var result = await new ChatRunner(loggers, TimeProvider.System).RunAsync(script, context, conversation.Reader, output, timeout.Token);
            reader.HangingUp = true;
            var outcome = result.Outcome switch
            {
                Engine.Success => ChatOutcome.Connected,
                Engine.Timeout => ChatOutcome.Timeout,
                Engine.Aborted => ChatOutcome.Aborted(result.Detail ?? ""),
                _ => new ChatOutcome(ChatEnd.Error),
            };
            return new ChatRun(outcome, $"{result.Describe()} (exit {result.ExitCode})\n{transcript}");
        }
        finally
        {
            await device.DisposeAsync();
            Directory.Delete(locks, recursive: true);
        }
    }
}
