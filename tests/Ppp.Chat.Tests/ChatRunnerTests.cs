using System.IO.Pipelines;
using System.Text;
using NUnit.Framework;
using Ppp.Chat.Tests.Support;

namespace Ppp.Chat.Tests;

[TestFixture]
public sealed partial class ChatRunnerTests
{
    private static readonly ChatContext Phone = new() { PhoneNumber = "5551234" };

    [Test]
    public void Run_ModemAnswers_SendsWithCarriageReturnAndSucceeds()
    {
        var h = new ChatHarness().On("AT", "\r\nOK\r\n").On("ATDT5551234", "\r\nCONNECT\r\n");
        var result = h.Run(@""""" AT OK ATDT\T CONNECT", Phone);
        Assert.That(result, Is.EqualTo(ChatResult.Success(result.Reports)));
        Assert.That((result.ExitCode, h.Sent.ToString()), Is.EqualTo((0, "AT\rATDT5551234\r")));
    }

    [Test]
    public void Run_Empty_SucceedsWithoutIo()
    {
        var h = new ChatHarness();
        Assert.That(h.Run("").Outcome, Is.EqualTo(ChatOutcome.Success));
        Assert.That(h.Sent.ToString(), Is.Empty);
    }

    [Test]
    public void Run_BackslashC_NoCarriageReturn()
    {
        var h = new ChatHarness();
        h.Run(@"""""  +++\c """" ATH");
        Assert.That(h.Sent.ToString(), Is.EqualTo("+++ATH\r"));
    }

    [Test]
    public void Run_EmptySend_SendsBareReturn()
    {
        var h = new ChatHarness();
        h.Run(@""""" """"");
        Assert.That(h.Sent.ToString(), Is.EqualTo("\r"));
    }

    [Test]
    public void Run_DelayEscape_WaitsTwoSecondsBeforeTheRest()
    {
        var h = new ChatHarness().On("AT", "OK\r\n");
        Assert.That(h.Run(@""""" AT OK AT\dDT\pX").Succeeded, Is.True);
        Assert.That(h.Commands, Is.EqualTo(new[] { ("AT", TimeSpan.Zero), ("ATDTX", TimeSpan.FromMilliseconds(2250)) }));
        Assert.That(h.Sent.ToString(), Is.EqualTo("AT\rATDTX\r"));
    }

    [Test]
    public void Run_DelayInExpect_PausesBeforeTheTimeoutStarts()
    {
        var h = new ChatHarness();
        var result = h.Run(@"TIMEOUT 3 \dOK");
        Assert.That((result.Outcome, h.Elapsed), Is.EqualTo((ChatOutcome.Timeout, TimeSpan.FromSeconds(5))));
    }

    [Test]
    public void Run_SubExpectFirstTimesOut_SendsSubSendAndExpectsAgain()
    {
        var h = new ChatHarness().On(c => c == "AT", n => n == 2 ? "\r\nOK\r\n" : null).On("ATZ", "OK\r\n");
        var result = h.Run(@""""" AT OK-AT-OK ATZ OK");
        Assert.That(result.Succeeded, Is.True);
        Assert.That(h.Commands, Is.EqualTo(new[] { ("AT", TimeSpan.Zero), ("AT", TimeSpan.FromSeconds(30)), ("ATZ", TimeSpan.FromSeconds(30)) }));
        Assert.That(h.ChatLog, Does.Contain("Chat: Expect timeout"));
    }

    [Test]
    public void Run_SubExpectMatchesAtOnce_NoSubSend()
    {
        var h = new ChatHarness();
        h.Feed("login: ");
        Assert.That(h.Run("ogin:--ogin: ppp").Succeeded, Is.True);
        Assert.That(h.Sent.ToString(), Is.EqualTo("ppp\r"));
    }

    [Test]
    public void Run_EmptySubSend_SendsBareReturnOnTimeout()
    {
        var h = new ChatHarness().On("", "\r\nlogin: ");
        Assert.That(h.Run("TIMEOUT 5 ogin:--ogin: ppp").Succeeded, Is.True);
        Assert.That(h.Commands, Is.EqualTo(new[] { ("", TimeSpan.FromSeconds(5)), ("ppp", TimeSpan.FromSeconds(5)) }));
    }

    [Test]
    public void Run_EveryAlternativeTimesOut_TimeoutOnTheLastExpect()
    {
        var h = new ChatHarness();
        var result = h.Run(@"TIMEOUT 5 """" AT OK-AT-READY");
        Assert.That(result, Is.EqualTo(ChatResult.TimedOut("READY", [])).Using<ChatResult>(SameEnding));
        Assert.That((result.ExitCode, h.Elapsed), Is.EqualTo((3, TimeSpan.FromSeconds(10))));
    }

    [Test]
    public void Run_TimeoutChangedMidScript_LaterExpectsUseIt()
    {
        var h = new ChatHarness().On("AT", "OK\r\n");
        var result = h.Run(@"TIMEOUT 5 """" AT OK ATDT TIMEOUT 40 CONNECT");
        Assert.That((result.Outcome, result.Detail, h.Elapsed), Is.EqualTo((ChatOutcome.Timeout, "CONNECT", TimeSpan.FromSeconds(40))));
        Assert.That(h.ChatLog, Does.Contain("Chat: Expect(5): OK").And.Contain("Chat: Expect(40): CONNECT"));
    }

    [Test]
    public void Run_DefaultTimeout_ThirtySeconds()
    {
        var h = new ChatHarness();
        h.Run("OK");
        Assert.That(h.Elapsed, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [TestCase("\r\nBUSY\r\n", "BUSY", 4)]
    [TestCase("\r\nNO CARRIER\r\n", "NO CARRIER", 5)]
    [TestCase("\r\nNO DIALTONE\r\n", "NO DIALTONE", 6)]
    public void Run_AbortString_AbortedWithChatExitCode(string reply, string abort, int exitCode)
    {
        var h = new ChatHarness().On("ATDT", reply);
        var result = h.Run(@"ABORT BUSY ABORT NO\sCARRIER ABORT 'NO DIALTONE' """" ATDT CONNECT");
        Assert.That((result.Outcome, result.Detail, result.ExitCode), Is.EqualTo((ChatOutcome.Aborted, abort, exitCode)));
        Assert.That(h.ChatLog, Does.Contain($"Chat: Abort: received {abort}"));
    }

    [Test]
    public void Run_ClearAbort_LaterAbortsMoveDown()
    {
        var h = new ChatHarness().On("ATDT", "ERROR\r\nNO CARRIER\r\n");
        var result = h.Run(@"ABORT BUSY ABORT ERROR ABORT NO\sCARRIER CLR_ABORT ERROR """" ATDT CONNECT");
        Assert.That((result.Detail, result.ExitCode), Is.EqualTo(("NO CARRIER", 5)));
    }

    [Test]
    public void Run_AbortPrefixThenExpect_NotConfused()
    {
        var h = new ChatHarness().On("ATDT", "NO CARNO CARRIECONNECT\r\n");
        Assert.That(h.Run(@"ABORT NO\sCARRIER """" ATDT CONNECT").Succeeded, Is.True);
    }

    [Test]
    public void Run_AbortAndExpectEndOnTheSameByte_ExpectWins()
    {
        var h = new ChatHarness().On("ATDT", "NO CARRIER\r\n");
        Assert.That(h.Run(@"ABORT NO\sCARRIER """" ATDT CARRIER").Succeeded, Is.True);
    }

    [Test]
    public void Run_AbortReceivedBeforeItWasDeclared_Ignored()
    {
        var h = new ChatHarness();
        h.Feed("BUSY\r\nOK\r\n");
        var run = h.Start(@"OK ABORT BUSY \c CONNECT");
        Assert.That(run.IsCompleted, Is.False);
        h.Feed("CONNECT");
        Assert.That(h.Finish(run).Succeeded, Is.True);
    }

    [Test]
    public void Run_OverlappingExpect_Found()
    {
        var h = new ChatHarness();
        h.Feed("ABABABC!");
        Assert.That(h.Run("ABABC").Succeeded, Is.True);
        Assert.That(h.Leftover(), Is.EqualTo("!"));
    }

    private const string ConnectLine = "\r\nCONNECT 115200\r\n";

    [Test]
    public void Run_MatchSplitAtEveryPoint_SameResultAndLeftover()
    {
        for (int split = 0; split <= ConnectLine.Length; split++)
        {
            for (int second = split; second <= ConnectLine.Length; second++)
            {
                var h = new ChatHarness();
                var run = h.Start(@"ABORT NO\sCARRIER CONNECT");
                h.Feed(ConnectLine[..split]);
                h.Feed(ConnectLine[split..second]);
                h.Feed(ConnectLine[second..]);
                Assert.That(h.Finish(run).Succeeded, Is.True, $"split at {split} and {second}");
                Assert.That(h.Leftover(), Is.EqualTo(" 115200\r\n"), $"split at {split} and {second}");
            }
        }
    }

    [Test]
    public void Run_AbortSplitAcrossReads_Aborted()
    {
        var h = new ChatHarness();
        var run = h.Start(@"ABORT NO\sCARRIER CONNECT");
        h.Feed("NO CAR");
        Assert.That(run.IsCompleted, Is.False);
        h.Feed("RIER\r\n");
        Assert.That(run.IsCompleted, Is.True);
        Assert.That(run.Result.Outcome, Is.EqualTo(ChatOutcome.Aborted));
    }

    [Test]
    public void Run_PppFramesRightAfterConnect_LeftUnreadForPpp()
    {
        byte[] frame = [0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04, 0x7e];
        var h = new ChatHarness().On(c => c == "ATDT5551234", _ => "\r\nCONNECT" + Encoding.Latin1.GetString(frame));
        Assert.That(h.Run(@""""" ATDT\T CONNECT", Phone).Succeeded, Is.True);
        Assert.That(h.Leftover(), Is.EqualTo(Encoding.Latin1.GetString(frame)));
    }

    [Test]
    public void Run_NextExpectFindsTextThatCameWithThePreviousMatch()
    {
        var h = new ChatHarness().On("AT", "OK\r\nRING\r\nCONNECT\r\n");
        var run = h.Start(@""""" AT OK \c RING \c CONNECT");
        Assert.That(run.IsCompleted, Is.True, "everything needed was in the first reply");
        Assert.That(run.Result.Succeeded, Is.True);
        Assert.That(h.Leftover(), Is.EqualTo("\r\n"));
    }

    [Test]
    public void Run_NewExpect_DoesNotMatchTextBeforeThePreviousMatch()
    {
        var h = new ChatHarness();
        h.Feed("OK OK");
        var run = h.Start(@"OK \c ""K OK""");
        Assert.That(run.IsCompleted, Is.False, "\"K OK\" must not reuse the K of the first match");
        Assert.That(h.Finish(run).Outcome, Is.EqualTo(ChatOutcome.Timeout));
    }

    [Test]
    public void Run_LongGarbageBeforeMatch_Found()
    {
        var h = new ChatHarness();
        var run = h.Start("CONNECT");
        for (int i = 0; i < 1000; i++)
            h.Feed(new string((char)('a' + i % 26), 100) + "\r\n");
        h.Feed("CONNECT");
        Assert.That(h.Finish(run).Succeeded, Is.True);
    }

    [Test]
    public void Run_Report_LineWithWhatFollowsAndPppBytesKept()
    {
        var h = new ChatHarness().On("ATDT", ConnectLine + "~");
        var result = h.Run(@"REPORT CONNECT """" ATDT CONNECT");
        Assert.That(result.Reports, Is.EqualTo(new[] { "CONNECT 115200" }));
        Assert.That(h.Leftover(), Is.EqualTo(" 115200\r\n~"));
        Assert.That(h.ChatLog, Does.Contain("Chat: Report: CONNECT 115200"));
    }

    [Test]
    public void Run_ReportMidScript_EndsAtControlCharacterAndFiresOnce()
    {
        var h = new ChatHarness().On("AT", "CARRIER 2400\r\nCARRIER 9600\r\nOK\r\n");
        var result = h.Run(@"REPORT CARRIER """" AT OK");
        Assert.That(result.Reports, Is.EqualTo(new[] { "CARRIER 2400" }));
    }

    [Test]
    public void Run_ClearReport_NotReported()
    {
        var h = new ChatHarness().On("AT", "CARRIER 2400\r\nOK\r\n");
        Assert.That(h.Run(@"REPORT CARRIER CLR_REPORT CARRIER """" AT OK").Reports, Is.Empty);
    }

    [Test]
    public void Run_ReportOnTimeout_StillReturned()
    {
        var h = new ChatHarness().On("AT", "+CSQ: 17,99\r\n");
        var result = h.Run(@"REPORT +CSQ: TIMEOUT 2 """" AT OK");
        Assert.That((result.Outcome, result.Reports.Single()), Is.EqualTo((ChatOutcome.Timeout, "+CSQ: 17,99")));
    }

    [Test]
    public void Run_SayAndEcho_GoToDisplay()
    {
        var shown = new List<string>();
        var h = new ChatHarness().On("ATI", "Modem 1.0\r\nOK\r\n");
        h.Run(@"SAY 'dialling\n' ECHO ON """" ATI OK ECHO OFF", new ChatContext { Display = shown.Add });
        Assert.That(shown, Is.EqualTo(new[] { "dialling\n", "Modem 1.0^M", "OK" }));
        Assert.That(h.ChatLog, Does.Contain("Chat: Say: dialling^J"));
    }

    [Test]
    public void Run_HangupKeyword_NoEffect()
    {
        var h = new ChatHarness().On("AT", "OK");
        Assert.That(h.Run(@"HANGUP OFF """" AT OK HANGUP ON").Succeeded, Is.True);
    }

    [Test]
    public void Run_LogLines_WordedAsPpp()
    {
        var h = new ChatHarness().On("AT", "AT\r\r\nOK\r\n");
        h.Run(@"TIMEOUT 5 """" AT OK");
        Assert.That(h.ChatLog, Is.EqualTo(new[] { "Chat: Send: AT", "Chat: Expect(5): OK", "Chat: Received: AT^M^M", "Chat: Received: OK" }));
    }

    [Test]
    public void Run_ConnectLine_AlsoLoggedAtConnectLevel()
    {
        var h = new ChatHarness().On("ATD", "\r\nCONNECT 9600\r\n");
        h.Run(@""""" ATD CONNECT\s9600\r\n");
        Assert.That(h.Log("Connect"), Is.EqualTo(new[] { "Connect: Received: CONNECT 9600^M" }));
    }

    [Test]
    public void Run_AuthKey_NeverLoggedEvenWhenEchoed()
    {
        const string key = "s3cr3t!";
        var shown = new List<string>();
        var context = new ChatContext { AuthName = "alice", AuthKey = key, Display = shown.Add };
        var h = new ChatHarness().On("", "login: ").On("alice", "alice\r\nPassword: ").On(key, key + "\r\nWelcome alice, s3cr3t!\r\n$ ");
        var result = h.Run(@"ECHO ON REPORT Welcome TIMEOUT 5 """" """" ogin: \U word: \P \P\r\n-\P-$ \c $ TIMEOUT 1 ""!\P""", context);
        Assert.That(h.Sent.ToString(), Is.EqualTo("\ralice\r" + key + "\r"));
        Assert.That(result.Reports, Is.EqualTo(new[] { "Welcome alice, ********" }));
        Assert.That(h.Logs.Text.Concat(shown).Concat(result.Reports).Append(result.Detail ?? ""), Has.None.Contains(key));
        Assert.That(h.ChatLog, Does.Contain(@"Chat: Send: \P").And.Contain("Chat: Received:  ********^M"));
        Assert.That(context.ToString(), Does.Not.Contain(key));
    }

    [Test]
    public void Run_ExpectWithAuthKeyTimesOut_DetailUnexpanded()
    {
        var h = new ChatHarness();
        var result = h.Run(@"TIMEOUT 1 pw=\P", new ChatContext { AuthKey = "hunter2" });
        Assert.That((result.Detail, h.ChatLog[0]), Is.EqualTo((@"pw=\P", @"Chat: Expect(1): pw=\P")));
    }

    [Test]
    public void Run_Cancelled_CancelledExitTwo()
    {
        var h = new ChatHarness();
        using var cts = new CancellationTokenSource();
        var run = h.Start("CONNECT", cancellationToken: cts.Token);
        cts.Cancel();
        Assert.That(run.IsCompleted, Is.True);
        Assert.That((run.Result.Outcome, run.Result.ExitCode), Is.EqualTo((ChatOutcome.Cancelled, 2)));
    }

    [Test]
    public void Run_CancelPendingRead_CancelledAndInputStillReadable()
    {
        var h = new ChatHarness();
        var run = h.Start("CONNECT");
        h.Input.Reader.CancelPendingRead();
        Assert.That(run.Result.Outcome, Is.EqualTo(ChatOutcome.Cancelled));
        h.Feed("~");
        Assert.That(h.Leftover(), Is.EqualTo("~"));
    }

    [Test]
    public void Run_CancelledDuringDelay_Cancelled()
    {
        var h = new ChatHarness();
        using var cts = new CancellationTokenSource();
        var run = h.Start(@""""" \dATZ", cancellationToken: cts.Token);
        cts.Cancel();
        Assert.That(run.Result.Outcome, Is.EqualTo(ChatOutcome.Cancelled));
        Assert.That(h.Sent.ToString(), Is.Empty);
    }

    [Test]
    public void Run_InputEnds_IoError()
    {
        var h = new ChatHarness();
        var run = h.Start("CONNECT");
        h.Feed("NO DIAL");
        h.Input.Writer.Complete();
        Assert.That(run.Result, Is.EqualTo(ChatResult.IoError("the device's input ended", [])).Using<ChatResult>(SameEnding));
        Assert.That(run.Result.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public async Task Run_WriteFails_IoError()
    {
        var input = new Pipe();
        var output = PipeWriter.Create(new FailingStream());
        var runner = new ChatRunner(new Ppp.Core.Tests.Support.CapturingLoggerFactory(), TimeProvider.System);
        Assert.That(ChatScript.TryParse(@""""" ATZ OK", out var script, out _), Is.True);
        var result = await runner.RunAsync(script!, new ChatContext(), input.Reader, output);
        Assert.That((result.Outcome, result.Detail), Is.EqualTo((ChatOutcome.IoError, "EIO")));
    }

    [Test]
    public async Task Run_ThreadPoolPipesAndSystemClock_LeftoverPreserved()
    {
        var input = new Pipe();
        var output = new Pipe();
        var runner = new ChatRunner(new Ppp.Core.Tests.Support.CapturingLoggerFactory(), TimeProvider.System);
        Assert.That(ChatScript.TryParse(@"TIMEOUT 10 """" AT OK ATD CONNECT", out var script, out _), Is.True);
        var run = runner.RunAsync(script!, new ChatContext(), input.Reader, output.Writer);
        var modem = Task.Run(async () =>
        {
            var text = new StringBuilder();
            while (!text.ToString().Contains("ATD\r", StringComparison.Ordinal))
            {
                var read = await output.Reader.ReadAsync();
                string chunk = Encoding.ASCII.GetString(read.Buffer);
                output.Reader.AdvanceTo(read.Buffer.End);
                text.Append(chunk);
                if (chunk.Contains("AT\r", StringComparison.Ordinal))
                    await input.Writer.WriteAsync("OK\r\n"u8.ToArray());
            }
            await input.Writer.WriteAsync("CONN"u8.ToArray());
            await input.Writer.WriteAsync("ECT\r\n~\x7e"u8.ToArray());
        });
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        await modem.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(result.Succeeded, Is.True);
        var rest = await input.Reader.ReadAsync();
        Assert.That(Encoding.ASCII.GetString(rest.Buffer), Is.EqualTo("\r\n~~"));
    }

    [Test]
    public void Run_CommandSendAndExpect_OutputUsedAsTheString()
    {
        var commands = new List<string>();
        var context = new ChatContext
        {
            PhoneNumber = "99",
            RunCommand = (command, _) =>
            {
                commands.Add(command);
                return Task.FromResult<string?>(command.StartsWith("dial", StringComparison.Ordinal) ? "ATD99\r" : "READY");
            },
        };
        var h = new ChatHarness().On("ATD99", "READY");
        h.Feed("go");
        var result = h.Run(@"go ""!dial \T"" ""!expect\sready""", context);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(commands, Is.EqualTo(new[] { "dial 99", "expect ready" }));
        Assert.That(h.Sent.ToString(), Is.EqualTo("ATD99\r"), "no carriage return after a command's output");
    }

    [Test]
    public void Run_CommandFails_FailedExitTwo()
    {
        var h = new ChatHarness();
        var context = new ChatContext { RunCommand = (_, _) => Task.FromResult<string?>(null) };
        var result = h.Run(@"""!chat -f /etc/ppp/login.chat""", context);
        Assert.That((result.Outcome, result.Detail, result.ExitCode), Is.EqualTo((ChatOutcome.Failed, "chat -f /etc/ppp/login.chat: failed", 2)));
        Assert.That(new ChatHarness().Run(@""""" !cmd").Detail, Is.EqualTo("cmd: commands cannot run here"));
    }

    [Test]
    public void Run_ScriptWarnings_Logged()
    {
        var h = new ChatHarness();
        h.Feed("A-B");
        h.Run("A-B");
        Assert.That(h.ChatLog, Does.Contain("Chat: Script: \"A-B\": uneven number of '-' characters, all taken literally"));
    }

    private static bool SameEnding(ChatResult a, ChatResult b) =>
        a.Outcome == b.Outcome && a.Detail == b.Detail && a.ExitCode == b.ExitCode && a.Reports.SequenceEqual(b.Reports);

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => 0;
        public override long Position { get => 0; set { } }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("EIO");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("EIO");
    }
}
