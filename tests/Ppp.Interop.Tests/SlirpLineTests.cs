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
        using SerialLine line = slirp.OpenLine();
        byte[] options = [.. Lcp.Option(Lcp.OptionAccm, 0, 0, 0, 0), .. Lcp.Option(Lcp.OptionMagicNumber, 0x01, 0x02, 0x03, 0x04)];

        // slirp never sends first. Repeat the request as a real peer would, in case it was not
        // reading yet when the first one went out.
        using var resend = new Timer(_ => line.Write(
            RawHdlc.EncodeControlPacket(Lcp.Protocol, RawControlPacket.ConfigureRequest, 0x21, options)),
            null, TimeSpan.Zero, TimeSpan.FromSeconds(2));

        TimeSpan timeout = TimeSpan.FromSeconds(15);
        RawFrame ack = await line.Frames.WaitForAsync(Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureAck, 0x21), timeout, "LCP Configure-Ack");
        Assert.That(Lcp.Packet(ack).Data, Is.EqualTo(options), slirp.Log());

        RawControlPacket request = Lcp.Packet(await line.Frames.WaitForAsync(
            Lcp.Is(Lcp.Protocol, RawControlPacket.ConfigureRequest), timeout, "LCP Configure-Request"));

        // slirp asks for mru 1500, a magic number, pcomp and accomp, and no ACCM.
        Assert.That(request.TryOptions()!.Select(o => o.Type), Is.EquivalentTo(new byte[] { 1, 5, 7, 8 }), request.ToString());
    }
}
