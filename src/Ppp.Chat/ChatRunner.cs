using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Ppp.Chat;

/// <summary>
/// Runs a parsed <see cref="ChatScript"/> over a device's input and output pipes. No threads, no
/// devices, no clock but the <see cref="TimeProvider"/>: TIMEOUT, <c>\d</c> and <c>\p</c> all
/// go through it.
/// <para>
/// Input is examined byte by byte and consumed only up to the end of each match: whatever
/// follows the last expect string (PPP frames right after CONNECT) is left unread in the
/// <see cref="PipeReader"/> for the caller to hand to PPP. Bytes before a match are consumed;
/// matches are found across read boundaries through a <see cref="MatchWindow"/>. Each expect
/// starts with an empty window, as in chat(8), so it never matches text that came before the
/// previous match. At one byte the expect string is checked before the ABORT strings (chat(8)'s
/// order); ABORT strings only count while an expect is waiting.
/// </para>
/// </summary>
internal sealed class ChatRunner
{
    /// <summary>ppp(8)'s expect timeout until a script says TIMEOUT (chat(8)'s is 45 seconds).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Received lines and REPORT lines are cut at this many bytes, which bounds their buffers.</summary>
    public const int LineLimit = 256;

    private readonly ILogger _chat;
    private readonly ILogger _connect;
    private readonly TimeProvider _time;

    /// <param name="loggers">Lines go to category "Chat" (ppp(8)'s "set log chat"), and received lines holding CONNECT also to "Connect".</param>
    /// <param name="time">Every timeout and pause is measured on it.</param>
    public ChatRunner(ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        _chat = loggers.CreateLogger("Chat");
        _connect = loggers.CreateLogger("Connect");
        _time = time;
    }

    /// <summary>
    /// Runs the script to its end. Never throws for what the device or the script does: timeouts,
    /// ABORT strings, I/O errors (<see cref="IOException"/>), the end of input and cancellation
    /// are all in the result. The reader is left at the end of the last match, never completed.
    /// </summary>
    public Task<ChatResult> RunAsync(ChatScript script, ChatContext context, PipeReader input, PipeWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        return new Run(this, context, input, output, cancellationToken).ExecuteAsync(script);
    }

    private enum Wait
    {
        None,
        Matched,
        Aborted,
        TimedOut,
        Ended,
        Cancelled,
        CommandFailed,
    }

    private sealed class Pattern(string display, byte[] bytes)
    {
        public string Display { get; } = display;
        public byte[] Bytes { get; } = bytes;
        public bool Fired { get; set; }
    }

    /// <summary>The state of one run: TIMEOUT, the ABORT and REPORT lists, ECHO, and the input being scanned.</summary>
    private sealed class Run(ChatRunner owner, ChatContext context, PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        private readonly List<Pattern> _aborts = [];
        private readonly List<Pattern> _reports = [];
        private readonly List<string> _reportLines = [];
        private readonly MatchWindow _window = new();
        private readonly List<byte> _line = [];
        private List<byte>? _gathering;
        private int _timeoutSeconds = (int)DefaultTimeout.TotalSeconds;
        private bool _echo;
        private int _abortIndex;
        private string _failure = "";

        private ILogger Log => owner._chat;

        public async Task<ChatResult> ExecuteAsync(ChatScript script)
        {
            foreach (string warning in script.Warnings)
                ChatLog.ScriptWarning(Log, context.Redact(warning));
            try
            {
                foreach (var step in script.Steps)
                {
                    var end = await StepAsync(step).ConfigureAwait(false);
                    if (end is not null)
                        return end;
                }
                CompleteReport();
                return ChatResult.Success(_reportLines);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                EndReport();
                return ChatResult.Cancelled(_reportLines);
            }
            catch (IOException e)
            {
                string reason = context.Redact(e.Message);
                ChatLog.DeviceError(Log, reason);
                EndReport();
                return ChatResult.IoError(reason, _reportLines);
            }
        }

        /// <summary>Runs one step; null to go on, or how the script ended.</summary>
        private async Task<ChatResult?> StepAsync(ChatStep step)
        {
            switch (step)
            {
                case ExpectStep expect:
                    for (int i = 0; i < expect.Expects.Count; i++)
                    {
                        var wait = await ExpectAsync(expect.Expects[i]).ConfigureAwait(false);
                        if (wait == Wait.TimedOut && i < expect.SubSends.Count)
                        {
                            if (await SendAsync(expect.SubSends[i]).ConfigureAwait(false) is { } failed)
                                return failed;
                            continue;
                        }
                        return wait switch
                        {
                            Wait.Matched => null,
                            Wait.TimedOut => Finish(ChatResult.TimedOut(expect.Expects[i].Display(context), _reportLines)),
                            Wait.Aborted => Finish(ChatResult.Aborted(_aborts[_abortIndex].Display, _abortIndex, _reportLines)),
                            Wait.Ended => Stopped(ChatResult.IoError("the device's input ended", _reportLines)),
                            Wait.CommandFailed => Stopped(ChatResult.Failed(_failure, _reportLines)),
                            _ => Stopped(ChatResult.Cancelled(_reportLines)),
                        };
                    }
                    return null;
                case SendStep send:
                    return await SendAsync(send.Text).ConfigureAwait(false);
                case AbortStep abort:
                    _aborts.Add(Compile(abort.Text));
                    return null;
                case ClearAbortStep clear:
                    Remove(_aborts, clear.Text);
                    return null;
                case ReportStep report:
                    _reports.Add(Compile(report.Text));
                    return null;
                case ClearReportStep clear:
                    Remove(_reports, clear.Text);
                    return null;
                case TimeoutStep timeout:
                    _timeoutSeconds = timeout.Seconds;
                    return null;
                case SayStep say:
                    byte[] said = say.Text.ExpandFlat(context).Bytes;
                    ChatLog.Say(Log, say.Text.Display(context));
                    context.Display?.Invoke(say.Text.Quiet ? ChatContext.Mask : context.Redact(Encoding.UTF8.GetString(said)));
                    return null;
                case EchoStep echo:
                    _echo = echo.On;
                    return null;
                case HangupStep:
                    // chat(8) uses it to survive SIGHUP; here a hangup reaches the daemon, not the script.
                    return null;
                default:
                    throw new InvalidOperationException($"unknown chat step {step.GetType().Name}");
            }
        }

        private Pattern Compile(ChatText text) => new(text.Display(context), text.ExpandFlat(context).Bytes);

        private void Remove(List<Pattern> list, ChatText text)
        {
            byte[] bytes = text.ExpandFlat(context).Bytes;
            list.RemoveAll(p => p.Bytes.AsSpan().SequenceEqual(bytes));
        }

        private ChatResult Finish(ChatResult result)
        {
            CompleteReport();
            return result;
        }

        private ChatResult Stopped(ChatResult result)
        {
            EndReport();
            return result;
        }

        private async Task<Wait> ExpectAsync(ChatText text)
        {
            byte[] pattern;
            string display = text.Display(context);
            if (text.IsCommand)
            {
                string? output = await RunCommandAsync(text).ConfigureAwait(false);
                if (output is null)
                    return Wait.CommandFailed;
                pattern = Encoding.UTF8.GetBytes(output);
                display += " --> " + Printable.Render(pattern, context);
            }
            else
            {
                (pattern, var pause) = text.ExpandFlat(context);
                if (pause > TimeSpan.Zero)
                    await Task.Delay(pause, owner._time, cancellationToken).ConfigureAwait(false);
            }
            if (pattern.Length == 0)
                return Wait.Matched;
            ChatLog.Expect(Log, _timeoutSeconds, display);
            int longest = pattern.Length;
            foreach (var p in _aborts.Concat(_reports))
                longest = Math.Max(longest, p.Bytes.Length);
            _window.Reset(longest);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_timeoutSeconds), owner._time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            while (true)
            {
                ReadResult read;
                try
                {
                    read = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
                {
                    FlushLine();
                    ChatLog.ExpectTimeout(Log);
                    return Wait.TimedOut;
                }
                if (read.IsCanceled)
                {
                    // CancelPendingRead from the owner of the device: stop, leaving every byte unread.
                    input.AdvanceTo(read.Buffer.Start);
                    return Wait.Cancelled;
                }
                var (wait, consumed) = Scan(read.Buffer, pattern);
                input.AdvanceTo(consumed);
                if (wait == Wait.None && read.IsCompleted)
                    wait = Wait.Ended;
                if (wait != Wait.None)
                {
                    FlushLine();
                    if (wait == Wait.Aborted)
                        ChatLog.Aborted(Log, _aborts[_abortIndex].Display);
                    return wait;
                }
            }
        }

        private (Wait Wait, SequencePosition Consumed) Scan(ReadOnlySequence<byte> buffer, byte[] pattern)
        {
            long offset = 0;
            foreach (var memory in buffer)
            {
                var span = memory.Span;
                for (int i = 0; i < span.Length; i++)
                {
                    offset++;
                    var wait = Feed(span[i], pattern);
                    if (wait != Wait.None)
                        return (wait, buffer.GetPosition(offset));
                }
            }
            return (Wait.None, buffer.End);
        }

        private Wait Feed(byte value, byte[] pattern)
        {
            _window.Append(value);
            AddToLine(value);
            if (_gathering is not null)
            {
                if (IsControl(value))
                    EndReport();
                else if (_gathering.Count < LineLimit)
                    _gathering.Add(value);
            }
            else
            {
                foreach (var report in _reports)
                {
                    if (!report.Fired && _window.EndsWith(report.Bytes))
                    {
                        // chat(8) reports each string once, with what follows it up to the end of the line.
                        report.Fired = true;
                        _gathering = [.. report.Bytes];
                        break;
                    }
                }
            }
            if (_window.EndsWith(pattern))
                return Wait.Matched;
            for (int n = 0; n < _aborts.Count; n++)
            {
                if (_window.EndsWith(_aborts[n].Bytes))
                {
                    _abortIndex = n;
                    return Wait.Aborted;
                }
            }
            return Wait.None;
        }

        private static bool IsControl(byte value) => value < 0x20 || value == 0x7f;

        private void EndReport()
        {
            if (_gathering is null)
                return;
            string line = Printable.Render(_gathering.ToArray(), context);
            _gathering = null;
            _reportLines.Add(line);
            ChatLog.Report(Log, line);
        }

        /// <summary>
        /// chat(8) reads on for up to a second to finish a REPORT line when the script ends. Here
        /// the bytes after the last match belong to PPP, so the line is finished only from what
        /// has already arrived, and nothing is consumed.
        /// </summary>
        private void CompleteReport()
        {
            if (_gathering is null)
                return;
            if (input.TryRead(out var read))
            {
                foreach (var memory in read.Buffer)
                {
                    foreach (byte value in memory.Span)
                    {
                        if (IsControl(value) || _gathering.Count >= LineLimit)
                            goto done;
                        _gathering.Add(value);
                    }
                }
            done:
                input.AdvanceTo(read.Buffer.Start);
            }
            EndReport();
        }

        private void AddToLine(byte value)
        {
            if (value == (byte)'\n')
            {
                FlushLine();
                return;
            }
            _line.Add(value);
            if (_line.Count >= LineLimit)
                FlushLine();
        }

        private void FlushLine()
        {
            if (_line.Count == 0)
                return;
            string line = Printable.Render(_line.ToArray(), context);
            _line.Clear();
            ChatLog.Received(Log, line);
            if (line.Contains("CONNECT", StringComparison.Ordinal))
                ChatLog.Received(owner._connect, line);
            if (_echo)
                context.Display?.Invoke(line);
        }

        /// <summary>Writes a send string; null when done, or how the script ended.</summary>
        private async Task<ChatResult?> SendAsync(ChatText text)
        {
            IReadOnlyList<ChatSegment> segments;
            string display = text.Display(context);
            if (text.IsCommand)
            {
                string? output = await RunCommandAsync(text).ConfigureAwait(false);
                if (output is null)
                    return Stopped(ChatResult.Failed(_failure, _reportLines));
                segments = [new ChatSegment(Encoding.UTF8.GetBytes(output), TimeSpan.Zero)];
                display = Printable.Render(segments[0].Bytes, context);
            }
            else
            {
                segments = text.NoReturn ? text.Expand(context) : [.. text.Expand(context), new ChatSegment([(byte)'\r'], TimeSpan.Zero)];
            }
            if (segments.Count == 0)
                return null;
            ChatLog.Send(Log, display);
            foreach (var segment in segments)
            {
                if (segment.Pause > TimeSpan.Zero)
                    await Task.Delay(segment.Pause, owner._time, cancellationToken).ConfigureAwait(false);
                if (segment.Bytes.Length == 0)
                    continue;
                var flush = await output.WriteAsync(segment.Bytes, cancellationToken).ConfigureAwait(false);
                if (flush.IsCanceled)
                    return Stopped(ChatResult.Cancelled(_reportLines));
                if (flush.IsCompleted)
                    return Stopped(ChatResult.IoError("the device no longer takes output", _reportLines));
            }
            return null;
        }

        /// <summary>Runs a <c>!command</c> string; its output, or null (with <see cref="_failure"/> set) when it failed.</summary>
        private async Task<string?> RunCommandAsync(ChatText text)
        {
            string command = Encoding.UTF8.GetString(text.ExpandFlat(context).Bytes);
            string shown = text.UsesAuthKey ? context.Redact(text.Source[1..]) : context.Redact(command);
            ChatLog.Exec(Log, shown);
            string? output = context.RunCommand is null ? null : await context.RunCommand(command, cancellationToken).ConfigureAwait(false);
            if (output is null)
            {
                _failure = context.RunCommand is null ? $"{shown}: commands cannot run here" : $"{shown}: failed";
                ChatLog.ExecFailed(Log, shown, context.RunCommand is null ? "commands cannot run here" : "failed");
            }
            return output;
        }
    }
}
