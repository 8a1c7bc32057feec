namespace Ppp.Core.Commands;

public enum CommandSource
{
    /// <summary>A line of ppp.conf, ppp.linkup or ppp.linkdown.</summary>
    File,
    /// <summary>The interactive prompt.</summary>
    Prompt,
    /// <summary>The diagnostic socket (pppctl).</summary>
    Socket,
}

/// <summary>Where a command line came from; file errors are prefixed with <c>file:line: </c>.</summary>
public sealed record CommandOrigin(CommandSource Source, string? Path = null, int Line = 0)
{
    public static CommandOrigin Prompt { get; } = new(CommandSource.Prompt);

    public static CommandOrigin Socket { get; } = new(CommandSource.Socket);

    public static CommandOrigin File(string path, int line) => new(CommandSource.File, path, line);

    /// <summary>A line from one diagnostic-socket session (<c>passwd</c>, <c>quit</c> and <c>show who</c> act on it).</summary>
    public static CommandOrigin ForSession(IControlSession session) => new(CommandSource.Socket) { Session = session };

    /// <summary>The diagnostic-socket session the line came from; null for files and the prompt.</summary>
    public IControlSession? Session { get; init; }

    public override string ToString() => Source switch
    {
        CommandSource.File => $"{Path}:{Line}",
        CommandSource.Prompt => "prompt",
        _ => Session?.Name ?? "socket",
    };
}

/// <summary>
/// One client of the diagnostic socket, as the commands see it. ppp(8): until <c>passwd</c>
/// succeeds (when the server has a password) only <c>passwd</c>, <c>quit</c> and <c>help</c> run,
/// and the prompt shows a lower-case "on". Members are called on the link loop.
/// </summary>
public interface IControlSession
{
    /// <summary>Unique among the open sessions: <c>show who</c> marks the caller's by it.</summary>
    int Id { get; }

    /// <summary>What <c>show who</c> prints: "tcp (127.0.0.1:40122)", "local (/run/ppp0.sock #3)".</summary>
    string Name { get; }

    bool Authorised { get; }

    /// <summary><c>passwd</c>: checks the password in constant time; null when it matched, else why not.</summary>
    string? Authorise(string password);

    /// <summary><c>quit</c>: the session ends once this command's output is written.</summary>
    void EndSession();
}

/// <summary>The outcome of one command line: <see cref="Error"/> is null when it worked.</summary>
public sealed record CommandResult(string? Error)
{
    public static CommandResult Ok { get; } = new((string?)null);

    public bool Success => Error is null;
}
