using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Ppp.ModemSim.Tests.Chat;

/// <summary>
/// Debian's /usr/sbin/chat (package ppp; needs no kernel PPP): <c>chat -v -s -f script</c>
/// with its stdin and stdout on the device, the way pppd's <c>connect</c> runs it. Exit
/// status 0 is connected, 3 a timeout, 4+n the n-th ABORT string (named in its log as
/// "Failed (STRING)"), anything else an error.
/// </summary>
internal sealed partial class Chat8Runner : IChatRunner
{
    public const string Program = "/usr/sbin/chat";

    public string Name => "chat(8)";

    public async Task<ChatRun> Run(string scriptText, string devicePath, string? phone, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        string script = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(script, scriptText, cancellationToken);
            // The shell only opens the device onto fds 0 and 1; the paths travel as $1 $2 $3, never re-parsed.
            var info = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string argument in (string[])["-c", "exec \"$1\" -v -s ${3:+-T \"$3\"} -f \"$2\" <\"$4\" >\"$4\"", "sh", Program, script, phone ?? "", devicePath])
            {
                info.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Program}");
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                return new ChatRun(new ChatOutcome(ChatEnd.Error), $"killed after {limit}\n{await stderr}");
            }

            string log = await stderr;
            int code = process.ExitCode;
            ChatOutcome outcome = code switch
            {
                0 => ChatOutcome.Connected,
                3 => ChatOutcome.Timeout,
                >= 4 when FailedOn().Match(log) is { Success: true } failed => ChatOutcome.Aborted(failed.Groups[1].Value),
                >= 4 => ChatOutcome.Aborted(string.Create(CultureInfo.InvariantCulture, $"#{code - 4}")),
                _ => new ChatOutcome(ChatEnd.Error),
            };
            return new ChatRun(outcome, $"chat exit {code}\n{log}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"^Failed \((.*)\)$", RegexOptions.Multiline)]
    private static partial Regex FailedOn();
}
