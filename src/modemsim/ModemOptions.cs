using System.Globalization;
using Ppp.ModemSim.At;

namespace Ppp.ModemSim;

/// <summary>Where the simulator relays a call once it has answered CONNECT.</summary>
internal enum PeerKind
{
    /// <summary>No far end: data from the DTE is discarded and the call lasts until hung up.</summary>
    None,
    Exec,
    Tcp,
    Unix,
}

/// <summary>The command line of ppp-modemsim: where to publish the line, the peer, and the failures to inject.</summary>
internal sealed record ModemOptions
{
    public const string Usage = """
        usage: ppp-modemsim [options]
          --link PATH            publish the pty's slave as a symlink at PATH (replaced atomically)
          --control PATH         Unix socket for control commands (status, reset, drop, ...)
          --status-file PATH     counters, rewritten on every change and on exit
          --peer-exec 'COMMAND'  on CONNECT, run COMMAND (sh -c) and relay the line to its stdin/stdout
          --peer-tcp HOST:PORT   on CONNECT, relay the line to a TCP connection
          --peer-unix PATH       on CONNECT, relay the line to a Unix stream socket (pppd-vm --serial unix)
          --speed N              the rate CONNECT reports (default 115200)
          --no-echo              power on with ATE0 (ATZ goes back to it)
          --answer-delay MS      time from ATD to the result (default 100)
        failure injection:
          --dial RESULT[:N]      dials answer RESULT (busy, no-carrier, no-answer, no-dialtone, error,
                                 connect); with :N only the first N dials, then they connect
          --cgdcont-error        AT+CGDCONT= answers ERROR
          --ignore N             the first N command lines get no echo and no answer
          --silent               answer nothing until AT+CFUN=1,1 or an external reset
          --silent-after N       after N connects since power-on or the last reset, go silent
                                 once the call ends (a wedged module) until a reset
          --reenumerate MS       a reset closes the pty and removes its link; MS later a new pty
                                 appears at the link path with a number appended (LINK1, LINK2, ...),
                                 as a USB modem comes back as another ttyUSBn
          --byte-delay MS        send every answer octet by octet, MS apart
          --drop-after SECONDS   drop the carrier that long after CONNECT
        """;

    public string? Link { get; init; }
    public string? ControlSocket { get; init; }
    public string? StatusFile { get; init; }
    public PeerKind Peer { get; init; }

    /// <summary>The command, "host:port" or socket path, per <see cref="Peer"/>.</summary>
    public string? PeerTarget { get; init; }

    public string Speed { get; init; } = "115200";
    public bool EchoByDefault { get; init; } = true;
    public TimeSpan AnswerDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public ResultCode DialResult { get; init; } = ResultCode.Connect;

    /// <summary>How many dials get <see cref="DialResult"/> before they connect; null for all of them.</summary>
    public int? DialFailures { get; init; }

    public bool FailCgdcont { get; init; }
    public int IgnoreCommands { get; init; }
    public bool Silent { get; init; }
    public TimeSpan ByteDelay { get; init; }

    /// <summary>Connects since power-on or the last reset after which the module goes silent; null: never.</summary>
    public int? SilentAfter { get; init; }

    /// <summary>How long a reset keeps the module off the bus before it reappears under a new name; null: a reset keeps the pty.</summary>
    public TimeSpan? Reenumerate { get; init; }
    public TimeSpan? DropAfter { get; init; }

    /// <summary>Parses the arguments; on a mistake returns null and says why in <paramref name="error"/>.</summary>
    public static ModemOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new ModemOptions();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string? value = null;
            bool NeedValue(out string v)
            {
                v = "";
                if (i + 1 >= args.Count)
                    return false;
                v = args[++i];
                return true;
            }

            bool takesValue = name is not ("--no-echo" or "--cgdcont-error" or "--silent" or "--help" or "-h");
            if (takesValue && !NeedValue(out value!))
            {
                error = $"{name} needs a value";
                return null;
            }

            switch (name)
            {
                case "--help" or "-h":
                    error = "";
                    return null;
                case "--link":
                    options = options with { Link = value };
                    break;
                case "--control":
                    options = options with { ControlSocket = value };
                    break;
                case "--status-file":
                    options = options with { StatusFile = value };
                    break;
                case "--peer-exec":
                    options = options with { Peer = PeerKind.Exec, PeerTarget = value };
                    break;
                case "--peer-tcp":
                    int colon = value!.LastIndexOf(':');
                    if (colon <= 0 || !ushort.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        error = $"--peer-tcp wants HOST:PORT, not '{value}'";
                        return null;
                    }

                    options = options with { Peer = PeerKind.Tcp, PeerTarget = value };
                    break;
                case "--peer-unix":
                    options = options with { Peer = PeerKind.Unix, PeerTarget = value };
                    break;
                case "--speed":
                    options = options with { Speed = value! };
                    break;
                case "--no-echo":
                    options = options with { EchoByDefault = false };
                    break;
                case "--answer-delay":
                    if (!TryMilliseconds(value!, out TimeSpan answer))
                        return Fail(out error, name, value!);
                    options = options with { AnswerDelay = answer };
                    break;
                case "--dial":
                    if (!TryParseDial(value!, out ResultCode result, out int? failures))
                    {
                        error = $"--dial wants RESULT[:N] with RESULT one of connect, busy, no-carrier, no-answer, no-dialtone, error; not '{value}'";
                        return null;
                    }

                    options = options with { DialResult = result, DialFailures = failures };
                    break;
                case "--cgdcont-error":
                    options = options with { FailCgdcont = true };
                    break;
                case "--ignore":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int ignore))
                        return Fail(out error, name, value!);
                    options = options with { IgnoreCommands = ignore };
                    break;
                case "--silent":
                    options = options with { Silent = true };
                    break;
                case "--silent-after":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int after) || after < 1)
                        return Fail(out error, name, value!);
                    options = options with { SilentAfter = after };
                    break;
                case "--reenumerate":
                    if (!TryMilliseconds(value!, out TimeSpan gone))
                        return Fail(out error, name, value!);
                    options = options with { Reenumerate = gone };
                    break;
                case "--byte-delay":
                    if (!TryMilliseconds(value!, out TimeSpan delay))
                        return Fail(out error, name, value!);
                    options = options with { ByteDelay = delay };
                    break;
                case "--drop-after":
                    if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || seconds > 86400)
                        return Fail(out error, name, value!);
                    options = options with { DropAfter = TimeSpan.FromSeconds(seconds) };
                    break;
                default:
                    error = $"unknown option '{name}'";
                    return null;
            }
        }

        return options;
    }

    /// <summary>RESULT or RESULT:N as --dial and the control socket's "dial" take it.</summary>
    public static bool TryParseDial(string text, out ResultCode result, out int? failures)
    {
        failures = null;
        string[] parts = text.Split(':');
        if (parts.Length > 2 || !ResultCodes.TryParseName(parts[0], out result))
        {
            result = default;
            return false;
        }

        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                return false;
            failures = n;
        }

        return true;
    }

    private static bool TryMilliseconds(string text, out TimeSpan value)
    {
        bool ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int ms) && ms <= 600_000;
        value = TimeSpan.FromMilliseconds(ok ? ms : 0);
        return ok;
    }

    private static ModemOptions? Fail(out string error, string name, string value)
    {
        error = $"{name}: invalid value '{value}'";
        return null;
    }
}
