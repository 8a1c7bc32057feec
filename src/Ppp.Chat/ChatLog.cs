using Microsoft.Extensions.Logging;

namespace Ppp.Chat;

/// <summary>The engine's log lines, worded as ppp(8) words them under "set log chat". Every text argument is already redacted.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Expect({Seconds}): {Text}")]
    public static partial void Expect(ILogger logger, int seconds, string text);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Received: {Line}")]
    public static partial void Received(ILogger logger, string line);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Expect timeout")]
    public static partial void ExpectTimeout(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Send: {Text}")]
    public static partial void Send(ILogger logger, string text);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Abort: received {Text}")]
    public static partial void Aborted(ILogger logger, string text);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Report: {Line}")]
    public static partial void Report(ILogger logger, string line);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Say: {Text}")]
    public static partial void Say(ILogger logger, string text);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Exec: {Command}")]
    public static partial void Exec(ILogger logger, string command);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Exec: {Command}: {Reason}")]
    public static partial void ExecFailed(ILogger logger, string command, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Script: {Warning}")]
    public static partial void ScriptWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Device error: {Reason}")]
    public static partial void DeviceError(ILogger logger, string reason);
}
