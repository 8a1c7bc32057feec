namespace Ppp.ModemSim.Tests.Chat;

/// <summary>
/// A chat engine that runs a script in chat(8) syntax (no ppp.conf escaping) over a device:
/// Debian's chat(8) here, our own engine as a second runner of the same table.
/// </summary>
internal interface IChatRunner
{
    /// <summary>For test names and messages.</summary>
    string Name { get; }

    /// <summary>
    /// Runs <paramref name="scriptText"/> (chat -f file contents) on <paramref name="devicePath"/>,
    /// with <paramref name="phone"/> for \T, and reports how it ended. Gives up with
    /// <see cref="ChatEnd.Error"/> after <paramref name="limit"/>.
    /// </summary>
    Task<ChatRun> Run(string scriptText, string devicePath, string? phone, TimeSpan limit, CancellationToken cancellationToken = default);
}
