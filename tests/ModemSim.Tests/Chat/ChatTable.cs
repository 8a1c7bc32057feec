namespace Ppp.ModemSim.Tests.Chat;

/// <summary>
/// One row of the chat table: a script in chat(8) syntax, the simulator options that make the
/// scenario, and the outcome every chat engine must reach.
/// </summary>
/// <param name="Name">A test-name-safe identifier.</param>
/// <param name="Source">Where the script comes from.</param>
/// <param name="Script">The script as <c>chat -f</c> reads it. In ppp.conf, <c>set dial "..."</c>
/// adds one level of quoting: <c>\T</c> there is <c>\\T</c>, <c>""</c> is <c>\"\"</c>.</param>
/// <param name="Scenario">Extra ppp-modemsim options (failure injection).</param>
/// <param name="Expected">What the run must end with.</param>
/// <param name="Phone">What \T stands for (chat -T).</param>
internal sealed record ChatCase(string Name, string Source, string Script, string[] Scenario, ChatOutcome Expected, string? Phone = null);

/// <summary>
/// The scripts of issue 4's table test. Debian's chat(8) and our engine each run every row
/// against a fresh simulator and must reach <see cref="ChatCase.Expected"/>.
/// </summary>
internal static class ChatTable
{
    /// <summary>The vendor's gen_pppconfig chatscript (<see cref="VendorChatScript"/>).</summary>
    public const string VendorScript = VendorChatScript.Text;

    /// <summary>FreeBSD's ppp.conf.sample default: <c>set dial "ABORT BUSY ABORT NO\\sCARRIER TIMEOUT 5 \"\" AT OK-AT-OK ATE1Q0 OK \\dATDT\\T TIMEOUT 40 CONNECT"</c>.</summary>
    public const string FreeBsdSample = """
        ABORT BUSY ABORT NO\sCARRIER TIMEOUT 5 "" AT OK-AT-OK ATE1Q0 OK \dATDT\T TIMEOUT 40 CONNECT

        """;

    /// <summary>ppp(8)'s dial example: <c>set dial "ABORT BUSY ABORT NO\\sCARRIER TIMEOUT 4 \"\" ATZ OK-ATZ-OK ATDT\\T TIMEOUT 60 CONNECT"</c>.</summary>
    public const string FreeBsdManual = """
        ABORT BUSY ABORT NO\sCARRIER TIMEOUT 4 "" ATZ OK-ATZ-OK ATDT\T TIMEOUT 60 CONNECT

        """;

    /// <summary>ppp(8)'s multilink example: <c>... TIMEOUT 5 \"\" ATZ OK-AT-OK \\dATDT\\T TIMEOUT 45 CONNECT</c>.</summary>
    public const string FreeBsdMultilink = """
        ABORT BUSY ABORT NO\sCARRIER TIMEOUT 5 "" ATZ OK-AT-OK \dATDT\T TIMEOUT 45 CONNECT

        """;

    /// <summary>chat(8)'s ABORT example.</summary>
    public const string ChatManualAbort = """
        ABORT BUSY ABORT 'NO CARRIER' '' ATZ OK ATDT5551212 CONNECT

        """;

    /// <summary>chat(8)'s ECHO example, up to the connection (the login part needs a remote system).</summary>
    public const string ChatManualEcho = """
        ABORT   'BUSY'
        ABORT   'NO CARRIER'
        ''      ATZ
        OK\r\n  ATD1234567
        \r\n    \c
        ECHO    ON
        CONNECT \c

        """;

    /// <summary>chat(8)'s REPORT example, up to the connection.</summary>
    public const string ChatManualReport = """
        REPORT CONNECT ABORT BUSY '' ATDT5551212 CONNECT ''

        """;

    private const string Phone = "5551234";

    public static IReadOnlyList<ChatCase> Cases { get; } =
    [
        new("VendorScript_Normal", "vendor gen_pppconfig", VendorScript, [], ChatOutcome.Connected),
        new("VendorScript_EchoOff", "vendor gen_pppconfig", VendorScript, ["--no-echo"], ChatOutcome.Connected),
        new("VendorScript_SlowSplitOutput", "vendor gen_pppconfig", VendorScript, ["--byte-delay", "15"], ChatOutcome.Connected),
        new("VendorScript_Busy", "vendor gen_pppconfig", VendorScript, ["--dial", "busy"], ChatOutcome.Aborted("BUSY")),
        new("VendorScript_NoCarrier", "vendor gen_pppconfig", VendorScript, ["--dial", "no-carrier"], ChatOutcome.Aborted("NO CARRIER")),
        new("VendorScript_NoAnswer", "vendor gen_pppconfig", VendorScript, ["--dial", "no-answer"], ChatOutcome.Aborted("NO ANSWER")),
        new("VendorScript_NoDialtone", "vendor gen_pppconfig", VendorScript, ["--dial", "no-dialtone"], ChatOutcome.Aborted("NO DIALTONE")),
        new("VendorScript_ErrorOnCgdcont", "vendor gen_pppconfig", VendorScript, ["--cgdcont-error"], ChatOutcome.Aborted("ERROR")),
        new("VendorScript_ErrorOnDial", "vendor gen_pppconfig", VendorScript, ["--dial", "error"], ChatOutcome.Aborted("ERROR")),
        new("FreeBsdSample_Normal", "FreeBSD ppp.conf.sample", FreeBsdSample, [], ChatOutcome.Connected, Phone),
        new("FreeBsdSample_FirstAtIgnored_SubExpectRetries", "FreeBSD ppp.conf.sample", FreeBsdSample, ["--ignore", "1"], ChatOutcome.Connected, Phone),
        new("FreeBsdSample_Busy", "FreeBSD ppp.conf.sample", FreeBsdSample, ["--dial", "busy"], ChatOutcome.Aborted("BUSY"), Phone),
        new("FreeBsdSample_NoCarrier", "FreeBSD ppp.conf.sample", FreeBsdSample, ["--dial", "no-carrier"], ChatOutcome.Aborted("NO CARRIER"), Phone),
        new("FreeBsdManual_EchoOff", "ppp(8) set dial example", FreeBsdManual, ["--no-echo"], ChatOutcome.Connected, Phone),
        new("FreeBsdManual_SilentModem_TimesOutAfterRetry", "ppp(8) set dial example", FreeBsdManual, ["--silent"], ChatOutcome.Timeout, Phone),
        new("FreeBsdMultilink_SlowSplitOutput", "ppp(8) multilink example", FreeBsdMultilink, ["--byte-delay", "25"], ChatOutcome.Connected, Phone),
        new("ChatManualAbort_Normal", "chat(8) ABORT STRINGS", ChatManualAbort, [], ChatOutcome.Connected),
        new("ChatManualAbort_Busy", "chat(8) ABORT STRINGS", ChatManualAbort, ["--dial", "busy"], ChatOutcome.Aborted("BUSY")),
        new("ChatManualAbort_NoAnswerIsNotAnAbortString_TimesOut", "chat(8) ABORT STRINGS",
            "TIMEOUT 3 " + ChatManualAbort, ["--dial", "no-answer"], ChatOutcome.Timeout),
        new("ChatManualEcho_Normal", "chat(8) ECHO", ChatManualEcho, [], ChatOutcome.Connected),
        new("ChatManualEcho_SlowSplitOutput", "chat(8) ECHO", ChatManualEcho, ["--byte-delay", "20"], ChatOutcome.Connected),
        new("ChatManualReport_Normal", "chat(8) REPORT", ChatManualReport, [], ChatOutcome.Connected),
        new("TimeoutChangedMidScript_AnswerTooSlow", "chat(8) TIMEOUT",
            "ABORT BUSY TIMEOUT 5 '' AT OK ATDT5551212 TIMEOUT 1 CONNECT\n", ["--answer-delay", "2500"], ChatOutcome.Timeout),
        new("TimeoutChangedMidScript_AnswerInTime", "chat(8) TIMEOUT",
            "ABORT BUSY TIMEOUT 1 '' AT OK ATDT5551212 TIMEOUT 5 CONNECT\n", ["--answer-delay", "2500"], ChatOutcome.Connected),
        new("ExpectsEcho_EchoOn", "echo check", "TIMEOUT 2 '' ATI3 ATI3\\r ''\n", [], ChatOutcome.Connected),
        new("ExpectsEcho_EchoOff_TimesOut", "echo check", "TIMEOUT 2 '' ATI3 ATI3\\r ''\n", ["--no-echo"], ChatOutcome.Timeout),
        new("SilentModem_CfunResetInSubExpect", "3GPP recovery",
            "ABORT ERROR TIMEOUT 2 '' AT OK-AT+CFUN=1,1-OK ATD*99# CONNECT\n", ["--silent"], ChatOutcome.Connected),
        new("PacketQueries_Normal", "3GPP status queries",
            "ABORT ERROR ABORT 'NO CARRIER' TIMEOUT 5 '' AT+CFUN? '+CFUN: 1' AT+COPS? OK AT+CSQ OK AT+CGDCONT? OK ATD*99# CONNECT\n", [],
            ChatOutcome.Connected),
        new("RadioOff_PacketDialGetsNoCarrier", "3GPP AT+CFUN=4",
            "ABORT ERROR ABORT 'NO CARRIER' TIMEOUT 5 '' AT+CFUN=4 OK ATD*99***1# CONNECT\n", [], ChatOutcome.Aborted("NO CARRIER")),
        new("BusyOnceThenConnects_FirstRunAborts", "redial scenario, first try",
            "ABORT BUSY TIMEOUT 5 '' AT OK ATDT5551212 CONNECT\n", ["--dial", "busy:1"], ChatOutcome.Aborted("BUSY")),
    ];

    public static ChatCase Get(string name) => Cases.Single(c => c.Name == name);
}
