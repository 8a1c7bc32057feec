using System.Globalization;
using System.Net.Sockets;
using Libc = Ppp.Tun.Interop.Libc;

namespace Ppp.Daemon.Control;

/// <summary>
/// A Unix-domain listening socket at a path, created with exactly the permissions the mask
/// allows: it is bound inside a private (0700) folder beside the target, given its mode, and
/// only then renamed into place, so no client can connect in between. A socket left by a
/// daemon that died is replaced; a live one, or any file that is not a socket, is not.
/// </summary>
internal static class LocalSocket
{
    public static Socket Listen(string path, int mask)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Unix-domain sockets with file modes need Linux");
        if (!Path.IsPathFullyQualified(path))
            throw new ArgumentException($"{path}: a local socket needs an absolute path");
        string directory = Path.GetDirectoryName(path) ?? "/";
        if (File.Exists(path) || Directory.Exists(path))
        {
            if (!Libc.IsSocket(path))
                throw new IOException($"{path} exists and is not a socket");
            if (InUse(path))
                throw new IOException($"{path} is in use (another ppp listens there)");
            File.Delete(path);
        }
        string privateDirectory = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".ppp-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(privateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            string staging = Path.Combine(privateDirectory, "s");
            socket.Bind(new UnixDomainSocketEndPoint(staging));
            File.SetUnixFileMode(staging, (UnixFileMode)(0x1FF & ~mask));
            File.Move(staging, path);
            socket.Listen(16);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        finally
        {
            try
            {
                Directory.Delete(privateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left behind at worst: an empty folder, harmless.
            }
        }
    }

    /// <summary>Removes the socket file if it is still ours (a socket), on close.</summary>
    public static void Remove(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        try
        {
            if (Libc.IsSocket(path))
                File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static bool InUse(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
