using System.Text;
using Microsoft.Extensions.Logging;
using Ppp.Core.Wire;

namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// Log lines of the authentication phase, category "Phase" as in ppp(8). None of them takes a
/// password, secret, response value or hash: only names, sizes and the peer's messages.
/// </summary>
internal static partial class AuthLog
{
    public const string Category = "Phase";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Auth: authenticate peer with {PeerWith}, ourselves with {OurselvesWith}")]
    private static partial void Starting(ILogger logger, string peerWith, string ourselvesWith);

    /// <summary>The protocols as LCP names them ("CHAP 0x05", "PAP", "none"), not as the enum does.</summary>
    public static void Starting(ILogger logger, AuthProtocol peerWith, AuthProtocol ourselvesWith)
    {
        if (logger.IsEnabled(LogLevel.Information))
            Starting(logger, Lcp.LcpHandler.DescribeAuthProtocol(peerWith), Lcp.LcpHandler.DescribeAuthProtocol(ourselvesWith));
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Auth: success{PeerText}")]
    public static partial void Succeeded(ILogger logger, string peerText);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Auth: failure: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Pap Output: {Name} ********")]
    public static partial void PapOutputRequest(ILogger logger, string name);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Pap Input: {Result} ({Message})")]
    public static partial void PapInputReply(ILogger logger, string result, string message);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Pap Input: REQUEST ({Name})")]
    public static partial void PapInputRequest(ILogger logger, string name);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Pap Output: {Result} ({Message})")]
    public static partial void PapOutputReply(ILogger logger, string result, string message);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Chap Output: CHALLENGE ({Size} bytes as {Name})")]
    public static partial void ChapOutputChallenge(ILogger logger, int size, string name);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Chap Input: CHALLENGE ({Size} bytes from {Name})")]
    public static partial void ChapInputChallenge(ILogger logger, int size, string name);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Chap Output: RESPONSE ({Name})")]
    public static partial void ChapOutputResponse(ILogger logger, string name);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Chap Input: RESPONSE ({Name})")]
    public static partial void ChapInputResponse(ILogger logger, string name);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Chap Output: {Result} ({Message})")]
    public static partial void ChapOutputResult(ILogger logger, string result, string message);

    [LoggerMessage(EventId = 25, Level = LogLevel.Information, Message = "Chap Input: {Result} ({Message})")]
    public static partial void ChapInputResult(ILogger logger, string result, string message);

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "{Protocol}: no answer, sending again ({Attempt} of {MaxAttempts})")]
    public static partial void Retransmitting(ILogger logger, string protocol, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "{Protocol} Input: dropped malformed packet ({Length} octets)")]
    public static partial void DroppedMalformed(ILogger logger, PppProtocol protocol, int length);

    [LoggerMessage(EventId = 32, Level = LogLevel.Debug, Message = "{Protocol} Input: ignored {Code} id {Identifier}: {Why}")]
    public static partial void Ignored(ILogger logger, PppProtocol protocol, string code, byte identifier, string why);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Chap: re-authentication failed after success: {Reason}")]
    public static partial void ReauthenticationFailed(ILogger logger, string reason);

    /// <summary>
    /// Peer-supplied text made safe for one log line: UTF-8 decoded, control characters shown as
    /// '?', cut at 128 characters.
    /// </summary>
    public static string Printable(ReadOnlySpan<byte> text) => Printable(Encoding.UTF8.GetString(text));

    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const int Max = 128;
        var builder = new StringBuilder(Math.Min(text.Length, Max + 3));
        foreach (char c in text)
        {
            if (builder.Length == Max)
            {
                builder.Append("...");
                break;
            }
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        return builder.ToString();
    }
}
