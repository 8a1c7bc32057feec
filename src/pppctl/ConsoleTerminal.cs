using System.Text;
using RadLine;
using Spectre.Console;

namespace Ppp.Ctl;

/// <summary>
/// The console: RadLine's line editor (editing, history) when stdin and stdout are a
/// terminal that can take ANSI sequences, plain line reading otherwise (pipes, scripts).
/// </summary>
internal sealed class ConsoleTerminal : ICtlTerminal
{
    private readonly ServerPrompt _prompt = new();
    private LineEditor? _editor;
    private readonly bool _useEditor = !Console.IsInputRedirected && !Console.IsOutputRedirected && LineEditor.IsSupported(AnsiConsole.Console);

    public TextWriter Out => Console.Out;

    public TextWriter Error => Console.Error;

    public bool IsInteractive => !Console.IsInputRedirected;

    public string? ReadPassword(string prompt)
    {
        if (Console.IsInputRedirected)
            return null;
        Console.Error.Write(prompt);
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                    password.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar))
                password.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return password.ToString();
    }

    public async Task<string?> ReadLineAsync(string prompt, CancellationToken cancellationToken)
    {
        if (!_useEditor)
        {
            if (prompt.Length > 0)
            {
                await Console.Out.WriteAsync(prompt).ConfigureAwait(false);
                await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            return await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        // One editor for the whole session keeps the history; the prompt's text follows the
        // daemon's (its case shows the phase).
        _editor ??= CreateEditor(_prompt);
        _prompt.Text = prompt;
        // The editor puts each submitted line in its history itself (not a repeat of the last
        // one): adding it here too would make every line take two presses of Up.
        return await _editor.ReadLine(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One line at a time, so the arrows walk the history as in a shell. RadLine's defaults
    /// give plain Up/Down to moving between the lines of a multi-line text (nothing, in one
    /// line) and the history to Ctrl+Up/Down.
    /// </summary>
    private static LineEditor CreateEditor(ServerPrompt prompt)
    {
        var editor = new LineEditor { Prompt = prompt, MultiLine = false };
        editor.KeyBindings.Remove(ConsoleKey.UpArrow);
        editor.KeyBindings.Remove(ConsoleKey.DownArrow);
        editor.KeyBindings.Add<PreviousHistoryCommand>(ConsoleKey.UpArrow);
        editor.KeyBindings.Add<NextHistoryCommand>(ConsoleKey.DownArrow);
        // .NET reads LF as Ctrl+Enter. Enter typed before pppctl takes the terminal arrives as
        // LF (the tty's ICRNL turns CR into LF in cooked mode), and so does Ctrl+J: both end
        // the line as in a shell, where RadLine would drop them and leave the line unsent.
        editor.KeyBindings.Add<SubmitCommand>(ConsoleKey.Enter, ConsoleModifiers.Control);
        // Terminals set to erase with ^H send it for Backspace; .NET reads it as Ctrl+Backspace.
        editor.KeyBindings.Add<BackspaceCommand>(ConsoleKey.Backspace, ConsoleModifiers.Control);
        return editor;
    }

    /// <summary>The daemon's own prompt ("PPP ON host> "), shown as plain text.</summary>
    private sealed class ServerPrompt : ILineEditorPrompt
    {
        public string Text { get; set; } = "";

        public (Markup Markup, int Margin) GetPrompt(ILineEditorState state, int line) =>
            (new Markup(Markup.Escape(Text.TrimEnd())), 1);
    }
}
