using System.Globalization;

namespace Ppp.Core.Config;

public enum DeviceKind
{
    /// <summary>A tty or pty path (<c>/dev/ttyUSB0</c>, <c>/dev/pts/3</c>).</summary>
    Tty,
    /// <summary><c>!command</c>: a program whose stdin/stdout is the line.</summary>
    Program,
    /// <summary><c>host:port/tcp</c> (the default transport).</summary>
    Tcp,
    /// <summary><c>host:port/udp</c>: synchronous framing, one frame per datagram.</summary>
    Udp,
}

/// <summary>
/// One value of ppp(8)'s <c>set device</c>: a path, <c>!command</c> or <c>host:port[/tcp|udp]</c>
/// (an IPv6 host in brackets: <c>[fd00::1]:3000/tcp</c>). <see cref="Port"/> is a number or a
/// service name, as in ppp(8).
/// </summary>
public sealed record DeviceSpec(DeviceKind Kind, string Text, string? Path = null, string? Command = null, string? Host = null, string? Port = null)
{
    public static (DeviceSpec? Value, string? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return (null, "empty device name");
        if (text[0] == '!')
        {
            string command = text[1..].Trim();
            return command.Length == 0
                ? (null, $"\"{text}\": no command after '!'")
                : (new DeviceSpec(DeviceKind.Program, text, Command: command), null);
        }
        if (text[0] == '/')
            return (new DeviceSpec(DeviceKind.Tty, text, Path: text), null);
        if (text.StartsWith("PPPoE:", StringComparison.OrdinalIgnoreCase))
            return (null, $"\"{text}\": PPPoE devices are not implemented");

        var kind = DeviceKind.Tcp;
        string rest = text;
        if (rest.EndsWith("/tcp", StringComparison.OrdinalIgnoreCase))
            rest = rest[..^4];
        else if (rest.EndsWith("/udp", StringComparison.OrdinalIgnoreCase))
        {
            kind = DeviceKind.Udp;
            rest = rest[..^4];
        }
        int colon = rest.LastIndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1)
            return (null, $"\"{text}\": not a device (want /dev/..., !command or host:port[/tcp|/udp])");
        string host = rest[..colon];
        string port = rest[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
            return (null, $"\"{text}\": put an IPv6 host in brackets ([addr]:port)");
        if (host.Length == 0 || host.AsSpan().IndexOfAny(" \t/") >= 0)
            return (null, $"\"{text}\": bad host \"{host}\"");
        if (port.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
                return (null, $"\"{text}\": port {port} is out of range (1 to 65535)");
        }
        else if (!port.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return (null, $"\"{text}\": bad port \"{port}\" (a number or a service name)");
        }
        return (new DeviceSpec(kind, text, Host: host, Port: port), null);
    }
}
