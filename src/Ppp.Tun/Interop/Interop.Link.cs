using System.Runtime.InteropServices;

namespace Ppp.Tun.Interop;

/// <summary>
/// link(2): the one atomic "create this name only if it does not exist, with its content
/// already in place" a lock file needs (O_CREAT|O_EXCL alone leaves a moment in which the
/// file exists but is still empty, and a reader would take it for garbage).
/// </summary>
internal static partial class HardLink
{
    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Create(string existingPath, string newPath);
}
