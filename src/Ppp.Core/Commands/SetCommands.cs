using System.Globalization;
using System.Text;
using Ppp.Core.Config;
using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Ipcp;

namespace Ppp.Core.Commands;

/// <summary>ppp(8)'s <c>set</c> variables. Each validates every value before changing anything.</summary>
internal static class SetCommands
{
    private static readonly int[] Speeds =
    [
        50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200,
        230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000,
        3500000, 4000000,
    ];

    public static CommandTable Build() => new("set",
    [
        Var("accmap", "hex-value", "the ACCM we ask the peer to use (8 hex digits, default 00000000)", Accmap),
        new CommandSpec
        {
            Name = "authkey", Aliases = ["key"], Syntax = "value", SensitiveFrom = 0, ChangesSettings = true,
            Description = "our PAP/CHAP key (and the chat's \\P); never shown", Handler = AuthKey,
        },
        Var("authname", "id", "our PAP/CHAP name (and the chat's \\U)", AuthName),
        Var("cd", "[off|seconds[!]]", "carrier detect: off, or wait up to seconds ('!': carrier required)", CarrierDetect),
        Var("choked", "[timeout]", "seconds before queued packets are dropped while the link cannot send (default 120)", Choked),
        Var("ctsrts", "on|off", "hardware flow control (default on)", CtsRts, "crtscts"),
        Var("device", "value...", "devices tried in order: /dev/tty..., !command or host:port[/tcp|udp]", Device, "line"),
        Var("dial", "chat-script", "the dial chat script", c => Script(c, (s, v) => s.DialScript = v)),
        Var("dns", "[primary [secondary]]", "DNS servers handed to a peer that asks (accept dns)", Dns),
        Var("echoperiod", "seconds [misses]", "LCP Echo-Request period with enable echo, and periods without a frame before the link is dead (default 30 5)", EchoPeriod, "lqrperiod"),
        Var("escape", "value...", "extra octets escaped on transmit (hex); none clears", Escape),
        FilterCommands.Set,
        Var("hangup", "chat-script", "the chat script run before the device is closed", c => Script(c, (s, v) => s.HangupScript = v)),
        Var("ifaddr", "[myaddr[/nn] [hisaddr[/nn] [netmask [triggeraddr]]]]", "IPCP addresses (hisaddr may be a pool a-b,c)", IfAddrVar),
        Var("ifqueue", "packets", "packets read from the tun while the link cannot send (default 30)", IfQueue),
        Var("ipcpretry", "[timeout [reqtries [trmtries]]]", "IPCP restart timer and counters (default 3 5 3)",
            c => Retry(c, (s, o) => s.IpcpRetry = o), "ipcpretries"),
        Var("ipv6cpretry", "[timeout [reqtries [trmtries]]]", "IPV6CP restart timer and counters (default 3 5 3)",
            c => Retry(c, (s, o) => s.Ipv6cpRetry = o), "ipv6cpretries"),
        Var("lcpretry", "[timeout [reqtries [trmtries]]]", "LCP restart timer and counters (default 3 5 3)",
            c => Retry(c, (s, o) => s.LcpRetry = o), "lcpretries"),
        Var("log", "[local] [+|-]level...", "log levels: a list replaces, +level/-level adjust; alone shows them", Log),
        Var("login", "chat-script", "the login chat script, run after dial", c => Script(c, (s, v) => s.LoginScript = v)),
        Var("logout", "chat-script", "the logout chat script, run before hangup", c => Script(c, (s, v) => s.LogoutScript = v)),
        Control.ControlCommands.SetMetrics,
        Var("mru", "[max[imum]] [value]", $"the MRU we ask for, or the largest we agree to ({BundleSettings.MinMru} to {BundleSettings.MaxMru}, default 1500)", Mru),
        Var("mtu", "[max[imum]] [value]", $"cap on the interface MTU, or the largest peer MRU we agree to ({BundleSettings.MinMru} to {BundleSettings.MaxMru})", Mtu),
        Var("nbns", "[x.x.x.x [y.y.y.y]]", "NetBIOS name servers handed to a peer that asks; none rejects", Nbns),
        Var("openmode", "active [delay]|passive", "send the first Configure-Request after delay seconds (default 1), or wait for the peer", OpenModeVar),
        Var("papretry", "[timeout [reqtries]]", "PAP retransmit timer and tries (default 3 3)",
            c => AuthRetry(c, (s, t, n) => { s.PapRetryTimeout = t; s.PapMaxRetries = n; }), "papretries"),
        Var("chapretry", "[timeout [reqtries]]", "CHAP retransmit timer and tries (default 3 3)",
            c => AuthRetry(c, (s, t, n) => { s.ChapRetryTimeout = t; s.ChapMaxRetries = n; }), "chapretries"),
        Var("parity", "odd|even|none", "line parity (default none)", ParityVar),
        Var("phone", "telno[|backup]...[:next]...", "numbers for \\T: '|' backups on failure, ':' next in turn", Phone),
        Var("reconnect", "timeout|random ntries", "wait and reconnect after a link that was up drops (default 3 0)", Reconnect),
        Var("redial", "secs[+inc[-max]][.next] [attempts]", "delays between dial attempts and numbers (default 30.3 1)", Redial),
        .. CellularCommands.SetVariables,
        Control.ControlCommands.SetServer,
        Var("speed", "value|sync", "the tty speed, or synchronous framing", Speed),
        Var("stopped", "[LCPseconds [CCPseconds]]", "leave the Stopped state after this long (0: never)", Stopped),
        Var("timeout", "idleseconds [mintimeout]", "close the link after idleseconds without traffic (0: never; default 180)", Timeout),

        NotImplemented("autoload", "multilink demand links", "multilink (RFC 1990) is not implemented"),
        NotImplemented("bandwidth", "multilink bandwidth", "multilink (RFC 1990) is not implemented"),
        NotImplemented("callback", "callback options", "callback (RFC 1570) is not implemented"),
        NotImplemented("cbcp", "Microsoft callback", "CBCP callback is not implemented"),
        NotImplemented("ccpretry", "CCP restart timer", "CCP compression is not implemented", "ccpretries"),
        NotImplemented("deflate", "Deflate window sizes", "CCP compression is not implemented"),
        NotImplemented("enddisc", "endpoint discriminator", "multilink (RFC 1990) is not implemented"),
        NotImplemented("mode", "change the link mode", "the mode is chosen on the command line (-auto, -direct, -background, ...)"),
        NotImplemented("mppe", "MPPE key sizes", "MPPE is not implemented"),
        NotImplemented("mrru", "multilink MRRU", "multilink (RFC 1990) is not implemented"),
        NotImplemented("pppoe", "PPPoE mode", "PPPoE devices are not implemented"),
        NotImplemented("proctitle", "process title", "the process title cannot be set from .NET", "title"),
        NotImplemented("radius", "RADIUS configuration", "RADIUS is not implemented"),
        NotImplemented("rad_alive", "RADIUS accounting period", "RADIUS is not implemented"),
        NotImplemented("recvpipe", "route RECVPIPE", "Linux routes have no RECVPIPE"),
        NotImplemented("sendpipe", "route SENDPIPE", "Linux routes have no SENDPIPE"),
        NotImplemented("urgent", "urgent ports", "urgent-port queueing is not implemented"),
        NotImplemented("vj", "Van Jacobson slots", "Van Jacobson compression is not implemented"),
    ]);

    private static CommandSpec Var(string name, string syntax, string description, Func<CommandContext, string?> handler, params string[] aliases) => new()
    {
        Name = name,
        Aliases = aliases,
        Syntax = syntax,
        Description = description,
        Handler = handler,
        ChangesSettings = true,
    };

    internal static CommandSpec NotImplemented(string name, string description, string why, params string[] aliases) => new()
    {
        Name = name,
        Aliases = aliases,
        Description = description,
        NotImplemented = why,
    };

    private static string? TooMany(CommandContext c, int max) =>
        c.Args.Count > max ? $"{c.Path}: too many arguments ({c.Args.Count}); {c.Usage}" : null;

    private static string? Missing(CommandContext c, int min) =>
        c.Args.Count < min ? $"{c.Path}: missing argument; {c.Usage}" : null;

    private static string? Accmap(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 1)) is { } error)
            return error;
        string word = c.Args[0];
        string digits = word.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? word[2..] : word;
        if (digits.Length is < 1 or > 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
            return $"{c.Path}: \"{word}\" is not a hex ACCM (up to 8 hex digits, e.g. 000a0000)";
        c.Settings.Accmap = value;
        return null;
    }

    private static string? AuthKey(CommandContext c)
    {
        // The value is never echoed, even in errors.
        if (c.Args.Count > 1)
            return $"{c.Path}: too many arguments ({c.Args.Count}); quote a key that holds blanks";
        c.Settings.AuthKey = c.Args.Count == 0 ? null : c.Args[0];
        return null;
    }

    private static string? AuthName(CommandContext c)
    {
        if (TooMany(c, 1) is { } error)
            return error;
        c.Settings.AuthName = c.Args.Count == 0 ? null : c.Args[0];
        return null;
    }

    private static string? CarrierDetect(CommandContext c)
    {
        if (TooMany(c, 1) is { } error)
            return error;
        if (c.Args.Count == 0)
        {
            c.Settings.CarrierDetect = Config.CarrierDetect.Default;
            return null;
        }
        string word = c.Args[0];
        if (word.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            c.Settings.CarrierDetect = new CarrierDetect(CarrierMode.Off, 0, false);
            return null;
        }
        bool required = word.EndsWith('!');
        var (seconds, parseError) = ArgParse.Int(c.Path, required ? word[..^1] : word, 0, 3600);
        if (parseError is not null)
            return $"{parseError} (want off or seconds[!])";
        c.Settings.CarrierDetect = new CarrierDetect(CarrierMode.Wait, seconds, required);
        return null;
    }

    private static string? Choked(CommandContext c)
    {
        if (TooMany(c, 1) is { } error)
            return error;
        int seconds = 120;
        if (c.Args.Count == 1)
        {
            string word = c.Args[0];
            if (!int.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds))
                return $"{c.Path}: \"{word}\" is not a number";
            // ppp(8): zero or less means the default.
            if (seconds <= 0)
                seconds = 120;
            if (seconds > 86400)
                return $"{c.Path}: {seconds} is out of range (1 to 86400)";
        }
        c.Settings.Choked = TimeSpan.FromSeconds(seconds);
        return null;
    }

    private static string? CtsRts(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 1)) is { } error)
            return error;
        var (value, parseError) = ArgParse.OnOff(c.Path, c.Args[0]);
        if (parseError is not null)
            return parseError;
        c.Settings.CtsRts = value;
        return null;
    }

    private static string? Device(CommandContext c)
    {
        if (Missing(c, 1) is { } error)
            return error;
        var devices = new List<DeviceSpec>();
        foreach (string word in c.Args)
        {
            var (device, parseError) = DeviceSpec.Parse(word);
            if (parseError is not null)
                return $"{c.Path}: {parseError}";
            devices.Add(device!);
        }
        c.Settings.Devices.Clear();
        c.Settings.Devices.AddRange(devices);
        return null;
    }

    /// <summary>
    /// ppp(8) takes the script as one (quoted) argument. Several unquoted words are joined back
    /// with their empty strings and blanks quoted, so <c>set dial ABORT BUSY "" ATZ</c> keeps its
    /// empty expect string. Backslashes are left for the chat parser.
    /// </summary>
    internal static string? Script(CommandContext c, Action<BundleSettings, string?> set)
    {
        string? script = c.Args.Count switch
        {
            0 => null,
            1 => c.Args[0],
            _ => string.Join(' ', c.Args.Select(QuoteForChat)),
        };
        if (!string.IsNullOrEmpty(script) && c.Interpreter.Options.CheckChatScript?.Invoke(script) is { } problem)
            return $"{c.Path}: {problem}";
        set(c.Settings, string.IsNullOrEmpty(script) ? null : script);
        return null;
    }

    private static string QuoteForChat(string word)
    {
        if (word.Length > 0 && word.AsSpan().IndexOfAny(" \t\"") < 0)
            return word;
        return "\"" + word.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static string? Dns(CommandContext c)
    {
        if (TooMany(c, 2) is { } error)
            return error;
        var (primary, secondary, parseError) = TwoAddresses(c);
        if (parseError is not null)
            return parseError;
        c.Settings.PrimaryDns = primary;
        c.Settings.SecondaryDns = secondary;
        return null;
    }

    private static string? Nbns(CommandContext c)
    {
        if (TooMany(c, 2) is { } error)
            return error;
        var (primary, secondary, parseError) = TwoAddresses(c);
        if (parseError is not null)
            return parseError;
        c.Settings.PrimaryNbns = primary;
        c.Settings.SecondaryNbns = secondary;
        return null;
    }

    private static (System.Net.IPAddress?, System.Net.IPAddress?, string?) TwoAddresses(CommandContext c)
    {
        System.Net.IPAddress? first = null, second = null;
        if (c.Args.Count >= 1)
        {
            var (value, error) = ArgParse.Ipv4(c.Path, c.Args[0]);
            if (error is not null)
                return (null, null, error);
            first = value;
        }
        if (c.Args.Count >= 2)
        {
            var (value, error) = ArgParse.Ipv4(c.Path, c.Args[1]);
            if (error is not null)
                return (null, null, error);
            second = value;
        }
        return (first, second, null);
    }

    /// <summary>
    /// <c>set echoperiod seconds [misses]</c>. ppp(8) has no miss count (its LCP gives up after 5
    /// unanswered requests); a missing one goes back to that default, as the retry commands do.
    /// </summary>
    private static string? EchoPeriod(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 2)) is { } error)
            return error;
        var (seconds, parseError) = ArgParse.Int(c.Path, c.Args[0], 1, 3600);
        if (parseError is not null)
            return parseError;
        int misses = BundleSettings.DefaultEchoFailures;
        if (c.Args.Count == 2)
        {
            var (value, missesError) = ArgParse.Int($"{c.Path}: misses", c.Args[1], 1, 100);
            if (missesError is not null)
                return missesError;
            misses = value;
        }
        c.Settings.EchoPeriod = TimeSpan.FromSeconds(seconds);
        c.Settings.EchoFailures = misses;
        return null;
    }

    private static string? Escape(CommandContext c)
    {
        var octets = new List<byte>();
        foreach (string word in c.Args)
        {
            var (value, error) = ArgParse.HexByte(c.Path, word);
            if (error is not null)
                return error;
            if (!octets.Contains(value))
                octets.Add(value);
        }
        c.Settings.Escape.Clear();
        c.Settings.Escape.AddRange(octets);
        return null;
    }

    private static string? IfAddrVar(CommandContext c)
    {
        var (value, error) = IfAddr.Parse(c.Args);
        if (error is not null)
            return $"{c.Path}: {error}";
        c.Settings.IfAddr = value!;
        return null;
    }

    private static string? IfQueue(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 1)) is { } error)
            return error;
        var (value, parseError) = ArgParse.Int(c.Path, c.Args[0], 0, 100000);
        if (parseError is not null)
            return parseError;
        c.Settings.IfQueue = value;
        return null;
    }

    private static string? Retry(CommandContext c, Action<BundleSettings, FsmOptions> set)
    {
        if (TooMany(c, 3) is { } error)
            return error;
        var options = FsmOptions.Default;
        if (c.Args.Count >= 1)
        {
            var (timeout, e) = ArgParse.Int($"{c.Path}: timeout", c.Args[0], 1, 300);
            if (e is not null)
                return e;
            options = options with { RestartTimeout = TimeSpan.FromSeconds(timeout) };
        }
        if (c.Args.Count >= 2)
        {
            var (tries, e) = ArgParse.Int($"{c.Path}: reqtries", c.Args[1], 1, 100);
            if (e is not null)
                return e;
            options = options with { MaxConfigure = tries };
        }
        if (c.Args.Count >= 3)
        {
            var (tries, e) = ArgParse.Int($"{c.Path}: trmtries", c.Args[2], 1, 100);
            if (e is not null)
                return e;
            options = options with { MaxTerminate = tries };
        }
        set(c.Settings, options);
        return null;
    }

    private static string? AuthRetry(CommandContext c, Action<BundleSettings, TimeSpan, int> set)
    {
        if (c.Args.Count > 2)
            return $"{c.Path}: \"{c.Args[2]}\": no trmtries, PAP and CHAP are not terminated; {c.Usage}";
        int timeout = 3, tries = 3;
        if (c.Args.Count >= 1)
        {
            var (value, e) = ArgParse.Int($"{c.Path}: timeout", c.Args[0], 1, 300);
            if (e is not null)
                return e;
            timeout = value;
        }
        if (c.Args.Count >= 2)
        {
            var (value, e) = ArgParse.Int($"{c.Path}: reqtries", c.Args[1], 1, 100);
            if (e is not null)
                return e;
            tries = value;
        }
        set(c.Settings, TimeSpan.FromSeconds(timeout), tries);
        return null;
    }

    private static string? Log(CommandContext c)
    {
        var args = c.Args;
        bool local = args.Count > 0 && args[0].Equals("local", StringComparison.OrdinalIgnoreCase);
        if (local)
            args = [.. args.Skip(1)];
        var target = local ? c.Settings.LocalLogLevels : c.Settings.LogLevels;
        if (args.Count == 0)
        {
            if (c.Args.Count == 0)
            {
                ShowCommands.WriteLog(c.Settings, c.Output);
                return null;
            }
            target.Clear();
            target.UnionWith(LogLevels.AlwaysOn);
            c.Interpreter.OnLogLevelsChanged();
            return null;
        }
        bool adjust = args[0].StartsWith('+') || args[0].StartsWith('-');
        var result = adjust ? new HashSet<string>(target, StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
        foreach (string word in args)
        {
            bool remove = word.StartsWith('-');
            string name = word.StartsWith('+') || remove ? word[1..] : word;
            IEnumerable<string> levels;
            if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
                levels = LogLevels.Supported;
            else if (!remove && LogLevels.Unsupported.TryGetValue(name, out string? why))
                return $"{c.Path}: {LogLevels.Find(name)}: {why}";
            else if (LogLevels.Find(name) is { } level)
                levels = [level];
            else
                return $"{c.Path}: unknown log level \"{name}\" (levels: all, {string.Join(", ", LogLevels.All)})";
            if (remove)
                result.ExceptWith(levels);
            else
                result.UnionWith(levels);
        }
        // Warning, Error and Alert are not under set log's control (ppp(8) "LOGGING FACILITIES").
        result.UnionWith(LogLevels.AlwaysOn);
        target.Clear();
        target.UnionWith(result);
        c.Interpreter.OnLogLevelsChanged();
        return null;
    }

    private static string? Mru(CommandContext c) => MruMtu(c, isMru: true);

    private static string? Mtu(CommandContext c) => MruMtu(c, isMru: false);

    private static string? MruMtu(CommandContext c, bool isMru)
    {
        var args = c.Args;
        bool max = args.Count > 0 && (args[0].Equals("max", StringComparison.OrdinalIgnoreCase) || args[0].Equals("maximum", StringComparison.OrdinalIgnoreCase));
        if (max)
            args = [.. args.Skip(1)];
        if (args.Count > 1)
            return $"{c.Path}: too many arguments; {c.Usage}";
        if (max && args.Count == 0)
            return $"{c.Path}: maximum needs a value; {c.Usage}";
        int? value = null;
        if (args.Count == 1)
        {
            var (parsed, error) = ArgParse.Int(c.Path, args[0], BundleSettings.MinMru, BundleSettings.MaxMru);
            if (error is not null)
                return error;
            value = parsed;
        }
        var s = c.Settings;
        if (isMru)
        {
            // Without an explicit MRU the default follows the maximum down (PPPoE: set mru max 1492).
            int? mru = max ? s.Mru : value;
            int? limit = max ? value : s.MaxMruLimit;
            if (mru is int m && limit is int l && m > l)
                return $"{c.Path}: MRU {m} is above the maximum {l}";
            if (max)
                s.MaxMruLimit = value;
            else
                s.Mru = value;
        }
        else
        {
            int? mtu = max ? s.Mtu : value;
            int? limit = max ? value : s.MaxMtu;
            if (mtu is int m && limit is int l && m > l)
                return $"{c.Path}: MTU {m} is above the maximum {l}";
            if (max)
                s.MaxMtu = value;
            else
                s.Mtu = value;
        }
        return null;
    }

    private static string? OpenModeVar(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 2)) is { } error)
            return error;
        string mode = c.Args[0];
        if (mode.Equals("passive", StringComparison.OrdinalIgnoreCase))
        {
            if (c.Args.Count > 1)
                return $"{c.Path}: \"{c.Args[1]}\": a delay applies to active only";
            c.Settings.OpenMode = OpenMode.Passive;
            return null;
        }
        if (!mode.Equals("active", StringComparison.OrdinalIgnoreCase))
            return $"{c.Path}: \"{mode}\" is not active or passive";
        if (c.Args.Count == 2)
        {
            var (value, e) = ArgParse.Int($"{c.Path}: delay", c.Args[1], 0, 3600);
            if (e is not null)
                return e;
            // ppp(8) waits in Stopped for the delay; here the first Configure-Request goes at once.
            if (value != 0)
                return $"{c.Path}: active {value}: a delay before the first Configure-Request is not implemented (an active open sends it at once); use \"active\" or \"passive\"";
        }
        c.Settings.OpenMode = OpenMode.Active;
        return null;
    }

    private static string? ParityVar(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 1)) is { } error)
            return error;
        switch (c.Args[0].ToUpperInvariant())
        {
            case "NONE":
                c.Settings.Parity = Parity.None;
                return null;
            case "EVEN":
                c.Settings.Parity = Parity.Even;
                return null;
            case "ODD":
                c.Settings.Parity = Parity.Odd;
                return null;
            case "MARK":
                return $"{c.Path}: mark parity is not supported";
            default:
                return $"{c.Path}: \"{c.Args[0]}\" is not odd, even or none";
        }
    }

    private static string? Phone(CommandContext c)
    {
        var numbers = new List<IReadOnlyList<string>>();
        foreach (string word in c.Args)
        {
            foreach (string group in word.Split(':'))
            {
                string[] alternatives = group.Split('|');
                foreach (string number in alternatives)
                {
                    if (number.Length == 0)
                        return $"{c.Path}: \"{word}\" has an empty number";
                    if (!number.All(ch => char.IsAsciiLetterOrDigit(ch) || "*#+-,.()@!&^~ ".Contains(ch, StringComparison.Ordinal)))
                        return $"{c.Path}: \"{number}\" is not a phone number";
                }
                numbers.Add(alternatives);
            }
        }
        c.Settings.PhoneNumbers.Clear();
        c.Settings.PhoneNumbers.AddRange(numbers);
        return null;
    }

    /// <summary>Longest wait <c>set redial</c> and <c>set reconnect</c> take, in seconds (a day).</summary>
    internal const int MaxWaitSeconds = 86400;

    private static string? Reconnect(CommandContext c)
    {
        if (c.Args.Count != 2)
            return $"{c.Path}: want 2 arguments, got {c.Args.Count}; {c.Usage}";
        bool random = c.Args[0].Equals("random", StringComparison.OrdinalIgnoreCase);
        int seconds = new ReconnectSettings().Seconds;
        if (!random)
        {
            var (value, e) = ArgParse.Int($"{c.Path}: timeout", c.Args[0], 0, MaxWaitSeconds);
            if (e is not null)
                return e;
            seconds = value;
        }
        var (tries, triesError) = ArgParse.Int($"{c.Path}: ntries", c.Args[1], 0, 10000);
        if (triesError is not null)
            return triesError;
        c.Settings.Reconnect = new ReconnectSettings(seconds, random, tries);
        return null;
    }

    /// <summary>
    /// <c>set redial secs[+inc[-max]][.next] [attempts]</c>. As in ppp(8), the parts of the first
    /// word that are left out go back to their defaults (inc 0, max 10, next 3) and a missing
    /// attempts count keeps the previous one.
    /// </summary>
    private static string? Redial(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 2)) is { } error)
            return error;
        var (redial, parseError) = ParseRedial(c.Args[0]);
        if (parseError is not null)
            return $"{c.Path}: {parseError}";
        int attempts = c.Settings.Redial.Attempts;
        if (c.Args.Count == 2)
        {
            var (value, e) = ArgParse.Int($"{c.Path}: attempts", c.Args[1], 0, 10000);
            if (e is not null)
                return e;
            attempts = value;
        }
        c.Settings.Redial = redial! with { Attempts = attempts };
        return null;
    }

    /// <summary>
    /// Parses <c>secs[+inc[-max]][.next]</c>, where secs and next may be "random" (a random wait
    /// of 1 to 30 s; a random secs takes no increment). Attempts is left at its default.
    /// </summary>
    internal static (RedialSettings? Value, string? Error) ParseRedial(string word)
    {
        const string Form = "want secs[+inc[-max]][.next]";
        var settings = new RedialSettings();
        string rest = word;
        string? next = null;
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            next = rest[(dot + 1)..];
            rest = rest[..dot];
        }
        string? inc = null;
        int plus = rest.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            inc = rest[(plus + 1)..];
            rest = rest[..plus];
        }
        if (rest.Equals("random", StringComparison.OrdinalIgnoreCase))
        {
            if (inc is not null)
                return (null, $"a random secs takes no increment in \"{word}\" ({Form})");
            settings = settings with { RandomSeconds = true };
        }
        else
        {
            var (seconds, e) = ArgParse.Int("secs", rest, 0, MaxWaitSeconds);
            if (e is not null)
                return (null, $"{e} in \"{word}\" ({Form})");
            settings = settings with { Seconds = seconds };
        }
        if (inc is not null)
        {
            string? max = null;
            int dash = inc.IndexOf('-', StringComparison.Ordinal);
            if (dash >= 0)
            {
                max = inc[(dash + 1)..];
                inc = inc[..dash];
            }
            var (increment, e) = ArgParse.Int("inc", inc, 0, MaxWaitSeconds);
            if (e is not null)
                return (null, $"{e} in \"{word}\" ({Form})");
            settings = settings with { Increment = increment };
            if (max is not null)
            {
                var (maxIncrements, maxError) = ArgParse.Int("max", max, 0, 10000);
                if (maxError is not null)
                    return (null, $"{maxError} in \"{word}\" ({Form})");
                settings = settings with { MaxIncrements = maxIncrements };
            }
        }
        if (next is not null)
        {
            if (next.Equals("random", StringComparison.OrdinalIgnoreCase))
            {
                settings = settings with { RandomNext = true };
            }
            else
            {
                var (nextSeconds, e) = ArgParse.Int("next", next, 0, MaxWaitSeconds);
                if (e is not null)
                    return (null, $"{e} in \"{word}\" ({Form})");
                settings = settings with { NextSeconds = nextSeconds };
            }
        }
        return (settings, null);
    }

    private static string? Speed(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 1)) is { } error)
            return error;
        string word = c.Args[0];
        if (word.Equals("sync", StringComparison.OrdinalIgnoreCase))
        {
            c.Settings.Synchronous = true;
            c.Settings.Speed = null;
            return null;
        }
        if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int speed) || !Speeds.Contains(speed))
            return $"{c.Path}: \"{word}\" is not a tty speed ({string.Join(", ", Speeds)}) or sync";
        c.Settings.Speed = speed;
        c.Settings.Synchronous = false;
        return null;
    }

    private static string? Stopped(CommandContext c)
    {
        if (TooMany(c, 2) is { } error)
            return error;
        int seconds = 0;
        if (c.Args.Count >= 1)
        {
            var (value, e) = ArgParse.Int($"{c.Path}: LCPseconds", c.Args[0], 0, 86400);
            if (e is not null)
                return e;
            seconds = value;
        }
        if (c.Args.Count == 2 && c.Args[1] != "0")
            return $"{c.Path}: CCPseconds \"{c.Args[1]}\": CCP compression is not implemented";
        if (seconds != 0)
            return $"{c.Path}: {seconds}: a Stopped-state timeout is not implemented (LCP stays in Stopped until the peer speaks, the line drops or close); only 0 (never) is accepted";
        return null;
    }

    private static string? Timeout(CommandContext c)
    {
        if ((Missing(c, 1) ?? TooMany(c, 2)) is { } error)
            return error;
        var (idle, e) = ArgParse.Int($"{c.Path}: idleseconds", c.Args[0], 0, 31536000);
        if (e is not null)
            return e;
        int minimum = 0;
        if (c.Args.Count == 2)
        {
            var (value, minError) = ArgParse.Int($"{c.Path}: mintimeout", c.Args[1], 0, 31536000);
            if (minError is not null)
                return minError;
            minimum = value;
        }
        c.Settings.IdleTimeout = TimeSpan.FromSeconds(idle);
        c.Settings.IdleMinimum = TimeSpan.FromSeconds(minimum);
        return null;
    }

    internal static string FormatPhones(BundleSettings settings) =>
        string.Join(':', settings.PhoneNumbers.Select(g => string.Join('|', g)));

    internal static string FormatEscape(BundleSettings settings)
    {
        var builder = new StringBuilder();
        foreach (byte b in settings.Escape)
            builder.Append(CultureInfo.InvariantCulture, $"0x{b:x2} ");
        return builder.ToString().TrimEnd();
    }
}
