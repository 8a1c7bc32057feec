using System.Globalization;
using Ppp.Tun.Interop;

namespace Ppp.Tun.Tty;

/// <summary>
/// How a serial line is set up: ppp(8)'s <c>set speed</c>, <c>set parity</c>,
/// <c>set ctsrts</c> and the carrier mode. Data is always 8 bits, 1 stop bit, raw.
/// </summary>
internal sealed record TtySettings
{
    /// <summary>Bits per second, or null to leave the line's speed as it is.</summary>
    public int? Speed { get; init; }

    public TtyParity Parity { get; init; } = TtyParity.None;

    /// <summary>Hardware flow control (CRTSCTS); ppp(8)'s default is on.</summary>
    public bool CtsRts { get; init; } = true;

    /// <summary>Ignore the carrier-detect line (CLOCAL): a direct cable or a pty.</summary>
    public bool Local { get; init; }

    /// <summary>The speeds Linux termios has a constant for, ascending.</summary>
    public static IReadOnlyList<int> ValidSpeeds { get; } = Termios.Speeds.ToArray();

    public static bool IsValidSpeed(int speed) => Termios.SpeedCode(speed) != 0;

    /// <summary>"unsupported speed N; valid speeds: 50 75 ... 4000000" for a config or prompt error.</summary>
    public static string SpeedError(int speed) =>
        string.Create(CultureInfo.InvariantCulture, $"unsupported speed {speed}; valid speeds: {string.Join(' ', ValidSpeeds)}");

    /// <summary>Null when these settings can be applied, otherwise why not.</summary>
    public string? Validate() =>
        Speed is int speed && !IsValidSpeed(speed) ? SpeedError(speed)
        : !Enum.IsDefined(Parity) ? $"unknown parity {Parity}"
        : null;
}
