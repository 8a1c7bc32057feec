namespace Ppp.Core.Config;

/// <summary>ppp(8) <c>set parity</c>.</summary>
public enum Parity
{
    None,
    Even,
    Odd,
}

/// <summary>ppp(8) <c>set openmode</c>.</summary>
public enum OpenMode
{
    Active,
    Passive,
}

/// <summary>ppp(8) <c>resolv readonly|writable</c>: whether negotiated DNS servers may be written.</summary>
public enum ResolvMode
{
    Writable,
    ReadOnly,
}

/// <summary>The one-shot actions of <c>resolv</c>, carried out by the daemon.</summary>
public enum ResolvAction
{
    /// <summary>Read /etc/resolv.conf again as the original to restore.</summary>
    Reload,
    /// <summary>Put the original back.</summary>
    Restore,
    /// <summary>Write the negotiated servers now, even when read-only.</summary>
    Rewrite,
}

public enum CarrierMode
{
    /// <summary>The device type decides (ppp(8): a tty checks carrier for 1 second after login).</summary>
    Default,
    /// <summary><c>set cd off</c>: never look at carrier.</summary>
    Off,
    /// <summary><c>set cd N</c> or <c>set cd N!</c>: wait up to N seconds.</summary>
    Wait,
}

/// <summary>ppp(8) <c>set cd [off|seconds[!]]</c>; <see cref="Required"/> is the '!'.</summary>
public readonly record struct CarrierDetect(CarrierMode Mode, int Seconds, bool Required)
{
    public static CarrierDetect Default => default;

    public override string ToString() => Mode switch
    {
        CarrierMode.Off => "off",
        CarrierMode.Wait => $"{Seconds}{(Required ? "!" : "")}",
        _ => "default",
    };
}

/// <summary>
/// ppp(8) <c>set redial secs[+inc[-max]][.next] [attempts]</c>: wait <see cref="Seconds"/>
/// (random 1-30 s when <see cref="RandomSeconds"/>) before going back to the first number, adding
/// <see cref="Increment"/> each time up to <see cref="MaxIncrements"/> times; wait
/// <see cref="NextSeconds"/> (random 1-30 s when <see cref="RandomNext"/>) between numbers; dial
/// <see cref="Attempts"/> times (0: for ever). The daemon's policy (LinkPolicy) gives them meaning.
/// </summary>
public sealed record RedialSettings(
    int Seconds = 30,
    bool RandomSeconds = false,
    int Increment = 0,
    int MaxIncrements = 10,
    int NextSeconds = 3,
    bool RandomNext = false,
    int Attempts = 1)
{
    public const int DefaultMaxIncrements = 10;

    /// <summary>The form <c>set redial</c> takes, so that show's text can be typed back.</summary>
    public override string ToString()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string secs = RandomSeconds ? "random" : Seconds.ToString(c);
        // ppp(8) resets inc and max when "+inc" is absent; the increment part is written out
        // whenever either differs from that default, so the text parses back to the same value.
        string inc = Increment > 0 || MaxIncrements != DefaultMaxIncrements
            ? (MaxIncrements != DefaultMaxIncrements ? $"+{Increment.ToString(c)}-{MaxIncrements.ToString(c)}" : $"+{Increment.ToString(c)}")
            : "";
        string next = RandomNext ? "random" : NextSeconds.ToString(c);
        return $"{secs}{inc}.{next} {Attempts.ToString(c)}";
    }
}

/// <summary>
/// ppp(8) <c>set reconnect timeout|random ntries</c>: after a link that was up drops without
/// our asking, wait <see cref="Seconds"/> (random 1-30 s when <see cref="Random"/>) and
/// reconnect, up to <see cref="Tries"/> times.
/// </summary>
public sealed record ReconnectSettings(int Seconds = 3, bool Random = false, int Tries = 0)
{
    /// <summary>The form <c>set reconnect</c> takes.</summary>
    public override string ToString() =>
        $"{(Random ? "random" : Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))} {Tries.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
