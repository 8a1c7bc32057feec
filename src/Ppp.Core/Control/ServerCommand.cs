using System.Globalization;
using System.Net;

namespace Ppp.Core.Control;

/// <summary>What <c>set server|socket</c> asks for.</summary>
public enum ServerAction
{
    /// <summary>Listen on a new endpoint (closing the old one and its sessions).</summary>
    Listen,
    /// <summary><c>none</c>: close the socket and forget its settings.</summary>
    None,
    /// <summary><c>open</c>: open the configured socket again.</summary>
    Open,
    /// <summary><c>closed</c>: close the socket, keep its settings for <c>open</c>.</summary>
    Closed,
}

/// <summary>
/// Where the diagnostic socket listens: a Unix-domain path (absolute; the first <c>%d</c> is the
/// unit number) created under a umask, or a TCP port (<c>+N</c> adds the unit number) on
/// loopback unless an address is written before it (<c>0.0.0.0:3000</c>, <c>[::1]:3000</c>).
/// </summary>
public sealed record ServerEndpoint
{
    /// <summary>ppp(8)'s example mask: the socket file is for its owner only.</summary>
    public const int DefaultMask = 0x7F; // 0177

    public string? LocalPath { get; init; }

    /// <summary>The address to bind; null binds loopback only.</summary>
    public IPAddress? Address { get; init; }

    public int Port { get; init; }

    public bool AddUnit { get; init; }

    /// <summary>The umask the socket file is created under (octal on the command line).</summary>
    public int Mask { get; init; } = DefaultMask;

    public bool IsLocal => LocalPath is not null;

    /// <summary>The path with <c>%d</c> replaced by <paramref name="unit"/>.</summary>
    public string ResolvePath(int unit)
    {
        string path = LocalPath ?? throw new InvalidOperationException("not a local socket");
        int at = path.IndexOf("%d", StringComparison.Ordinal);
        return at < 0 ? path : string.Concat(path.AsSpan(0, at), unit.ToString(CultureInfo.InvariantCulture), path.AsSpan(at + 2));
    }

    /// <summary>The port after <c>+</c>; null when it leaves the TCP range.</summary>
    public int? ResolvePort(int unit)
    {
        int port = AddUnit ? Port + unit : Port;
        return port is > 0 and <= 65535 ? port : null;
    }

    /// <summary>As written, for <c>show bundle</c>; never the password (it is not here).</summary>
    public override string ToString()
    {
        if (LocalPath is not null)
            return string.Create(CultureInfo.InvariantCulture, $"local {LocalPath} (mask {Convert.ToString(Mask, 8).PadLeft(4, '0')})");
        string port = (AddUnit ? "+" : "") + Port.ToString(CultureInfo.InvariantCulture);
        string address = Address is null ? "loopback" : Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString();
        return $"tcp {address}:{port}";
    }

    /// <summary><c>[+]port</c>, <c>addr:[+]port</c> or <c>[v6addr]:[+]port</c>: the TCP forms of
    /// <c>set server</c> and <c>set metrics</c>; <paramref name="notAPort"/> says what else the
    /// word could have been ("is not a TCP port").</summary>
    internal static (ServerEndpoint? Endpoint, string? Error) ParseTcp(string word, string notAPort)
    {
        IPAddress? address = null;
        string portText = word;
        int colon = word.LastIndexOf(':');
        if (colon >= 0)
        {
            string host = word[..colon];
            if (host.StartsWith('[') && host.EndsWith(']'))
                host = host[1..^1];
            if (!IPAddress.TryParse(host, out address))
                return (null, $"\"{word[..colon]}\" is not an IP address");
            portText = word[(colon + 1)..];
        }
        bool addUnit = portText.StartsWith('+');
        if (addUnit)
            portText = portText[1..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            return (null, $"\"{word}\" {notAPort} (1-65535, +N adds the unit)");
        return (new ServerEndpoint { Address = address, Port = port, AddUnit = addUnit }, null);
    }
}

/// <summary>
/// One <c>set server|socket</c> line, parsed:
/// <c>set server TcpPort|LocalName|none|open|closed [password [mask]]</c>. An empty password
/// ("") means none, which only a local socket may have: TCP always needs one. A class and not a
/// record so that no generated ToString can print <see cref="Password"/>.
/// </summary>
public sealed class ServerCommand
{
    private ServerCommand(ServerAction action, ServerEndpoint? endpoint, string password)
    {
        Action = action;
        Endpoint = endpoint;
        Password = password;
    }

    public ServerAction Action { get; }

    /// <summary>Set for <see cref="ServerAction.Listen"/>.</summary>
    public ServerEndpoint? Endpoint { get; }

    /// <summary>"" for none. A secret: never logged or shown.</summary>
    public string Password { get; }

    public override string ToString() =>
        Action == ServerAction.Listen ? $"{Endpoint}{(Password.Length > 0 ? " ********" : "")}" : Action.ToString().ToLowerInvariant();

    /// <summary>Parses the arguments after <c>set server</c>; never throws on their content.</summary>
    public static (ServerCommand? Command, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
            return (null, "missing argument");
        string first = args[0];
        foreach (var (word, action) in (ReadOnlySpan<(string, ServerAction)>)[("none", ServerAction.None), ("open", ServerAction.Open), ("closed", ServerAction.Closed)])
        {
            if (first.Equals(word, StringComparison.OrdinalIgnoreCase))
                return args.Count == 1 ? (new ServerCommand(action, null, ""), null) : (null, $"{word} takes no other argument");
        }
        if (args.Count > 3)
            return (null, "too many arguments");
        string password = args.Count > 1 ? args[1] : "";
        if (first.StartsWith('/'))
        {
            int mask = ServerEndpoint.DefaultMask;
            if (args.Count == 3 && !TryParseMask(args[2], out mask))
                return (null, $"\"{args[2]}\" is not an octal mask (e.g. 0177)");
            if (first.Contains('\0', StringComparison.Ordinal))
                return (null, "the path holds a NUL character");
            return (new ServerCommand(ServerAction.Listen, new ServerEndpoint { LocalPath = first, Mask = mask }, password), null);
        }
        if (args.Count == 3)
            return (null, "a mask applies to a local socket only");
        var (endpoint, error) = ServerEndpoint.ParseTcp(first, "is neither an absolute path nor a TCP port");
        if (endpoint is null)
            return (null, error);
        if (password.Length == 0)
            return (null, "a TCP port needs a password (anyone who can reach it could run any command)");
        return (new ServerCommand(ServerAction.Listen, endpoint, password), null);
    }

    private static bool TryParseMask(string word, out int mask)
    {
        mask = 0;
        if (word.Length is 0 or > 4)
            return false;
        foreach (char ch in word)
        {
            if (ch is < '0' or > '7')
                return false;
            mask = (mask * 8) + (ch - '0');
        }
        return true;
    }
}

/// <summary>The diagnostic socket as <c>show bundle</c>, <c>show who</c> and the JSON status see it.</summary>
public sealed record ServerStatus(string Endpoint, bool Listening, bool HasPassword, string? Error, IReadOnlyList<SessionInfo> Sessions);

/// <summary>One connected client; <see cref="Id"/> is its <see cref="Commands.IControlSession.Id"/>.</summary>
public sealed record SessionInfo(int Id, string Name, bool Authorised);
