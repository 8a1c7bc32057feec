using System.IO.Pipelines;
using System.Text;
using NUnit.Framework;
using Ppp.Core.Tests.Support;

namespace Ppp.Chat.Tests.Support;

/// <summary>
/// A runner between two in-memory pipes on a manual clock, with a scripted modem on the far
/// side. Both pipes schedule inline, so the runner, the modem and every timer run on the test's
/// thread: time moves only in <see cref="Run(string, ChatContext?)"/>, and only when the runner
/// is blocked with nothing else to do, so no test waits for real time.
/// </summary>
internal sealed class ChatHarness
{
    private static readonly PipeOptions Inline = new(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly List<byte> _line = [];
    private readonly List<(Func<string, bool> Match, Func<int, string?> Reply)> _replies = [];
    private readonly Dictionary<string, int> _counts = [];
    private readonly DateTimeOffset _epoch;

    public ChatHarness()
    {
        Runner = new ChatRunner(Logs, Time);
        _epoch = Time.GetUtcNow();
        _ = ModemAsync();
    }

    public ManualTimeProvider Time { get; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    public ChatRunner Runner { get; }

    /// <summary>Modem to runner.</summary>
    public Pipe Input { get; } = new(Inline);

    /// <summary>Runner to modem.</summary>
    public Pipe Output { get; } = new(Inline);

    /// <summary>Everything the runner wrote, as text.</summary>
    public StringBuilder Sent { get; } = new();

    /// <summary>The times (from the clock's start) at which each command line reached the modem.</summary>
    public List<(string Command, TimeSpan At)> Commands { get; } = [];

    /// <summary>The chat log as ppp(8) shows it: "Chat: ..." lines only, without the structured values.</summary>
    public IReadOnlyList<string> ChatLog => Log("Chat");

    /// <summary>One category's lines, "Category: text", without the structured values.</summary>
    public IReadOnlyList<string> Log(string category) =>
        [.. Logs.Lines.Where(l => l.Category == category).Select(l => $"{l.Category}: {l.Text.Split(" | ")[0]}")];

    /// <summary>When exactly this command line arrives (CR-terminated), the modem writes <paramref name="reply"/>. The last matching rule wins.</summary>
    public ChatHarness On(string command, string reply) => On(c => c == command, _ => reply);

    /// <summary>A rule whose reply depends on how many times (from 1) the same line has arrived; a null reply is silence.</summary>
    public ChatHarness On(Func<string, bool> match, Func<int, string?> reply)
    {
        _replies.Add((match, reply));
        return this;
    }

    /// <summary>Writes modem output now.</summary>
    public void Feed(string text) => Feed(Encoding.Latin1.GetBytes(text));

    public void Feed(byte[] bytes)
    {
        var flush = Input.Writer.WriteAsync(bytes);
        Assert.That(flush.IsCompleted, Is.True, "an inline pipe never waits");
    }

    public Task<ChatResult> Start(string script, ChatContext? context = null, CancellationToken cancellationToken = default)
    {
        Assert.That(ChatScript.TryParse(script, out var parsed, out string? error), Is.True, error);
        return Runner.RunAsync(parsed!, context ?? new ChatContext(), Input.Reader, Output.Writer, cancellationToken);
    }

    /// <summary>Runs a script to its end, moving the clock only while the runner waits.</summary>
    public ChatResult Run(string script, ChatContext? context = null) => Finish(Start(script, context));

    /// <summary>Moves the clock from timer to timer until the run ends; fails if it is stuck with no timer.</summary>
    public ChatResult Finish(Task<ChatResult> run)
    {
        while (!run.IsCompleted)
        {
            if (!Time.AdvanceToNextTimer())
                Assert.Fail("the runner waits for input with no timer pending");
        }
        return run.GetAwaiter().GetResult();
    }

    /// <summary>What is left unread in the input after the run.</summary>
    public string Leftover()
    {
        if (!Input.Reader.TryRead(out var read))
            return "";
        string text = Encoding.Latin1.GetString(read.Buffer);
        Input.Reader.AdvanceTo(read.Buffer.Start);
        return text;
    }

    public TimeSpan Elapsed => Time.GetUtcNow() - _epoch;

    private async Task ModemAsync()
    {
        while (true)
        {
            var read = await Output.Reader.ReadAsync();
            foreach (var memory in read.Buffer)
            {
                foreach (byte b in memory.Span)
                {
                    Sent.Append((char)b);
                    if (b != (byte)'\r')
                    {
                        _line.Add(b);
                        continue;
                    }
                    string command = Encoding.Latin1.GetString([.. _line]);
                    _line.Clear();
                    Commands.Add((command, Elapsed));
                    int count = _counts[command] = _counts.GetValueOrDefault(command) + 1;
                    var rule = _replies.LastOrDefault(r => r.Match(command));
                    if (rule.Reply?.Invoke(count) is { } reply)
                        Feed(reply);
                }
            }
            Output.Reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
                return;
        }
    }
}
