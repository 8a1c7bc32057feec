using Microsoft.Extensions.Logging.Abstractions;
using Ppp.Core.Fsm;
using Ppp.Core.Link;
using Ppp.Core.Tests.Support;
using Ppp.Core.Time;

namespace Ppp.Core.Tests.Protocols.Ipcp;

/// <summary>
/// Two executors joined back to back on one manual clock. Packets are queued and delivered by
/// <see cref="Run"/>, never from inside a send, so neither side is re-entered mid-action.
/// </summary>
internal sealed class FsmPair
{
    private readonly Queue<(ControlProtocolFsm To, byte[] Packet)> _inFlight = new();
    private readonly ManualTimeProvider _clock = new();

    public FsmPair(IControlProtocolHandler left, IControlProtocolHandler right,
        FsmOptions? leftOptions = null, FsmOptions? rightOptions = null)
    {
        var scheduler = LinkScheduler.Inline(_clock);
        var toRight = new Output(this);
        var toLeft = new Output(this);
        Left = new ControlProtocolFsm(left, toRight, scheduler, NullLogger.Instance, leftOptions, "left");
        Right = new ControlProtocolFsm(right, toLeft, scheduler, NullLogger.Instance, rightOptions, "right");
        toRight.To = Right;
        toLeft.To = Left;
    }

    public ControlProtocolFsm Left { get; }

    public ControlProtocolFsm Right { get; }

    /// <summary>Packets delivered so far.</summary>
    public int Delivered { get; private set; }

    /// <summary>
    /// Opens and raises both sides, then delivers packets and lets restart timers fire until
    /// nothing moves or <paramref name="maxPackets"/> is reached (the caller asserts on that).
    /// </summary>
    public void Run(int maxPackets = 500)
    {
        Left.Open();
        Right.Open();
        Left.Up();
        Right.Up();
        for (int round = 0; round < 50 && Delivered < maxPackets; round++)
        {
            while (_inFlight.Count > 0 && Delivered < maxPackets)
            {
                var (to, packet) = _inFlight.Dequeue();
                Delivered++;
                to.Receive(packet);
            }
            if (_clock.PendingTimers == 0)
                break;
            _clock.Advance(TimeSpan.FromSeconds(3));
        }
    }

    private sealed class Output(FsmPair pair) : IPacketOutput
    {
        public ControlProtocolFsm? To { get; set; }

        public void Send(ushort protocol, ReadOnlySpan<byte> payload) => pair._inFlight.Enqueue((To!, payload.ToArray()));
    }
}
