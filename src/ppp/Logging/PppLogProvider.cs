using Microsoft.Extensions.Logging;

namespace Ppp.Daemon.Logging;

/// <summary>
/// Writes log lines the way ppp(8) does: "Category: message", where the category is one of
/// ppp(8)'s log levels (Phase, LCP, IPCP, ...). Which categories print is a filter, like
/// `set log`. Writes are serialised so lines from several threads never interleave.
/// </summary>
internal sealed class PppLogProvider(TextWriter writer, Func<string, LogLevel, bool> filter, string prefix = "") : ILoggerProvider
{
    private readonly Lock _lock = new();

    private Func<string, LogLevel, bool> Filter { get; } = filter;

    public ILogger CreateLogger(string categoryName) => new PppLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string category, string message)
    {
        lock (_lock)
            writer.WriteLine($"{prefix}{category}: {message}");
    }

    private sealed class PppLogger(PppLogProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => owner.Filter(category, logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            string message = formatter(state, exception);
            if (exception is not null)
                message += $" ({exception.GetType().Name}: {exception.Message})";
            owner.Write(category, message);
        }
    }
}
