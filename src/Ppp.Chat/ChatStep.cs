namespace Ppp.Chat;

/// <summary>One step of a parsed script, in the order the runner takes them.</summary>
internal abstract record ChatStep;

/// <summary>
/// Wait for <c>Expects[0]</c>; each time one times out, send the matching sub-send and wait for
/// the next (<c>ogin:--ogin:</c> is Expects [ogin:, ogin:] with SubSends [""]). The last timing
/// out ends the script with a timeout.
/// </summary>
internal sealed record ExpectStep(IReadOnlyList<ChatText> Expects, IReadOnlyList<ChatText> SubSends) : ChatStep;

internal sealed record SendStep(ChatText Text) : ChatStep;

/// <summary>ABORT: a string that ends the script whenever it arrives during an expect.</summary>
internal sealed record AbortStep(ChatText Text) : ChatStep;

/// <summary>CLR_ABORT (chat(8)): forget an ABORT string; later ones move down an exit code.</summary>
internal sealed record ClearAbortStep(ChatText Text) : ChatStep;

/// <summary>REPORT (chat(8)): a string reported, with the rest of its line, the first time it arrives.</summary>
internal sealed record ReportStep(ChatText Text) : ChatStep;

/// <summary>CLR_REPORT (chat(8)): forget a REPORT string.</summary>
internal sealed record ClearReportStep(ChatText Text) : ChatStep;

/// <summary>TIMEOUT: seconds each later expect waits.</summary>
internal sealed record TimeoutStep(int Seconds) : ChatStep;

/// <summary>SAY (chat(8)): a message for the user.</summary>
internal sealed record SayStep(ChatText Text) : ChatStep;

/// <summary>
/// HANGUP ON|OFF (chat(8)): whether a modem hangup kills chat. It has no effect here: carrier
/// loss belongs to the daemon's <c>set cd</c> handling, not to the script. Parsed so that
/// chat(8) scripts run unchanged.
/// </summary>
internal sealed record HangupStep(bool On) : ChatStep;

/// <summary>ECHO ON|OFF (chat(8)): pass received text to <see cref="ChatContext.Display"/>.</summary>
internal sealed record EchoStep(bool On) : ChatStep;
