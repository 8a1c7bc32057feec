using System.Text;

namespace Ppp.Core.Config;

/// <summary>
/// ppp(8)'s word substitution for <c>!</c>/<c>shell</c>, <c>bg</c>, <c>log</c> and
/// ppp.linkup/ppp.linkdown lines: AUTHNAME, COMPILATIONDATE, DNS0, DNS1, ENDDISC, HISADDR,
/// HISADDR6, INTERFACE, IPOCTETSIN..., LABEL, MYADDR, MYADDR6, OCTETSIN..., PEER_ENDDISC,
/// PROCESSID, SOCKNAME, UPTIME, USER, VERSION. A word is replaced where it stands alone and where
/// it is embedded in an argument (<c>--peer=HISADDR</c>, <c>HISADDR:80</c>), but not inside a
/// longer name: letters, digits and '_' around it make it part of another word, so
/// <c>HISADDR6</c> is never read as <c>HISADDR</c> followed by 6. Words without a value are left
/// as they are.
/// </summary>
public static class Substitution
{
    /// <summary>The words ppp(8) defines.</summary>
    public static IReadOnlyList<string> KnownWords { get; } =
    [
        "AUTHNAME", "COMPILATIONDATE", "DNS0", "DNS1", "ENDDISC", "HISADDR", "HISADDR6", "INTERFACE",
        "IPOCTETSIN", "IPOCTETSOUT", "IPPACKETSIN", "IPPACKETSOUT", "IPV6OCTETSIN", "IPV6OCTETSOUT",
        "IPV6PACKETSIN", "IPV6PACKETSOUT", "LABEL", "MYADDR", "MYADDR6", "OCTETSIN", "OCTETSOUT",
        "PACKETSIN", "PACKETSOUT", "PEER_ENDDISC", "PROCESSID", "SOCKNAME", "UPTIME", "USER", "VERSION",
    ];

    public static IReadOnlyList<string> Substitute(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> words)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(words);
        return [.. argv.Select(a => Substitute(a, words))];
    }

    public static string Substitute(string arg, IReadOnlyDictionary<string, string> words)
    {
        ArgumentNullException.ThrowIfNull(arg);
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0)
            return arg;
        StringBuilder? result = null;
        int i = 0;
        int copied = 0;
        while (i < arg.Length)
        {
            if (!IsNameChar(arg[i]))
            {
                i++;
                continue;
            }
            int end = i;
            while (end < arg.Length && IsNameChar(arg[end]))
                end++;
            string name = arg[i..end];
            if (words.TryGetValue(name, out string? value))
            {
                result ??= new StringBuilder(arg.Length + 16);
                result.Append(arg, copied, i - copied).Append(value);
                copied = end;
            }
            i = end;
        }
        if (result is null)
            return arg;
        return result.Append(arg, copied, arg.Length - copied).ToString();
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
