namespace Ppp.Chat;

/// <summary>
/// What one run of a script may fill in and call out to. <see cref="AuthKey"/> is a secret: it is
/// sent where the script says <c>\P</c> but never logged, displayed or returned in a result;
/// every text the engine logs passes through <see cref="Redact"/>.
/// </summary>
internal sealed class ChatContext
{
    /// <summary>What a secret is logged as, as ppp(8) logs "set authkey".</summary>
    public const string Mask = "********";

    /// <summary>The number for <c>\T</c> (see <see cref="PhoneSchedule"/>).</summary>
    public string PhoneNumber { get; init; } = "";

    /// <summary>The value for <c>\U</c> ("set authname").</summary>
    public string AuthName { get; init; } = "";

    /// <summary>The value for <c>\P</c> ("set authkey").</summary>
    public string AuthKey { get; init; } = "";

    /// <summary>
    /// Where chat(8) would write to its standard error: SAY strings and, while ECHO is on, the
    /// lines received. The daemon shows them on the prompt that started the dial; null drops them
    /// (they are logged either way).
    /// </summary>
    public Action<string>? Display { get; init; }

    /// <summary>
    /// Runs a ppp(8) <c>!command</c> string with the device as its standard input and output and
    /// returns its standard error output, which replaces the string; null when it could not run or
    /// exited non-zero, which fails the script. Without it a <c>!command</c> string fails the script.
    /// </summary>
    public Func<string, CancellationToken, Task<string?>>? RunCommand { get; init; }

    /// <summary>The text with every occurrence of the authkey replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AuthKey.Length == 0 ? text : text.Replace(AuthKey, Mask, StringComparison.Ordinal);
    }

    public override string ToString() => $"phone \"{PhoneNumber}\", authname \"{AuthName}\", authkey {Mask}";
}
