using System.Runtime.InteropServices;

namespace Ppp.Tun.Interop;

internal static partial class Libc
{
    /// <summary>setsid(2): the detached -background daemon leaves the caller's session and
    /// terminal, so a hang-up of that terminal does not reach it.</summary>
    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();
}
