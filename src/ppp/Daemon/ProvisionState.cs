using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ppp.Daemon.Daemon;

/// <summary>
/// Where <c>set provision</c> remembers what it last wrote to the modem (issue 15): a state
/// file per label in the state directory (<c>PPP_STATEDIR</c>, default /var/lib/userppp) holding
/// the SHA-256 of the script that last led to a successful connect and when. Written atomically
/// (a temporary file renamed over the old one), so a crash leaves the old state or the new.
/// Modules rewrite flash on every AT+CGDCONT; this keeps them from doing so on every dial.
/// </summary>
internal static class ProvisionState
{
    public const string DefaultDirectory = "/var/lib/userppp";

    public static string Directory =>
        Environment.GetEnvironmentVariable("PPP_STATEDIR") is { Length: > 0 } dir ? dir : DefaultDirectory;

    /// <summary>The state file for <paramref name="label"/>: <c>provision.LABEL</c> (characters other than letters, digits, '-', '_' and '.' become '_').</summary>
    public static string PathFor(string? label)
    {
        string name = string.IsNullOrEmpty(label) ? "default" : new string([.. label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return Path.Combine(Directory, $"provision.{name}");
    }

    public static string Hash(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
    }

    /// <summary>The hash and time last written, or nulls when the file is missing or not ours.</summary>
    public static (string? Hash, DateTimeOffset? At) Read(string path)
    {
        try
        {
            string[] lines = File.ReadAllLines(path);
            if (lines.Length >= 2 && lines[0].Length == 64 && lines[0].All(char.IsAsciiHexDigitLower)
                && DateTimeOffset.TryParse(lines[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
                return (lines[0], at);
            return (null, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    /// <summary>Writes the state atomically; returns why it failed, or null.</summary>
    public static string? Write(string path, string hash, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(path);
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{hash}\n{at:O}\n")));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the old state stands.
            }
            return ex.Message;
        }
    }
}
