using System.Text;

namespace Ppp.Chat;

/// <summary>What one piece of a chat string turns into when the script runs.</summary>
internal enum ChatPieceKind
{
    Bytes,
    PhoneNumber,
    AuthName,
    AuthKey,
    Pause,
}

internal readonly record struct ChatPiece(ChatPieceKind Kind, byte[]? Bytes = null, TimeSpan Pause = default);

/// <summary>A run of bytes to write, or a pause, in the order a send string gives them.</summary>
internal readonly record struct ChatSegment(byte[] Bytes, TimeSpan Pause);

/// <summary>
/// One expect, send, ABORT, REPORT or SAY string with its escapes read, as ppp(8)'s "set dial"
/// and chat(8) define them. The text is kept as pieces because <c>\T</c>, <c>\U</c> and
/// <c>\P</c> are filled in per run (the phone number changes with every dial attempt).
/// <list type="table">
/// <item><term><c>\c</c></term><description>no carriage return after a send string</description></item>
/// <item><term><c>\d</c></term><description>a pause of two seconds (ppp(8); chat(8) waits one)</description></item>
/// <item><term><c>\p</c></term><description>a pause of a quarter second (ppp(8); chat(8) waits a tenth)</description></item>
/// <item><term><c>\n \r \s \t \b \N</c></term><description>line feed, carriage return, space, tab, backspace, NUL</description></item>
/// <item><term><c>\T \U \P</c></term><description>the phone number, the authname, the authkey</description></item>
/// <item><term><c>\q</c></term><description>keep the whole string out of the log (chat(8))</description></item>
/// <item><term><c>\ddd</c></term><description>one to three octal digits, one byte (chat(8))</description></item>
/// <item><term><c>^X</c></term><description>the control character X &amp; 0x1f</description></item>
/// <item><term><c>\</c> + anything else</term><description>that character (<c>\\</c>, <c>\"</c>, <c>\-</c>, <c>\^</c>)</description></item>
/// </list>
/// These are the chat parser's escapes. Inside ppp.conf the command parser reads <c>\\</c> and
/// <c>\"</c> first, so a script there writes them doubled (<c>NO\\sCARRIER</c>, <c>ATDT\\T</c>),
/// as ppp(8) says; see docs/chat.md.
/// </summary>
internal sealed class ChatText
{
    public static readonly TimeSpan DelayEscape = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan PauseEscape = TimeSpan.FromMilliseconds(250);

    private ChatText(string source, IReadOnlyList<ChatPiece> pieces, bool noReturn, bool quiet, bool isCommand)
    {
        Source = source;
        Pieces = pieces;
        NoReturn = noReturn || isCommand;
        Quiet = quiet;
        IsCommand = isCommand;
        UsesAuthKey = pieces.Any(p => p.Kind == ChatPieceKind.AuthKey);
    }

    /// <summary>The string as the script wrote it (escapes unread); safe to log, since <c>\P</c> stays <c>\P</c>.</summary>
    public string Source { get; }

    public IReadOnlyList<ChatPiece> Pieces { get; }

    /// <summary><c>\c</c> was given: a send string goes out without its carriage return.</summary>
    public bool NoReturn { get; }

    /// <summary><c>\q</c> was given: the string is logged as <c>********</c>.</summary>
    public bool Quiet { get; }

    public bool UsesAuthKey { get; }

    /// <summary>
    /// A ppp(8) <c>!command</c> string: the pieces (escapes read, as ppp(8) reads them before it
    /// runs the command) are the command line, and the command's standard error output becomes
    /// the string, sent without a carriage return. <c>!!</c> starts a literal <c>!</c> instead.
    /// </summary>
    public bool IsCommand { get; }

    /// <summary>Reads the escapes of one word. Returns null and an error for a lone trailing backslash or an octal value above 0377.</summary>
    public static ChatText? Parse(string word, out string? error)
    {
        ArgumentNullException.ThrowIfNull(word);
        error = null;
        bool isCommand = word.StartsWith('!') && !word.StartsWith("!!", StringComparison.Ordinal);
        string text = word.StartsWith('!') ? word[1..] : word;
        var pieces = new List<ChatPiece>();
        var bytes = new List<byte>();
        bool noReturn = false;
        bool quiet = false;
        Span<byte> utf8 = stackalloc byte[4];

        void Flush()
        {
            if (bytes.Count > 0)
            {
                pieces.Add(new ChatPiece(ChatPieceKind.Bytes, [.. bytes]));
                bytes.Clear();
            }
        }

        void Add(ChatPiece piece)
        {
            Flush();
            pieces.Add(piece);
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '^')
            {
                if (i + 1 < text.Length && text[i + 1] < 0x80)
                {
                    byte control = (byte)(text[++i] & 0x1f);
                    bytes.Add(control);
                }
                else
                {
                    bytes.Add((byte)'^');
                }
                continue;
            }
            if (c != '\\')
            {
                AddChar(text, ref i, bytes, utf8);
                continue;
            }
            if (i + 1 >= text.Length)
            {
                error = $"\"{word}\" ends with a lone backslash (write \\\\ for a backslash)";
                return null;
            }
            char e = text[++i];
            switch (e)
            {
                case 'c': noReturn = true; break;
                case 'd': Add(new ChatPiece(ChatPieceKind.Pause, Pause: DelayEscape)); break;
                case 'p': Add(new ChatPiece(ChatPieceKind.Pause, Pause: PauseEscape)); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 's': bytes.Add((byte)' '); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'b': bytes.Add(0x08); break;
                case 'N': bytes.Add(0); break;
                case 'q': quiet = true; break;
                case 'T': Add(new ChatPiece(ChatPieceKind.PhoneNumber)); break;
                case 'U': Add(new ChatPiece(ChatPieceKind.AuthName)); break;
                case 'P': Add(new ChatPiece(ChatPieceKind.AuthKey)); break;
                case >= '0' and <= '7':
                    int value = e - '0';
                    for (int n = 0; n < 2 && i + 1 < text.Length && text[i + 1] is >= '0' and <= '7'; n++)
                        value = value * 8 + (text[++i] - '0');
                    if (value > 0xff)
                    {
                        error = $"\"{word}\": octal escape \\{Convert.ToString(value, 8)} is more than one byte (\\377)";
                        return null;
                    }
                    bytes.Add((byte)value);
                    break;
                default:
                    AddChar(text, ref i, bytes, utf8);
                    break;
            }
        }
        Flush();
        return new ChatText(word, pieces, noReturn, quiet, isCommand);
    }

    private static void AddChar(string text, ref int i, List<byte> bytes, Span<byte> utf8)
    {
        int length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
        int count = Encoding.UTF8.GetBytes(text.AsSpan(i, length), utf8);
        for (int k = 0; k < count; k++)
            bytes.Add(utf8[k]);
        i += length - 1;
    }

    /// <summary>The bytes and pauses this string stands for in <paramref name="context"/>, in order, neighbouring bytes merged.</summary>
    public IReadOnlyList<ChatSegment> Expand(ChatContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var segments = new List<ChatSegment>();
        var bytes = new List<byte>();
        foreach (var piece in Pieces)
        {
            switch (piece.Kind)
            {
                case ChatPieceKind.Bytes: bytes.AddRange(piece.Bytes!); break;
                case ChatPieceKind.PhoneNumber: bytes.AddRange(Encoding.UTF8.GetBytes(context.PhoneNumber)); break;
                case ChatPieceKind.AuthName: bytes.AddRange(Encoding.UTF8.GetBytes(context.AuthName)); break;
                case ChatPieceKind.AuthKey: bytes.AddRange(Encoding.UTF8.GetBytes(context.AuthKey)); break;
                case ChatPieceKind.Pause:
                    if (bytes.Count > 0)
                        segments.Add(new ChatSegment([.. bytes], TimeSpan.Zero));
                    bytes.Clear();
                    segments.Add(new ChatSegment([], piece.Pause));
                    break;
            }
        }
        if (bytes.Count > 0)
            segments.Add(new ChatSegment([.. bytes], TimeSpan.Zero));
        return segments;
    }

    /// <summary>All the bytes of <see cref="Expand"/> together, and the sum of its pauses (an expect string pauses before it starts waiting, as in ppp(8)).</summary>
    public (byte[] Bytes, TimeSpan Pause) ExpandFlat(ChatContext context)
    {
        var bytes = new List<byte>();
        var pause = TimeSpan.Zero;
        foreach (var segment in Expand(context))
        {
            bytes.AddRange(segment.Bytes);
            pause += segment.Pause;
        }
        return ([.. bytes], pause);
    }

    /// <summary>
    /// The string for a log line: <c>********</c> under <c>\q</c>, the unexpanded source when it
    /// holds <c>\P</c> (as ppp(8) logs it), otherwise the expansion with control characters in
    /// <c>^X</c> form.
    /// </summary>
    public string Display(ChatContext context)
    {
        if (Quiet)
            return ChatContext.Mask;
        if (IsCommand || UsesAuthKey)
            return context.Redact(Source);
        return Printable.Render(ExpandFlat(context).Bytes, context);
    }

    public override string ToString() => Source;
}
