using System.Globalization;
using System.Text;

namespace Ppp.ModemSim.At;

/// <summary>
/// The command half of a Hayes / 3GPP modem: parses one command line (V.250 syntax: "AT",
/// then basic commands such as <c>E0Q0V1</c> back to back, S-registers, and extended
/// <c>+NAME</c> commands separated by ';') and applies it to the modem's settings. Pure: no
/// I/O and no clock, so the engine owns the line and the call, and tests drive this alone.
/// Commands before an unknown or malformed one keep their effect and the line answers ERROR,
/// as real modems do.
/// </summary>
internal sealed class AtInterpreter
{
    public const int MaxCid = 16;

    private static readonly string[] s_pdpTypes = ["IP", "IPV6", "IPV4V6", "PPP"];
    private readonly byte[] _defaultRegisters = new byte[100];
    private readonly SortedDictionary<int, PdpContext> _contexts = [];

    public AtInterpreter(bool echoByDefault = true)
    {
        EchoByDefault = echoByDefault;
        // V.250 / Hayes factory values of the registers the engine reads.
        _defaultRegisters[2] = (byte)'+';
        _defaultRegisters[3] = (byte)'\r';
        _defaultRegisters[4] = (byte)'\n';
        _defaultRegisters[5] = 8;
        _defaultRegisters[6] = 2;
        _defaultRegisters[7] = 50;
        _defaultRegisters[8] = 2;
        _defaultRegisters[10] = 14;
        _defaultRegisters[12] = 50;
        PowerCycle();
    }

    /// <summary>The power-on echo setting, which ATZ and AT&amp;F go back to.</summary>
    public bool EchoByDefault { get; }

    public bool Echo { get; private set; }

    /// <summary>ATQ1: no result codes (information text is still sent).</summary>
    public bool Quiet { get; private set; }

    /// <summary>ATV1: result codes as words rather than digits.</summary>
    public bool Verbose { get; private set; }

    /// <summary>AT&amp;D: what a DTR drop does (2: hang up, 3: hang up and reset as ATZ).</summary>
    public int DtrMode { get; private set; }

    /// <summary>AT+CFUN: 1 full, 0 minimum, 4 radio off; packet calls need 1.</summary>
    public int Functionality { get; private set; }

    /// <summary>Answer AT+CGDCONT= with ERROR (failure injection): nothing is written.</summary>
    public bool FailCgdcont { get; set; }

    /// <summary>Successful AT+CGDCONT= commands: each one rewrites the module's flash.</summary>
    public int CgdcontWrites { get; private set; }

    /// <summary>S-registers; ATZ restores them. S2 is the escape character, S12 the guard time in 20 ms.</summary>
    public byte[] Registers { get; } = new byte[100];

    /// <summary>The defined PDP contexts. Like a module's, they live in flash: ATZ keeps them.</summary>
    public IReadOnlyDictionary<int, PdpContext> Contexts => _contexts;

    /// <summary>The escape guard time from S12 (units of 20 ms).</summary>
    public TimeSpan GuardTime => TimeSpan.FromMilliseconds(Registers[12] * 20);

    /// <summary>ATZ / AT&amp;F: the settings from the profile; contexts and AT+CFUN are kept.</summary>
    public void ResetProfile()
    {
        Echo = EchoByDefault;
        Quiet = false;
        Verbose = true;
        DtrMode = 2;
        _defaultRegisters.CopyTo(Registers, 0);
    }

    /// <summary>A module restart (AT+CFUN=1,1 or an external reset): the profile and full function.</summary>
    public void PowerCycle()
    {
        ResetProfile();
        Functionality = 1;
    }

    /// <summary>Information text framed per ATV: "\r\ntext\r\n" verbose, "text\r\n" numeric.</summary>
    public string FormatInfo(string text) => Verbose ? $"\r\n{text}\r\n" : $"{text}\r\n";

    /// <summary>A result code framed per ATV and ATQ (empty when quiet); a suffix follows CONNECT.</summary>
    public string FormatResult(ResultCode code, string? suffix = null)
    {
        if (Quiet)
            return "";
        if (!Verbose)
            return string.Create(CultureInfo.InvariantCulture, $"{(int)code}\r");
        string text = ResultCodes.Text(code);
        return suffix is null ? $"\r\n{text}\r\n" : $"\r\n{text} {suffix}\r\n";
    }

    /// <summary>The whole reply to a command line: info lines, then the final result, if any.</summary>
    public string Format(AtReply reply)
    {
        var text = new StringBuilder();
        foreach (string info in reply.Info)
            text.Append(FormatInfo(info));
        if (reply.Final is ResultCode final)
            text.Append(FormatResult(final));
        return text.ToString();
    }

    /// <summary>
    /// Runs one command line, which starts with "AT" in either case (the caller finds it;
    /// anything before it is line noise). Never throws on input.
    /// </summary>
    public AtReply Execute(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var info = new List<string>();
        if (line.Length < 2 || char.ToUpperInvariant(line[0]) != 'A' || char.ToUpperInvariant(line[1]) != 'T')
            return new AtReply(info, ResultCode.Error);

        AtAction action = AtAction.None;
        int i = 2;
        while (i < line.Length)
        {
            char c = char.ToUpperInvariant(line[i]);
            if (c is ' ' or ';')
            {
                i++;
                continue;
            }

            if (c == 'D')
                return new AtReply(info, null, AtAction.Dial, line[(i + 1)..]);

            bool ok;
            if (c == '+')
            {
                int end = line.IndexOf(';', i);
                if (end < 0)
                    end = line.Length;
                ok = Extended(line[(i + 1)..end], info, ref action);
                i = end;
            }
            else if (c == 'S')
            {
                ok = Register(line, ref i, info);
            }
            else if (c == '&')
            {
                char letter = i + 1 < line.Length ? char.ToUpperInvariant(line[i + 1]) : '\0';
                i += 2;
                int? n = Number(line, ref i);
                ok = Ampersand(letter, n ?? 0, info);
            }
            else
            {
                i++;
                int? n = Number(line, ref i);
                if (c == 'O')
                    return new AtReply(info, null, AtAction.Online);
                ok = Basic(c, n ?? 0, info, ref action);
            }

            if (!ok)
                return new AtReply(info, ResultCode.Error, action);
        }

        return new AtReply(info, ResultCode.Ok, action);
    }

    private bool Basic(char letter, int n, List<string> info, ref AtAction action)
    {
        switch (letter)
        {
            case 'E' when n is 0 or 1:
                Echo = n == 1;
                return true;
            case 'Q' when n is 0 or 1:
                Quiet = n == 1;
                return true;
            case 'V' when n is 0 or 1:
                Verbose = n == 1;
                return true;
            case 'Z' when n is 0 or 1:
                ResetProfile();
                return true;
            case 'H' when n == 0:
                action = AtAction.Hangup;
                return true;
            case 'I':
                info.Add(n switch
                {
                    0 => "UserPpp modem simulator",
                    3 => "ppp-modemsim 1.0",
                    _ => "OK",
                });
                return true;
            // Speaker, result-code set, bell/CCITT, pulse/tone: accepted, nothing to simulate.
            case 'L' or 'M' or 'X' or 'B' or 'P' or 'T':
                return true;
            default:
                return false;
        }
    }

    private bool Ampersand(char letter, int n, List<string> info)
    {
        switch (letter)
        {
            case 'D' when n is >= 0 and <= 3:
                DtrMode = n;
                return true;
            case 'F' when n == 0:
                ResetProfile();
                return true;
            case 'V':
                info.Add(string.Create(CultureInfo.InvariantCulture, $"E{(Echo ? 1 : 0)} Q{(Quiet ? 1 : 0)} V{(Verbose ? 1 : 0)} &D{DtrMode} S12:{Registers[12]:D3}"));
                return true;
            // DCD mode, flow control, DSR mode, write/select profile: accepted as no-ops.
            case 'C' or 'K' or 'S' or 'W' or 'Y':
                return true;
            default:
                return false;
        }
    }

    private bool Register(string line, ref int i, List<string> info)
    {
        i++;
        int? index = Number(line, ref i);
        if (index is not int r || r >= Registers.Length || i >= line.Length)
            return false;
        if (line[i] == '?')
        {
            i++;
            info.Add(Registers[r].ToString("D3", CultureInfo.InvariantCulture));
            return true;
        }

        if (line[i] != '=')
            return false;
        i++;
        int? value = Number(line, ref i);
        if (value is not int v || v > 255)
            return false;
        Registers[r] = (byte)v;
        return true;
    }

    /// <summary>One extended command without its '+': NAME, NAME?, NAME=?, NAME=args.</summary>
    private bool Extended(string command, List<string> info, ref AtAction action)
    {
        int suffixAt = command.IndexOfAny(['=', '?']);
        string name = (suffixAt < 0 ? command : command[..suffixAt]).Trim().ToUpperInvariant();
        string suffix = suffixAt < 0 ? "" : command[suffixAt..];
        bool test = suffix == "=?";
        bool read = suffix == "?";
        bool set = !test && suffix.StartsWith('=');
        string args = set ? suffix[1..] : "";
        if (suffix.Length > 0 && !test && !read && !set)
            return false;

        bool radioOn = Functionality == 1;
        switch (name)
        {
            case "CGDCONT":
                return test ? CgdcontTest(info) : read ? CgdcontRead(info) : set && CgdcontSet(args);
            case "CFUN":
                return Cfun(test, read, set, args, info, ref action);
            case "COPS":
                if (read)
                    info.Add(radioOn ? "+COPS: 0,0,\"UserPpp Mobile\",7" : "+COPS: 0");
                else if (test)
                    info.Add("+COPS: (2,\"UserPpp Mobile\",\"UserPpp\",\"44099\",7),,(0-4),(0-2)");
                return true;
            case "CSQ":
                if (test)
                    info.Add("+CSQ: (0-31,99),(0-7,99)");
                else if (!set && !read)
                    info.Add(radioOn ? "+CSQ: 20,99" : "+CSQ: 99,99");
                return !set && !read;
            case "CREG" or "CGREG" or "CEREG":
                if (read)
                    info.Add($"+{name}: 0,{(radioOn ? 1 : 0)}");
                else if (test)
                    info.Add($"+{name}: (0-2)");
                return true;
            case "CGATT":
                if (read)
                    info.Add($"+CGATT: {(radioOn ? 1 : 0)}");
                return true;
            case "CPIN":
                if (read)
                    info.Add("+CPIN: READY");
                return read || test;
            case "CMEE" or "IPR" or "IFC" or "CMGF":
                return true;
            case "CGMI" or "GMI":
                info.Add("UserPpp");
                return !set;
            case "CGMM" or "GMM":
                info.Add("ppp-modemsim");
                return !set;
            case "CGMR" or "GMR":
                info.Add("1.0");
                return !set;
            case "CGSN" or "GSN":
                info.Add("490154203237518");
                return !set;
            case "GCAP":
                info.Add("+GCAP: +CGSM");
                return !set;
            default:
                return false;
        }
    }

    private bool Cfun(bool test, bool read, bool set, string args, List<string> info, ref AtAction action)
    {
        if (test)
        {
            info.Add("+CFUN: (0,1,4),(0,1)");
            return true;
        }

        if (read)
        {
            info.Add(string.Create(CultureInfo.InvariantCulture, $"+CFUN: {Functionality}"));
            return true;
        }

        if (!set)
            return false;
        List<string>? fields = SplitArguments(args);
        if (fields is null || fields.Count is 0 or > 2
            || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int fun) || fun is not (0 or 1 or 4))
            return false;
        int reset = 0;
        if (fields.Count == 2 && (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out reset) || reset > 1))
            return false;
        if (reset == 1)
        {
            PowerCycle();
            action = AtAction.Reset;
        }

        Functionality = fun;
        return true;
    }

    private static bool CgdcontTest(List<string> info)
    {
        foreach (string type in s_pdpTypes)
            info.Add($"+CGDCONT: (1-{MaxCid}),\"{type}\",,,(0-2),(0-4)");
        return true;
    }

    private bool CgdcontRead(List<string> info)
    {
        foreach (PdpContext context in _contexts.Values)
            info.Add(string.Create(CultureInfo.InvariantCulture, $"+CGDCONT: {context.Cid},\"{context.PdpType}\",\"{context.Apn}\",\"0.0.0.0\",0,0"));
        return true;
    }

    /// <summary>AT+CGDCONT=cid[,type[,apn[,...]]]; a cid alone undefines the context.</summary>
    private bool CgdcontSet(string args)
    {
        List<string>? fields = SplitArguments(args);
        if (FailCgdcont || fields is null || fields.Count == 0
            || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int cid) || cid is < 1 or > MaxCid)
            return false;
        if (fields.Count == 1)
        {
            _contexts.Remove(cid);
            CgdcontWrites++;
            return true;
        }

        string type = fields[1].ToUpperInvariant();
        if (!s_pdpTypes.Contains(type))
            return false;
        _contexts[cid] = new PdpContext(cid, type, fields.Count > 2 ? fields[2] : "");
        CgdcontWrites++;
        return true;
    }

    /// <summary>Comma-separated arguments, double-quoted strings unquoted; null if a quote is unclosed.</summary>
    internal static List<string>? SplitArguments(string args)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        foreach (char c in args)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString().Trim());
                current.Clear();
            }
            else
                current.Append(c);
        }

        if (quoted)
            return null;
        if (args.Length > 0)
            fields.Add(current.ToString().Trim());
        return fields;
    }

    private static int? Number(string line, ref int i)
    {
        int start = i;
        int value = 0;
        while (i < line.Length && char.IsAsciiDigit(line[i]) && i - start < 6)
        {
            value = (value * 10) + (line[i] - '0');
            i++;
        }

        return i == start ? null : value;
    }
}
