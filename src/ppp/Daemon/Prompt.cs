using Ppp.Core.Commands;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// The interactive prompt: <c>ppp ON host&gt; </c>, where the case of "ppp" shows the phase.
/// Each line runs through the same interpreter as ppp.conf, on the link loop; after
/// <c>term</c> the prompt runs the <see cref="Terminal"/> on the same input. End of input is
/// <c>quit</c>.
/// </summary>
internal static class Prompt
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Starts the prompt on standard input and output. Stop it (<see cref="Running.StopAsync"/>)
    /// before the bundle is disposed: a terminal in progress closes its line and gives the
    /// keyboard its settings back.
    /// </summary>
    public static Running Start(Bundle bundle, CommandInterpreter interpreter)
    {
        var stop = new CancellationTokenSource();
        var input = TerminalInput.StandardInput();
        var screen = Console.OpenStandardOutput();
        var task = Task.Run(() => RunAsync(bundle, interpreter, input, Console.Out, screen, stop.Token));
        return new Running(task, stop, screen);
    }

    public static async Task RunAsync(Bundle bundle, CommandInterpreter interpreter, TerminalInput input, TextWriter output, Stream screen,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(interpreter);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        string host = Environment.MachineName;
        while (!cancellationToken.IsCancellationRequested)
        {
            string prompt = await bundle.Loop.InvokeAsync(() => interpreter.Prompt(host)).ConfigureAwait(false);
            await output.WriteAsync(prompt).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            string? line;
            try
            {
                line = input.ReadLine(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (line is null)
            {
                await bundle.Loop.InvokeAsync(() => bundle.Quit(all: true)).ConfigureAwait(false);
                return;
            }
            if (line.Trim().Length == 0)
                continue;
            var (result, programs) = await bundle.Loop.InvokeAsync(() => (interpreter.Execute(line, CommandOrigin.Prompt, output), bundle.TakePrograms())).ConfigureAwait(false);
            if (!result.Success && result.Error is not null)
                await output.WriteLineAsync(result.Error).ConfigureAwait(false);
            // A foreground program ran off the loop: its output comes before the next prompt.
            await Bundle.WriteProgramsAsync(programs, output).ConfigureAwait(false);
            if (bundle.Exited.IsCompleted)
                return;
            var terminal = await bundle.Loop.InvokeAsync(bundle.TakeTerminalRequest).ConfigureAwait(false);
            if (terminal is not null)
                await Terminal.RunAsync(bundle, interpreter, terminal, input, output, screen, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A started prompt, for the host to stop when ppp exits.</summary>
    internal sealed class Running(Task task, CancellationTokenSource stop, Stream screen)
    {
        /// <summary>Stops reading and waits (a few seconds at most) for a terminal to close its line.</summary>
        public async Task StopAsync()
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await task.WaitAsync(StopWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Exit anyway: the process's end closes the line. The screen stays open for a
                // terminal that may still write to it.
                return;
            }
            stop.Dispose();
            await screen.DisposeAsync().ConfigureAwait(false);
        }
    }
}
