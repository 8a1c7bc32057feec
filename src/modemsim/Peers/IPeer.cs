namespace Ppp.ModemSim.Peers;

/// <summary>
/// The far end of a call: a byte stream both ways. <see cref="Read"/> blocks and returns 0
/// when the peer has ended; <see cref="Dispose"/> ends it (kills a child, closes a socket) and
/// wakes a blocked reader.
/// </summary>
internal interface IPeer : IDisposable
{
    string Name { get; }

    int Read(Span<byte> buffer);

    void Write(ReadOnlySpan<byte> data);
}
