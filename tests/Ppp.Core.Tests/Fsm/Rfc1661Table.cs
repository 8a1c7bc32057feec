using Ppp.Core.Fsm;

namespace Ppp.Core.Tests.Fsm;

/// <summary>
/// RFC 1661 §4.1's state transition table in the RFC's own notation, as an independent oracle
/// for <see cref="FsmTable"/> and the executor. "3r"/"5r"/"9r" (restart option) and "3p"
/// (passive option) are read without their option letters; "x" (crossed connection) likewise.
/// </summary>
public static class Rfc1661Table
{
    private static readonly string[] Events = ["Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-", "RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR"];

    // Columns: states 0 (Initial) to 9 (Opened).
    private const string Table = """
        Up    | 2         irc,scr/6 -         -           -         -         -         -         -           -
        Down  | -         -         0         tls/1       0         1         1         1         1           tld/1
        Open  | tls/1     1         irc,scr/6 3r          5r        5r        6         7         8           9r
        Close | 0         tlf/0     2         2           4         4         irc,str/4 irc,str/4 irc,str/4   tld,irc,str/4
        TO+   | -         -         -         -           str/4     str/5     scr/6     scr/6     scr/8       -
        TO-   | -         -         -         -           tlf/2     tlf/3     tlf/3p    tlf/3p    tlf/3p      -
        RCR+  | -         -         sta/2     irc,scr,sca/8 4       5         sca/8     sca,tlu/9 sca/8       tld,scr,sca/8
        RCR-  | -         -         sta/2     irc,scr,scn/6 4       5         scn/6     scn/7     scn/6       tld,scr,scn/6
        RCA   | -         -         sta/2     sta/3       4         5         irc/7     scr/6x    irc,tlu/9   tld,scr/6x
        RCN   | -         -         sta/2     sta/3       4         5         irc,scr/6 scr/6x    irc,scr/8   tld,scr/6x
        RTR   | -         -         sta/2     sta/3       sta/4     sta/5     sta/6     sta/6     sta/6       tld,zrc,sta/5
        RTA   | -         -         2         3           tlf/2     tlf/3     6         6         8           tld,scr/6
        RUC   | -         -         scj/2     scj/3       scj/4     scj/5     scj/6     scj/7     scj/8       scj/9
        RXJ+  | -         -         2         3           4         5         6         6         8           9
        RXJ-  | -         -         tlf/2     tlf/3       tlf/2     tlf/3     tlf/3     tlf/3     tlf/3       tld,irc,str/5
        RXR   | -         -         2         3           4         5         6         7         8           ser/9
        """;

    public sealed record Cell(FsmState State, FsmEvent Event, bool Legal, FsmState Next, string[] Actions)
    {
        public override string ToString() => $"{State} x {Event}";
    }

    public static IEnumerable<Cell> Cells()
    {
        foreach (var line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var halves = line.Split('|');
            var e = ParseEvent(halves[0].Trim());
            var cells = halves[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length != 10)
                throw new InvalidOperationException($"row {halves[0]} has {cells.Length} cells");
            for (int s = 0; s < 10; s++)
                yield return ParseCell((FsmState)s, e, cells[s]);
        }
    }

    private static Cell ParseCell(FsmState state, FsmEvent e, string text)
    {
        if (text == "-")
            return new Cell(state, e, false, state, []);
        var parts = text.Split('/');
        string target = parts[^1].TrimEnd('r', 'p', 'x');
        string[] actions = parts.Length == 2 ? parts[0].Split(',') : [];
        return new Cell(state, e, true, (FsmState)int.Parse(target, System.Globalization.CultureInfo.InvariantCulture), actions);
    }

    private static FsmEvent ParseEvent(string name) => Array.IndexOf(Events, name) switch
    {
        0 => FsmEvent.Up,
        1 => FsmEvent.Down,
        2 => FsmEvent.Open,
        3 => FsmEvent.Close,
        4 => FsmEvent.TimeoutRetry,
        5 => FsmEvent.TimeoutGiveUp,
        6 => FsmEvent.ReceiveConfigureRequestGood,
        7 => FsmEvent.ReceiveConfigureRequestBad,
        8 => FsmEvent.ReceiveConfigureAck,
        9 => FsmEvent.ReceiveConfigureNak,
        10 => FsmEvent.ReceiveTerminateRequest,
        11 => FsmEvent.ReceiveTerminateAck,
        12 => FsmEvent.ReceiveUnknownCode,
        13 => FsmEvent.ReceiveRejectPermitted,
        14 => FsmEvent.ReceiveRejectCatastrophic,
        15 => FsmEvent.ReceiveEchoOrDiscard,
        _ => throw new ArgumentException(name),
    };

    public static FsmActions ToFlags(IEnumerable<string> actions)
    {
        var flags = FsmActions.None;
        foreach (var a in actions)
        {
            flags |= a switch
            {
                "tlu" => FsmActions.ThisLayerUp,
                "tld" => FsmActions.ThisLayerDown,
                "tls" => FsmActions.ThisLayerStarted,
                "tlf" => FsmActions.ThisLayerFinished,
                "irc" => FsmActions.InitializeRestartCount,
                "zrc" => FsmActions.ZeroRestartCount,
                "scr" => FsmActions.SendConfigureRequest,
                "sca" => FsmActions.SendConfigureAck,
                "scn" => FsmActions.SendConfigureNak,
                "str" => FsmActions.SendTerminateRequest,
                "sta" => FsmActions.SendTerminateAck,
                "scj" => FsmActions.SendCodeReject,
                "ser" => FsmActions.SendEchoReply,
                _ => throw new ArgumentException(a),
            };
        }
        return flags;
    }
}
