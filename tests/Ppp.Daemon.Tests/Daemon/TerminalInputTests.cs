using System.IO.Pipes;
using System.Text;
using Microsoft.Win32.SafeHandles;
using NUnit.Framework;
using Ppp.Daemon.Daemon;

namespace Ppp.Daemon.Tests.Daemon;

[TestFixture]
public sealed class TerminalInputTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void ReadLine_TermAndTypingInOneWrite_BytesAfterTheLineStayForTheTerminal()
    {
        using var pipe = new InputPipe();
        pipe.Write("term\nAT\r~.\n");

        string? line = pipe.Input.ReadLine(CancellationToken.None);
        var state = pipe.Input.Fill(Wait);

        Assert.That(line, Is.EqualTo("term"));
        Assert.That(state, Is.EqualTo(TerminalInputState.Data));
        Assert.That(Encoding.ASCII.GetString(pipe.Input.Buffered), Is.EqualTo("AT\r~.\n"));
    }

    [Test]
    public void ReadLine_AfterConsumingPart_ReadsTheRest()
    {
        using var pipe = new InputPipe();
        pipe.Write("AT\r~.\nshow version\r\n");
        pipe.Input.Fill(Wait);

        pipe.Input.Consume(5);

        Assert.That(pipe.Input.ReadLine(CancellationToken.None), Is.EqualTo(""));
        Assert.That(pipe.Input.ReadLine(CancellationToken.None), Is.EqualTo("show version"));
    }

    [Test]
    public void ReadLine_LineSplitOverWrites_Joined()
    {
        using var pipe = new InputPipe();
        pipe.Write("sho");
        var reading = Task.Run(() => pipe.Input.ReadLine(CancellationToken.None));
        Assert.That(reading.Wait(TimeSpan.FromMilliseconds(300)), Is.False);

        pipe.Write("w ipcp\n");

        Assert.That(reading.Wait(Wait), Is.True);
        Assert.That(reading.Result, Is.EqualTo("show ipcp"));
    }

    [Test]
    public void ReadLine_EndOfInput_LastLineThenNull()
    {
        using var pipe = new InputPipe();
        pipe.Write("quit");
        pipe.CloseWriter();

        Assert.That(pipe.Input.ReadLine(CancellationToken.None), Is.EqualTo("quit"));
        Assert.That(pipe.Input.ReadLine(CancellationToken.None), Is.Null);
        Assert.That(pipe.Input.Fill(TimeSpan.Zero), Is.EqualTo(TerminalInputState.End));
    }

    [Test]
    public void Fill_NothingWritten_TimesOut()
    {
        using var pipe = new InputPipe();

        Assert.That(pipe.Input.Fill(TimeSpan.FromMilliseconds(50)), Is.EqualTo(TerminalInputState.TimedOut));
    }

    [Test]
    public void ReadLine_Cancelled_ThrowsWhileWaiting()
    {
        using var pipe = new InputPipe();
        using var cancel = new CancellationTokenSource();
        var reading = Task.Run(() => pipe.Input.ReadLine(cancel.Token));

        cancel.Cancel();

        Assert.That(() => reading.Wait(Wait), Throws.InstanceOf<AggregateException>()
            .With.InnerException.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void EnterRawMode_Pipe_LeavesItAlone()
    {
        using var pipe = new InputPipe();
        pipe.Write("x\n");

        using (pipe.Input.EnterRawMode())
        {
            Assert.That(pipe.Input.ReadLine(CancellationToken.None), Is.EqualTo("x"));
        }
    }

    /// <summary>An anonymous pipe: the test writes, the <see cref="TerminalInput"/> reads the other end.</summary>
    private sealed class InputPipe : IDisposable
    {
        private readonly AnonymousPipeServerStream _writer = new(PipeDirection.Out);

        public InputPipe() =>
            Input = new TerminalInput(new SafeFileHandle(_writer.ClientSafePipeHandle.DangerousGetHandle(), ownsHandle: false));

        public TerminalInput Input { get; }

        public void Write(string text)
        {
            _writer.Write(Encoding.ASCII.GetBytes(text));
            _writer.Flush();
        }

        public void CloseWriter() => _writer.Dispose();

        public void Dispose()
        {
            _writer.DisposeLocalCopyOfClientHandle();
            _writer.Dispose();
        }
    }
}
