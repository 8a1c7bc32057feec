using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Ppp.Core.Tests.Support;
using Ppp.Core.Time;
using Ppp.Tests.Shared;

namespace Ppp.Core.Tests.Time;

public sealed class LinkTimerLogTests
{
    [Test]
    public void NamedTimer_StartAndExpiry_LoggedUnderTimer()
    {
        var clock = new ManualTimeProvider();
        using var loggers = new CapturingLoggerFactory();
        var scheduler = new LinkScheduler(clock, static a => a()) { TimerLog = loggers.CreateLogger("Timer") };
        int fired = 0;
        using var timer = scheduler.CreateTimer(() => fired++, "LCP: deflink: restart");
        timer.Start(TimeSpan.FromSeconds(3));
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.That(fired, Is.EqualTo(1));
        Assert.That(loggers.Lines.Select(l => $"{l.Category}: {l.Text.Split(" | ")[0]}"), Is.EqualTo(new[]
        {
            "Timer: LCP: deflink: restart timer started (3 s)",
            "Timer: LCP: deflink: restart timer expired",
        }));
    }

    [Test]
    public void UnnamedTimer_LogsNothing()
    {
        var clock = new ManualTimeProvider();
        using var loggers = new CapturingLoggerFactory();
        var scheduler = new LinkScheduler(clock, static a => a()) { TimerLog = loggers.CreateLogger("Timer") };
        using var timer = scheduler.CreateTimer(() => { });
        timer.Start(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(loggers.Lines, Is.Empty);
    }

    [Test]
    public void TimerLevelOff_NothingFormatted()
    {
        var clock = new ManualTimeProvider();
        var log = new DisabledLogger();
        var scheduler = new LinkScheduler(clock, static a => a()) { TimerLog = log };
        using var timer = scheduler.CreateTimer(() => { }, "LCP: deflink: echo");
        timer.Start(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(log.Written, Is.Zero);
        Assert.That(log.Asked, Is.EqualTo(2));
    }

    private sealed class DisabledLogger : ILogger
    {
        public int Asked { get; private set; }
        public int Written { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel)
        {
            Asked++;
            return false;
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written++;
    }
}
