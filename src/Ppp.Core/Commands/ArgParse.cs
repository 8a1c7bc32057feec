using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ppp.Core.Commands;

/// <summary>Value parsers for command arguments: each returns the value or an error naming the word.</summary>
internal static class ArgParse
{
    public static (int Value, string? Error) Int(string what, string word, int min, int max)
    {
        if (word.Length == 0 || word.Length > 10 || !word.All(char.IsAsciiDigit)
            || !int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return (0, $"{what}: \"{word}\" is not a number");
        }
        if (value < min || value > max)
            return (0, $"{what}: {value} is out of range ({min} to {max})");
        return (value, null);
    }

    public static (IPAddress? Value, string? Error) Ipv4(string what, string word)
    {
        if (IPAddress.TryParse(word, out var address) && address.AddressFamily == AddressFamily.InterNetwork
            && word.Count(c => c == '.') == 3)
        {
            return (address, null);
        }
        return (null, $"{what}: \"{word}\" is not an IPv4 address (a.b.c.d)");
    }

    /// <summary>An IPv4 or IPv6 address, written out in full (not inet_aton's short forms).</summary>
    public static IPAddress? Address(string word)
    {
        if (!IPAddress.TryParse(word, out var address))
            return null;
        if (address.AddressFamily == AddressFamily.InterNetwork && word.Count(c => c == '.') != 3)
            return null;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && word.Contains('%', StringComparison.Ordinal))
            return null;
        return address;
    }

    /// <summary>A hex octet: "0x11", "11" or "ff".</summary>
    public static (byte Value, string? Error) HexByte(string what, string word)
    {
        var digits = word.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? word[2..] : word;
        if (digits.Length is < 1 or > 2 || !byte.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
            return (0, $"{what}: \"{word}\" is not a hex octet (00 to ff)");
        return (value, null);
    }

    public static (bool Value, string? Error) OnOff(string what, string word) => word.ToUpperInvariant() switch
    {
        "ON" => (true, null),
        "OFF" => (false, null),
        _ => (false, $"{what}: \"{word}\" is not on or off"),
    };

    public static bool IsKeyword(string word, string keyword, int minLength) =>
        word.Length >= minLength && keyword.StartsWith(word, StringComparison.OrdinalIgnoreCase);
}
