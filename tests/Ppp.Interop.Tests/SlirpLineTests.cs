using NUnit.Framework;
using Ppp.Interop.Tests.Support;

namespace Ppp.Interop.Tests;

/// <summary>Debian's slirp on a socat pty pair, driven at the byte level.</summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class SlirpLineTests
{
    [Test]
    public async Task Slirp_OurConfigureRequest_IsAnsweredWithItsRequestAndAnAck()
    {
        using SlirpPeer slirp = SlirpPeer.Start();
        SerialLine line = slirp.Line;
        byte[] options = [.. Lcp.Option(Lcp.OptionAccm, 0, 0, 0, 0), .. Lcp.Option(Lcp.OptionMagicNumber, 0x01, 0x02, 0x03, 0x04)];
        byte[] request = RawHdlc.EncodeControlPacket(Lcp.Protocol, RawControlPacket.ConfigureRequest, 0x21, options);
        TimeSpan timeout = TimeSpan.FromSeconds(15);

        // slirp never sends first, and may not be reading yet when the first request goes
        // out: repeat it, as a real peer's restart timer would, until slirp acks it.
        RawFrame? ack = null;
        for (int attempt = 0; attempt < 7 && ack is null; attempt++)
        {
            line.Write(request);
            try
            {
                ack = await line.Frames.WaitForAsync(
                    Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureAck, 0x21), TimeSpan.FromSeconds(2), "LCP Configure-Ack");
            }
            catch (TimeoutException) when (attempt < 6)
            {
            }
        }

        Assert.That(Lcp.Packet(ack!).Data, Is.EqualTo(options), slirp.Log());
        RawControlPacket theirs = Lcp.Packet(await line.Frames.WaitForAsync(
            Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureRequest), timeout, "LCP Configure-Request"));

        // slirp asks for mru 1500, a magic number, pcomp and accomp, and no ACCM.
        Assert.That(theirs.TryOptions()!.Select(o => o.Type), Is.EquivalentTo(new byte[] { 1, 5, 7, 8 }), theirs.ToString());
    }
}
