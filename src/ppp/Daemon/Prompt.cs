using Ppp.Core.Commands;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The interactive prompt: <c>ppp ON host&gt; </c>, where the case of "ppp" shows the phase.
/// Each line runs through the same interpreter as ppp.conf, on the link loop. End of input
/// is <c>quit</c>.
/// </summary>
internal static class Prompt
{
    public static async Task RunAsync(Bundle bundle, CommandInterpreter interpreter, TextReader input, TextWriter output)
    {
        string host = Environment.MachineName;
        while (true)
        {
            string prompt = await bundle.Loop.InvokeAsync(() => interpreter.Prompt(host)).ConfigureAwait(false);
            await output.WriteAsync(prompt).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
            string? line = await input.ReadLineAsync().ConfigureAwait(false);
            if (line is null)
            {
                await bundle.Loop.InvokeAsync(() => bundle.Quit(all: true)).ConfigureAwait(false);
                return;
            }
            if (line.Trim().Length == 0)
                continue;
            var result = await bundle.Loop.InvokeAsync(() => interpreter.Execute(line, CommandOrigin.Prompt, output)).ConfigureAwait(false);
            if (!result.Success && result.Error is not null)
                await output.WriteLineAsync(result.Error).ConfigureAwait(false);
            if (bundle.Exited.IsCompleted)
                return;
        }
    }
}
