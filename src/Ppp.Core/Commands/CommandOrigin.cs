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

    public override string ToString() => Source switch
    {
        CommandSource.File => $"{Path}:{Line}",
        CommandSource.Prompt => "prompt",
        _ => "socket",
    };
}

/// <summary>The outcome of one command line: <see cref="Error"/> is null when it worked.</summary>
public sealed record CommandResult(string? Error)
{
    public static CommandResult Ok { get; } = new((string?)null);

    public bool Success => Error is null;
}
