using Microsoft.Extensions.Logging;

namespace Ppp.Core.Tests.Support;

/// <summary>Collects every log line as "Category: message" (ppp(8)'s layout), for assertions.</summary>
public sealed class ListLoggerFactory : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];

    public ListLoggerFactory(string prefix = "") => Prefix = prefix;

    public string Prefix { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
                return [.. _lines];
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lock (_lock)
            _lines.Add(line);
    }

    private sealed class ListLogger(ListLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{owner.Prefix}{category}: {formatter(state, exception)}");
    }
}
