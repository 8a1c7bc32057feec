using System.Net.Sockets;
using System.Reflection;

namespace Ppp.Ctl;

/// <summary>
/// pppctl(8): runs commands on a ppp daemon through its diagnostic socket (<c>set server</c>),
/// one-shot from the command line or interactively. Exit statuses: 0 all went well, 1 a
/// command failed, 2 usage, 3 no connection (refused, timed out, or closed under a command),
/// 4 the password was wrong or needed and not given.
/// </summary>
internal static class Program
{
    public const int ExitOk = 0;
    public const int ExitCommandFailed = 1;
    public const int ExitUsage = 2;
    public const int ExitConnection = 3;
    public const int ExitPassword = 4;

    private static async Task<int> Main(string[] args)
    {
        var (options, error) = CtlOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(CtlOptions.Usage).ConfigureAwait(false);
            return ExitUsage;
        }
        if (options.Help)
        {
            await Console.Out.WriteLineAsync(CtlOptions.Usage).ConfigureAwait(false);
            return ExitOk;
        }
        if (options.Version)
        {
            string version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "0.0";
            await Console.Out.WriteLineAsync($"pppctl version {version}").ConfigureAwait(false);
            return ExitOk;
        }
        var terminal = new ConsoleTerminal();
        return await new CtlSession(options, terminal).RunAsync().ConfigureAwait(false);
    }
}

/// <summary>Where pppctl reads and writes: the console, or a test's buffers.</summary>
internal interface ICtlTerminal
{
    TextWriter Out { get; }

    TextWriter Error { get; }

    /// <summary>True when a person types (stdin is a terminal): prompts are shown and asked.</summary>
    bool IsInteractive { get; }

    /// <summary>Asks for the password without echo; null when nobody can answer.</summary>
    string? ReadPassword(string prompt);

    /// <summary>The next command line (the server's prompt shown first when interactive); null at end of input.</summary>
    Task<string?> ReadLineAsync(string prompt, CancellationToken cancellationToken);
}

/// <summary>
/// One pppctl run: connect, give the password if the prompt asks for it, then the commands
/// from the command line or from the terminal.
/// </summary>
internal sealed class CtlSession(CtlOptions options, ICtlTerminal terminal)
{
    public async Task<int> RunAsync()
    {
        CtlConnection connection;
        Reply greeting;
        try
        {
            using var timeout = new CancellationTokenSource(options.Timeout);
            connection = await CtlConnection.ConnectAsync(options, timeout.Token).ConfigureAwait(false);
            try
            {
                greeting = await connection.ReadReplyAsync(timeout.Token).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (OperationCanceledException)
        {
            await terminal.Error.WriteLineAsync($"pppctl: {options.Target}: no answer within {options.Timeout.TotalSeconds} s").ConfigureAwait(false);
            return Program.ExitConnection;
        }
        catch (SocketException ex)
        {
            await terminal.Error.WriteLineAsync($"pppctl: {options.Target}: {Describe(ex)}").ConfigureAwait(false);
            return Program.ExitConnection;
        }

        await using (connection.ConfigureAwait(false))
        {
            if (greeting.Closed)
            {
                await terminal.Error.WriteLineAsync($"pppctl: {options.Target}: closed by ppp{(greeting.Output.Length > 0 ? ": " + greeting.Output.Trim() : "")}").ConfigureAwait(false);
                return Program.ExitConnection;
            }
            string prompt = greeting.Prompt!;
            if (options.Verbose)
                await terminal.Out.WriteAsync(greeting.Output + prompt).ConfigureAwait(false);
            if (!greeting.Authorised)
            {
                var (status, authorisedPrompt) = await AuthoriseAsync(connection).ConfigureAwait(false);
                if (authorisedPrompt is null)
                    return status;
                prompt = authorisedPrompt;
            }
            return options.Commands.Count > 0
                ? await OneShotAsync(connection, prompt).ConfigureAwait(false)
                : await InteractiveAsync(connection, prompt).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Why a connection failed, in words about the target: the socket errors of a local path
    /// that is missing or not a socket read as network errors ("Cannot assign requested address").
    /// </summary>
    private string Describe(SocketException ex)
    {
        if (options.LocalPath is { } path)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
                return "no such socket (is ppp running with \"set server\" on this path?)";
            if ((File.GetAttributes(path) & FileAttributes.Directory) != 0 || ex.SocketErrorCode == SocketError.AddressNotAvailable)
                return "not a socket";
            if (ex.SocketErrorCode == SocketError.ConnectionRefused)
                return "connection refused: not a socket, or ppp no longer listens on it";
        }
        return ex.Message;
    }

    private async Task<(int Status, string? Prompt)> AuthoriseAsync(CtlConnection connection)
    {
        string? password = options.Password ?? (terminal.IsInteractive ? terminal.ReadPassword("Password: ") : null);
        if (password is null)
        {
            await terminal.Error.WriteLineAsync($"pppctl: {options.Target}: ppp wants a password: give it with -p").ConfigureAwait(false);
            return (Program.ExitPassword, null);
        }
        if (options.Verbose)
            await terminal.Out.WriteLineAsync("passwd ********").ConfigureAwait(false);
        await connection.SendAsync($"passwd \"{password.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"", CancellationToken.None).ConfigureAwait(false);
        var reply = await connection.ReadReplyAsync(CancellationToken.None).ConfigureAwait(false);
        if (!reply.Authorised)
        {
            await terminal.Error.WriteLineAsync($"pppctl: {options.Target}: Invalid password").ConfigureAwait(false);
            return (Program.ExitPassword, null);
        }
        if (options.Verbose)
            await terminal.Out.WriteAsync(reply.Output + reply.Prompt).ConfigureAwait(false);
        return (Program.ExitOk, reply.Prompt);
    }

    private async Task<int> OneShotAsync(CtlConnection connection, string prompt)
    {
        int status = Program.ExitOk;
        foreach (string command in options.Commands)
        {
            if (options.Verbose)
                await terminal.Out.WriteLineAsync(command).ConfigureAwait(false);
            await connection.SendAsync(command, CancellationToken.None).ConfigureAwait(false);
            var reply = await connection.ReadReplyAsync(CancellationToken.None).ConfigureAwait(false);
            if (await WriteReplyAsync(reply).ConfigureAwait(false))
                status = Program.ExitCommandFailed;
            if (reply.Closed)
            {
                if (IsQuit(command))
                    return status;
                await terminal.Error.WriteLineAsync($"pppctl: {options.Target}: ppp closed the connection").ConfigureAwait(false);
                return Program.ExitConnection;
            }
            prompt = reply.Prompt!;
            if (options.Verbose)
                await terminal.Out.WriteAsync(prompt).ConfigureAwait(false);
        }
        await QuitAsync(connection).ConfigureAwait(false);
        return status;
    }

    private async Task<int> InteractiveAsync(CtlConnection connection, string prompt)
    {
        bool showPrompt = terminal.IsInteractive || options.Verbose;
        while (true)
        {
            string? line = await terminal.ReadLineAsync(showPrompt ? prompt : "", CancellationToken.None).ConfigureAwait(false);
            if (line is null)
            {
                await QuitAsync(connection).ConfigureAwait(false);
                return Program.ExitOk;
            }
            if (line.Trim().Length == 0)
                continue;
            await connection.SendAsync(line, CancellationToken.None).ConfigureAwait(false);
            var reply = await connection.ReadReplyAsync(CancellationToken.None).ConfigureAwait(false);
            await WriteReplyAsync(reply).ConfigureAwait(false);
            if (reply.Closed)
                return IsQuit(line) ? Program.ExitOk : Program.ExitConnection;
            prompt = reply.Prompt!;
        }
    }

    /// <summary>Output lines to stdout, <c>Error: </c> lines to stderr; true if there was an error.</summary>
    private async Task<bool> WriteReplyAsync(Reply reply)
    {
        bool failed = false;
        foreach (string line in reply.Lines)
        {
            if (line.StartsWith(Reply.ErrorPrefix, StringComparison.Ordinal))
            {
                failed = true;
                await terminal.Error.WriteLineAsync(line).ConfigureAwait(false);
            }
            else
            {
                await terminal.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
        await terminal.Out.FlushAsync().ConfigureAwait(false);
        return failed;
    }

    private static async Task QuitAsync(CtlConnection connection)
    {
        try
        {
            await connection.SendAsync("quit", CancellationToken.None).ConfigureAwait(false);
            await connection.ReadReplyAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // Gone already: nothing to end.
        }
    }

    /// <summary>"quit", "quit all", "bye" or a prefix of them: the daemon ends the session without a prompt.</summary>
    private static bool IsQuit(string command)
    {
        string word = command.Trim().Split(' ', 2)[0];
        return word.Length > 0 && ("quit".StartsWith(word, StringComparison.OrdinalIgnoreCase) || "bye".StartsWith(word, StringComparison.OrdinalIgnoreCase));
    }
}
