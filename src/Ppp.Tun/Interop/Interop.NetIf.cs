using System.Runtime.InteropServices;

namespace Ppp.Tun.Interop;

/// <summary>net/if.h name/index lookups; they answer for the calling thread's network namespace.</summary>
internal static partial class NetIf
{
    /// <summary>The interface's index, or 0 (errno set) if no interface has that name.</summary>
    [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial uint NameToIndex(string name);
}
