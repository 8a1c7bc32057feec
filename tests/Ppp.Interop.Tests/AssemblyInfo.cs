using System.Runtime.Versioning;

// The peers are Linux programs on Linux ptys (pppd in QEMU, slirp, socat, stty).
[assembly: SupportedOSPlatform("linux")]
