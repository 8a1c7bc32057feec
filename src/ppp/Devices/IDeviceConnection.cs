using System.IO.Pipelines;

namespace Ppp.Daemon.Devices;

/// <summary>
/// An open line carrying PPP bytes. <see cref="Input"/> completes when the line hangs up;
/// <see cref="Output"/> takes encoded frames (flushed per frame by the transmitter).
/// Disposing hangs up (closes the socket, drops DTR, ends the child).
/// </summary>
internal interface IDeviceConnection : IAsyncDisposable
{
    /// <summary>How ppp(8)'s <c>show physical</c> names it: the device word.</summary>
    string Name { get; }

    PipeReader Input { get; }

    PipeWriter Output { get; }

    /// <summary>Carrier for a tty (null when the line has no such signal).</summary>
    bool? Carrier => null;
}
