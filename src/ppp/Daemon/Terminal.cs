using System.Net.Sockets;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// ppp(8)'s terminal mode, which the prompt runs after <c>term</c>: the keyboard goes to the
/// device and the device to the screen, with <c>~</c> escapes (<see cref="TerminalEscapes"/>),
/// until <c>~.</c>, the end of input, a hang-up, or PPP: a good LCP frame from the peer
/// (<see cref="TerminalSink"/>) or <c>~p</c> hands the line to the link and the prompt comes
/// back while LCP negotiates.
/// </summary>
internal static class Terminal
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private enum Ending
    {
        Left,
        EndOfInput,
        HungUp,
        PacketDetected,
        PacketRequested,
        KeyboardFailed,
    }

    /// <summary>
    /// Runs terminal mode on the first of <paramref name="devices"/> that opens. Returns when
    /// the prompt may carry on; a cancelled <paramref name="cancellationToken"/> (ppp is
    /// exiting) closes the line and returns without touching the bundle.
    /// </summary>
    /// <param name="output">Messages and the output of <c>~t</c> and <c>~m</c>.</param>
    /// <param name="screen">Where the device's bytes go as they are (the same terminal as <paramref name="output"/>).</param>
    public static async Task RunAsync(Bundle bundle, CommandInterpreter interpreter, List<DeviceSpec> devices, TerminalInput input,
        TextWriter output, Stream screen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(input);
        IDeviceConnection? device = null;
        string? error;
        try
        {
            (device, error) = await bundle.OpenTerminalDeviceAsync(devices, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (device is null)
        {
            await output.WriteLineAsync($"term: {error}").ConfigureAwait(false);
            await bundle.Loop.InvokeAsync(() => bundle.TerminalEnded(devices[0].Text, null)).ConfigureAwait(false);
            return;
        }

        var sink = new TerminalSink(bytes =>
        {
            screen.Write(bytes);
            screen.Flush();
        });
        var reader = new DeviceReader(device, sink);
        string? lineError = null;
        reader.OnEnded(reason => lineError = reason);

        Ending ending;
        string? keyboardError = null;
        try
        {
            await output.WriteLineAsync($"deflink: Entering terminal mode on {device.Name}").ConfigureAwait(false);
            await output.WriteLineAsync("Type '~?' for help").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            reader.Start();
            using (input.EnterRawMode())
                ending = await ConverseAsync(bundle, interpreter, input, output, device, reader, sink, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ending = Ending.Left;
        }
        catch (IOException ex)
        {
            // The keyboard failed (poll, read or its settings): nobody can type to the line.
            ending = Ending.KeyboardFailed;
            keyboardError = ex.Message;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            await CloseAsync(reader).ConfigureAwait(false);
            return;
        }
        switch (ending)
        {
            case Ending.PacketDetected or Ending.PacketRequested:
                bool detected = ending == Ending.PacketDetected;
                await output.WriteLineAsync(detected ? "\ndeflink: Packet mode detected." : "\ndeflink: Entering packet mode").ConfigureAwait(false);
                await bundle.Loop.InvokeAsync(() => bundle.TerminalToPacketMode(device, reader, detected)).ConfigureAwait(false);
                return;
            case Ending.HungUp:
                await output.WriteLineAsync($"\ndeflink: {device.Name}: the line hung up{(lineError is null ? "" : $" ({lineError})")}").ConfigureAwait(false);
                break;
            case Ending.KeyboardFailed:
                await output.WriteLineAsync($"\nterm: {keyboardError}").ConfigureAwait(false);
                break;
            default:
                await output.WriteLineAsync().ConfigureAwait(false);
                break;
        }
        await CloseAsync(reader).ConfigureAwait(false);
        string how = ending switch
        {
            Ending.HungUp => "hang-up",
            Ending.EndOfInput => "end of input",
            Ending.KeyboardFailed => $"keyboard: {keyboardError}",
            _ => "~.",
        };
        await bundle.Loop.InvokeAsync(() => bundle.TerminalEnded(device.Name, how)).ConfigureAwait(false);
    }

    /// <summary>Keyboard to device until something ends terminal mode.</summary>
    private static async Task<Ending> ConverseAsync(Bundle bundle, CommandInterpreter interpreter, TerminalInput input, TextWriter output,
        IDeviceConnection device, DeviceReader reader, TerminalSink sink, CancellationToken cancellationToken)
    {
        var escapes = new TerminalEscapes();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (sink.PacketDetected)
                return Ending.PacketDetected;
            if (reader.Ended)
                return Ending.HungUp;
            var state = input.Fill(Tick);
            if (state == TerminalInputState.TimedOut)
            {
                sink.FlushStale();
                continue;
            }
            if (state == TerminalInputState.End)
                return Ending.EndOfInput;

            int used = escapes.Process(input.Buffered, device.Output, out var escape);
            input.Consume(used);
            if (!Send(device))
                return Ending.HungUp;
            switch (escape)
            {
                case TerminalEscape.Leave:
                    return Ending.Left;
                case TerminalEscape.PacketMode:
                    return Ending.PacketRequested;
                case TerminalEscape.Help:
                    await output.WriteAsync("\n" + TerminalEscapes.HelpText).ConfigureAwait(false);
                    break;
                case TerminalEscape.Timers:
                    await ShowAsync(bundle, interpreter, "show timer", output).ConfigureAwait(false);
                    break;
                case TerminalEscape.Memory:
                    await ShowAsync(bundle, interpreter, "show mem", output).ConfigureAwait(false);
                    break;
            }
        }
        return Ending.Left;
    }

    /// <summary>Writes what the keyboard produced; false when the line is gone.</summary>
    private static bool Send(IDeviceConnection device)
    {
        try
        {
            device.Flush();
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException
                                       or TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task ShowAsync(Bundle bundle, CommandInterpreter interpreter, string command, TextWriter output)
    {
        await output.WriteLineAsync().ConfigureAwait(false);
        var result = await bundle.Loop.InvokeAsync(() => interpreter.Execute(command, CommandOrigin.Prompt, output)).ConfigureAwait(false);
        if (!result.Success && result.Error is not null)
            await output.WriteLineAsync(result.Error).ConfigureAwait(false);
    }

    private static async Task CloseAsync(DeviceReader reader)
    {
        reader.HangingUp = true;
        try
        {
            await reader.Device.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Closing is all that is left to do with this line; the hang-up already happened.
        }
    }
}
