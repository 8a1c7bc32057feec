namespace Ppp.Core.Config;

/// <summary>
/// ppp(8)'s expansion of command arguments, applied as a line is split into words:
/// <c>$NAME</c> and <c>${NAME}</c> become the environment variable's value (empty when it is
/// unset), in or out of double quotes; <c>~</c> and <c>~user</c> at the start of an unquoted word
/// become that home directory. A <c>$</c> not followed by a name or <c>{</c> stays as it is (chat
/// scripts expect <c>"$ "</c> prompts). The lookups are injected: the core reads no environment
/// and no password database itself.
/// </summary>
public sealed class WordExpansion(Func<string, string?> variable, Func<string?, string?> home)
{
    /// <summary>The value of an environment variable, or null when it is unset.</summary>
    public string? Variable(string name) => variable(name);

    /// <summary>The home directory of a user (null: the current one), or null when there is no such user.</summary>
    public string? Home(string? user) => home(user);

    internal static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
