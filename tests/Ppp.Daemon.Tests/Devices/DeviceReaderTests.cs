using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using NUnit.Framework;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Tests.Devices;

[TestFixture]
public sealed class DeviceReaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Switch_AfterConversation_HandsUnreadBytesOverBeforeLaterOnes()
    {
        var line = new ScriptedLine();
        var chat = new PipeSink();
        var reader = new DeviceReader(line, chat);
        reader.Start();
        line.Feed([.. "\r\nCONNECT 115200\r\n"u8, 0x7e, 0xff, 0x03]);

        // The conversation reads up to the end of CONNECT's line and leaves the rest.
        var result = await ReadUntil(chat.Reader, "115200\r\n");
        chat.Reader.AdvanceTo(result.consumed, result.consumed);
        var ppp = new CollectingSink();
        reader.Switch(ppp);
        line.Feed([0x7d, 0x23]);

        Assert.That(() => ppp.Text, Is.EqualTo("\x7e\xff\x03\x7d\x23").After((int)Wait.TotalMilliseconds, 10));
    }

    [Test]
    public async Task Run_LineEndsDuringConversation_ReaderSeesEndAfterLastByte()
    {
        var line = new ScriptedLine();
        var chat = new PipeSink();
        var reader = new DeviceReader(line, chat);
        reader.Start();
        line.Feed("NO CARRIER\r\n"u8.ToArray());
        line.End();

        var text = new List<byte>();
        while (true)
        {
            var read = await chat.Reader.ReadAsync().AsTask().WaitAsync(Wait);
            text.AddRange(read.Buffer.ToArray());
            chat.Reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
                break;
        }

        Assert.That(System.Text.Encoding.ASCII.GetString([.. text]), Is.EqualTo("NO CARRIER\r\n"));
    }

    [Test]
    public void OnEnded_LineFailedBeforeRegistration_ReportsReasonAtOnce()
    {
        var line = new ScriptedLine();
        var reader = new DeviceReader(line, new CollectingSink());
        reader.Start();
        line.Fail("carrier lost");
        Assert.That(() => line.Finished, Is.True.After((int)Wait.TotalMilliseconds, 10));

        // Registered after (or while) the line ended: the reason still arrives, exactly once.
        var reasons = new ConcurrentQueue<string?>();
        reader.OnEnded(reasons.Enqueue);

        Assert.That(() => reasons.ToArray(), Is.EqualTo(new[] { "carrier lost" }).After((int)Wait.TotalMilliseconds, 10));
    }

    [Test]
    public void OnEnded_OurOwnHangUp_ReportsNoError()
    {
        var line = new ScriptedLine();
        var reader = new DeviceReader(line, new CollectingSink());
        var ended = new TaskCompletionSource<string?>();
        reader.OnEnded(r => ended.TrySetResult(r));
        reader.Start();

        reader.HangingUp = true;
        line.Fail("Operation canceled");

        Assert.That(ended.Task.Wait(Wait), Is.True);
        Assert.That(ended.Task.Result, Is.Null);
    }

    [Test]
    public void Receive_OverTheCap_DropsAndCounts()
    {
        var sink = new PipeSink();
        var chunk = new byte[64 * 1024];

        for (int i = 0; i < 17; i++)
            sink.Receive(chunk);

        Assert.That(sink.Dropped, Is.EqualTo(chunk.Length));
    }

    private static async Task<(SequencePosition consumed, string text)> ReadUntil(PipeReader reader, string marker)
    {
        while (true)
        {
            var read = await reader.ReadAsync().AsTask().WaitAsync(Wait);
            string text = System.Text.Encoding.Latin1.GetString(read.Buffer.ToArray());
            int at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
                return (read.Buffer.GetPosition(at + marker.Length), text);
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private sealed class CollectingSink : ILineSink
    {
        private readonly List<byte> _bytes = [];

        public string Text
        {
            get
            {
                lock (_bytes)
                    return System.Text.Encoding.Latin1.GetString([.. _bytes]);
            }
        }

        public void Receive(ReadOnlySpan<byte> data)
        {
            lock (_bytes)
                _bytes.AddRange(data.ToArray());
        }
    }

    /// <summary>A line whose reads return what the test feeds, then end or fail.</summary>
    private sealed class ScriptedLine : IDeviceConnection
    {
        private readonly BlockingCollection<object> _reads = [];

        public string Name => "scripted";

        public IBufferWriter<byte> Output { get; } = new ArrayBufferWriter<byte>();

        public bool Finished { get; private set; }

        public void Feed(byte[] data) => _reads.Add(data);

        public void End() => _reads.Add(0);

        public void Fail(string reason) => _reads.Add(new IOException(reason));

        public int Read(Span<byte> buffer)
        {
            switch (_reads.Take())
            {
                case byte[] data:
                    data.CopyTo(buffer);
                    return data.Length;
                case IOException error:
                    Finished = true;
                    throw error;
                default:
                    Finished = true;
                    return 0;
            }
        }

        public void Flush()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
