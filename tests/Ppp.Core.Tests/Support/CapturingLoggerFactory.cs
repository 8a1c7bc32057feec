using Microsoft.Extensions.Logging;

namespace Ppp.Core.Tests.Support;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every formatted line, with its category, for assertions.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly List<(string Category, LogLevel Level, string Text)> _lines = [];

    public IReadOnlyList<(string Category, LogLevel Level, string Text)> Lines
    {
        get
        {
            lock (_lock)
                return [.. _lines];
        }
    }

    /// <summary>Each line as ppp(8) prints it, "Category: text" (with structured values appended).</summary>
    public IReadOnlyList<string> Text => [.. Lines.Select(l => $"{l.Category}: {l.Text}")];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private void Add(string category, LogLevel level, string text)
    {
        lock (_lock)
            _lines.Add((category, level, text));
    }

    private sealed class CapturingLogger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string text = formatter(state, exception);
            // Keep the structured values too, so a secret passed as an argument but not shown is still caught.
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                text += " | " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
            owner.Add(category, logLevel, text);
        }
    }
}
