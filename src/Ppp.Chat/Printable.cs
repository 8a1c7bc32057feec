using System.Text;

namespace Ppp.Chat;

/// <summary>Modem text for a log line: control characters in <c>^X</c> form, so a journal line stays one line.</summary>
internal static class Printable
{
    /// <summary>Decodes the bytes, masks the authkey of <paramref name="context"/> (before control characters are rewritten, so a key is found whatever it holds) and renders the rest.</summary>
    public static string Render(ReadOnlySpan<byte> bytes, ChatContext context)
    {
        string text = context.Redact(Encoding.UTF8.GetString(bytes));
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c < 0x20)
                builder.Append('^').Append((char)(c + 0x40));
            else if (c == 0x7f)
                builder.Append("^?");
            else
                builder.Append(c);
        }
        return builder.ToString();
    }
}
