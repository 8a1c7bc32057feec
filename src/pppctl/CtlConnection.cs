using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Ppp.Ctl;

/// <summary>
/// What ppp answered to one line: its output up to the next prompt, or up to the end of the
/// connection (<see cref="Prompt"/> null) when the session ended (<c>quit</c>, a refusal).
/// </summary>
internal sealed record Reply(string Output, string? Prompt)
{
    /// <summary>What the daemon starts a failing command's lines with.</summary>
    public const string ErrorPrefix = "Error: ";

    public bool Closed => Prompt is null;

    /// <summary>ppp(8): "on" in lower case until the password is given.</summary>
    public bool Authorised => Prompt is not null && Prompt.Contains(" ON ", StringComparison.Ordinal);

    public IEnumerable<string> Lines => Output.Length == 0 ? [] : Output.TrimEnd('\n').Split('\n');

    public bool HasError => Lines.Any(l => l.StartsWith(ErrorPrefix, StringComparison.Ordinal));
}

/// <summary>
/// One connection to ppp's diagnostic socket: a line out, then everything up to the next
/// prompt back. The daemon writes nothing between commands, so the prompt (the text after the
/// last newline, "ppp ON host> ") marks the end of each reply.
/// </summary>
internal sealed partial class CtlConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private readonly StringBuilder _received = new();
    private readonly byte[] _buffer = new byte[4096];
    private readonly char[] _chars = new char[4096 + 4];

    private CtlConnection(Socket socket) => _socket = socket;

    /// <summary>Connects to the TCP port or the local socket the options name.</summary>
    public static async Task<CtlConnection> ConnectAsync(CtlOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LocalPath is not null)
        {
            var local = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await local.ConnectAsync(new UnixDomainSocketEndPoint(options.LocalPath), cancellationToken).ConfigureAwait(false);
                return new CtlConnection(local);
            }
            catch
            {
                local.Dispose();
                throw;
            }
        }
        SocketException? last = null;
        foreach (var address in await options.ResolveHostAsync(cancellationToken).ConfigureAwait(false))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, options.Port), cancellationToken).ConfigureAwait(false);
                return new CtlConnection(socket);
            }
            catch (SocketException ex)
            {
                last = ex;
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    public async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads until a prompt ends what arrived, or until the daemon closes the session.</summary>
    public async Task<Reply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TakePrompted() is { } reply)
                return reply;
            int n;
            try
            {
                n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                n = 0;
            }
            if (n == 0)
            {
                string rest = _received.ToString();
                _received.Clear();
                return new Reply(rest, null);
            }
            int chars = _decoder.GetChars(_buffer, 0, n, _chars, 0);
            _received.Append(_chars, 0, chars);
        }
    }

    private Reply? TakePrompted()
    {
        string text = _received.ToString();
        int lineStart = text.LastIndexOf('\n') + 1;
        string last = text[lineStart..];
        if (!PromptRegex().IsMatch(last))
            return null;
        _received.Clear();
        return new Reply(text[..lineStart], last);
    }

    /// <summary>"ppp ON host> ", the case of "ppp" showing the phase and of "on" the password.</summary>
    [GeneratedRegex(@"^[Pp]{3} (ON|on) \S+> $")]
    private static partial Regex PromptRegex();

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
