using System.Globalization;
using Ppp.Core.Fsm;

namespace Ppp.Core.Tests.Protocols.Ipcp;

/// <summary>The verdict on one peer request, as the executor would send it.</summary>
internal sealed record Verdict(string Kind, string Options)
{
    public override string ToString() => $"{Kind} [{Options}]";
}

/// <summary>
/// Calls a handler the way <see cref="ControlProtocolFsm"/> does, with options written as hex
/// ("03 06 0a 00 00 01") so test tables read like packet dumps.
/// </summary>
internal static class HandlerDriver
{
    public static byte[] Hex(string text)
    {
        string compact = text.Replace(" ", "", StringComparison.Ordinal);
        return Convert.FromHexString(compact);
    }

    public static string ToHex(ReadOnlySpan<byte> bytes)
    {
        var parts = new string[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            parts[i] = bytes[i].ToString("x2", CultureInfo.InvariantCulture);
        return string.Join(' ', parts);
    }

    /// <summary>Judges a request; "Ack" carries the request, "Nak"/"Reject" the reply options.</summary>
    public static Verdict Judge(IControlProtocolHandler handler, string request, bool naksBecomeRejects = false) =>
        Judge(handler, Hex(request), naksBecomeRejects);

    public static Verdict Judge(IControlProtocolHandler handler, byte[] request, bool naksBecomeRejects = false)
    {
        var nak = new byte[request.Length + 256];
        var reject = new byte[request.Length];
        var response = new ConfigureResponse(nak, reject, naksBecomeRejects);
        handler.JudgeRequest(request, ref response);
        if (response.HasRejects)
            return new Verdict("Reject", ToHex(response.RejectOptions));
        if (response.HasNaks)
            return new Verdict("Nak", ToHex(response.NakOptions));
        return new Verdict("Ack", ToHex(request));
    }

    /// <summary>Judges and, on an Ack, commits the peer's values as the executor does.</summary>
    public static Verdict JudgeAndCommit(IControlProtocolHandler handler, string request)
    {
        var verdict = Judge(handler, request);
        if (verdict.Kind == "Ack")
            handler.PeerRequestAcked(Hex(request));
        return verdict;
    }

    public static string Request(IControlProtocolHandler handler)
    {
        var buffer = new byte[1024];
        int length = handler.WriteRequest(buffer);
        return ToHex(buffer.AsSpan(0, length));
    }

    /// <summary>Our request is acked as sent, then both layers come up.</summary>
    public static void AckOursAndUp(IControlProtocolHandler handler)
    {
        handler.RequestAcked(Hex(Request(handler)));
        handler.LayerUp();
    }

    /// <summary>Pushes the same (typically random) bytes through every handler entry point.</summary>
    public static void ExerciseAll(IControlProtocolHandler handler, byte[] bytes, bool naksBecomeRejects)
    {
        Judge(handler, bytes, naksBecomeRejects);
        handler.ApplyNak(bytes);
        handler.ApplyReject(bytes);
        handler.RequestAcked(bytes);
        handler.PeerRequestAcked(bytes);
        handler.HandleOtherCode(bytes.Length > 0 ? bytes[0] : (byte)0, 0, bytes, FsmState.Opened);
        if (bytes.Length > 0)
            handler.DescribeOption(bytes[0], bytes.AsSpan(1));
        handler.LayerUp();
        handler.LayerDown();
        Request(handler);
        if (bytes.Length > 0 && bytes[0] % 7 == 0)
        {
            handler.LayerFinished();
            handler.ResetNegotiation();
        }
    }
}
