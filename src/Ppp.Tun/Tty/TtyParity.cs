namespace Ppp.Tun.Tty;

/// <summary>ppp(8) <c>set parity odd|even|none|mark</c>.</summary>
internal enum TtyParity
{
    None,
    Even,
    Odd,

    /// <summary>Parity bit always 1: Linux's CMSPAR with PARODD. Serial drivers that lack
    /// CMSPAR drop it, which <see cref="TtyPort.Effective"/> then shows.</summary>
    Mark,
}
