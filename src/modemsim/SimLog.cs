using System.Globalization;
using System.Text;

namespace Ppp.ModemSim;

/// <summary>
/// One timestamped line per event on stderr (tests attach it to a failure): every command line
/// received, every answer sent, and each change of the call. Control characters are shown as
/// escapes so "\r\nOK\r\n" reads as it went over the line.
/// </summary>
internal sealed class SimLog(TextWriter writer)
{
    private readonly Lock _lock = new();

    public void Info(string message)
    {
        string stamp = DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            writer.WriteLine($"{stamp} modemsim: {message}");
            writer.Flush();
        }
    }

    /// <summary>Octets that crossed the line: "&lt;-" from the DTE, "-&gt;" to it.</summary>
    public void Line(string direction, ReadOnlySpan<byte> octets) => Info($"{direction} \"{Escape(octets)}\"");

    public static string Escape(ReadOnlySpan<byte> octets)
    {
        var text = new StringBuilder(octets.Length);
        foreach (byte b in octets)
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                (byte)'\\' => "\\\\",
                (byte)'"' => "\\\"",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            });
        }

        return text.ToString();
    }
}
