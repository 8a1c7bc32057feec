using System.Text;

namespace Ppp.Daemon.Control;

/// <summary>
/// The little of HTTP/1.x (RFC 9112) the metrics endpoint reads: the request line of a request
/// whose head has arrived whole. <c>GET</c> and <c>HEAD</c> of <c>/metrics</c> (any query is
/// ignored, as Prometheus may add one) are answered 200; another path 404; another method 405;
/// anything that is not an HTTP/1.0 or 1.1 request line 400. Header fields are not needed and
/// are not read; no request has a body. Never throws on its input.
/// </summary>
internal readonly record struct MetricsRequest(int Status, bool HeadOnly)
{
    public const string Path = "/metrics";

    /// <summary>The length of the head up to and including the empty line, or -1 while it is incomplete.</summary>
    public static int FindHeadEnd(ReadOnlySpan<byte> received)
    {
        for (int i = 0; i < received.Length; i++)
        {
            if (received[i] != (byte)'\n')
                continue;
            // "\n\n" or "\n\r\n": a bare LF ends lines too (RFC 9112 §2.2 lets a recipient accept it).
            if (i + 1 < received.Length && received[i + 1] == (byte)'\n')
                return i + 2;
            if (i + 2 < received.Length && received[i + 1] == (byte)'\r' && received[i + 2] == (byte)'\n')
                return i + 3;
        }
        return -1;
    }

    /// <summary>Judges the request line at the start of <paramref name="head"/>.</summary>
    public static MetricsRequest Parse(ReadOnlySpan<byte> head)
    {
        int end = head.IndexOf((byte)'\n');
        var line = end < 0 ? head : head[..end];
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        foreach (byte b in line)
        {
            if (b is < 0x20 or > 0x7e)
                return new(400, false);
        }
        string text = Encoding.ASCII.GetString(line);
        string[] parts = text.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2] is not ("HTTP/1.0" or "HTTP/1.1"))
            return new(400, false);
        bool headOnly = parts[0] == "HEAD";
        if (!headOnly && parts[0] != "GET")
            return new(405, false);
        string target = parts[1];
        int query = target.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? target : target[..query];
        return new(path == Path ? 200 : 404, headOnly);
    }

    public static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };

    /// <summary>The status line and header fields of a response with a body of <paramref name="length"/> octets.</summary>
    public static byte[] ResponseHead(int status, string contentType, int length)
    {
        string allow = status == 405 ? "Allow: GET, HEAD\r\n" : "";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: {contentType}\r\nContent-Length: {length}\r\n{allow}Connection: close\r\n\r\n");
    }
}
