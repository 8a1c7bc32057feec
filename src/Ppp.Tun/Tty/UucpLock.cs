using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ppp.Tun.Interop;

namespace Ppp.Tun.Tty;

/// <summary>
/// A UUCP (HDB-style) lock file, <c>LCK..name</c>, which ppp(8), pppd, minicom, cu and
/// ModemManager-aware tools all honour before opening a serial line. The content is the owner's
/// pid as ten right-aligned decimal digits and a newline. A lock whose process is gone, or whose
/// content is not a pid, is stale and taken over.
/// </summary>
internal sealed partial class UucpLock : IDisposable
{
    private const int Attempts = 5;
    private readonly int _pid;
    private int _disposed;

    private UucpLock(string lockPath, int pid)
    {
        LockPath = lockPath;
        _pid = pid;
    }

    public string LockPath { get; }

    /// <summary>
    /// Takes the lock for <paramref name="devicePath"/>, creating the lock directory if needed.
    /// </summary>
    /// <exception cref="IOException">A live process holds it ("device /dev/ttyUSB0 is locked by
    /// pid N"), or the lock directory cannot be written.</exception>
    public static UucpLock Acquire(string devicePath, string lockDirectory = "/var/lock", ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(devicePath);
        ArgumentException.ThrowIfNullOrEmpty(lockDirectory);
        logger ??= NullLogger.Instance;
        Directory.CreateDirectory(lockDirectory);
        string lockPath = Path.Combine(lockDirectory, LockFileName(devicePath));
        int pid = Environment.ProcessId;

        // The content goes into a private file first and is then linked to the lock name, so the
        // lock appears with its pid already in it and a reader never sees it half written.
        string temporary = Path.Combine(lockDirectory,
            string.Create(CultureInfo.InvariantCulture, $"LTMP.{pid}.{Random.Shared.Next():x8}"));
        File.WriteAllBytes(temporary, Content(pid));
        try
        {
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                if (HardLink.Create(temporary, lockPath) == 0)
                    return new UucpLock(lockPath, pid);
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Libc.EEXIST)
                    throw Errno.Exception(errno, $"create lock {lockPath}");

                byte[] existing;
                try
                {
                    existing = File.ReadAllBytes(lockPath);
                }
                catch (FileNotFoundException)
                {
                    continue; // released between our link and our read: try again
                }
                int? holder = ParsePid(existing);
                if (holder is int live && Signal.ProcessExists(live))
                    throw new IOException($"device {devicePath} is locked by pid {live} ({lockPath})");
                if (holder is int gone)
                    LogStaleLock(logger, lockPath, gone);
                else
                    LogGarbageLock(logger, lockPath);
                // Two processes could both judge the same lock stale; whoever links first after
                // this delete wins and the other sees a live pid on its next pass.
                File.Delete(lockPath);
            }
            throw new IOException($"device {devicePath}: could not take {lockPath} after {Attempts} attempts");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// <c>LCK..</c> plus the device's name below /dev with '/' turned into '_', as pppd does:
    /// /dev/ttyUSB0 → LCK..ttyUSB0, /dev/pts/3 → LCK..pts_3 (a bare basename "3" would collide
    /// with other nested devices). A path outside /dev uses its last component.
    /// </summary>
    internal static string LockFileName(string devicePath)
    {
        string name = devicePath.StartsWith("/dev/", StringComparison.Ordinal)
            ? devicePath["/dev/".Length..]
            : Path.GetFileName(devicePath);
        return "LCK.." + name.Replace('/', '_');
    }

    /// <summary>The HDB content: "%10d\n".</summary>
    internal static byte[] Content(int pid) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{pid,10}\n"));

    /// <summary>
    /// The pid in a lock file: ASCII decimal (HDB, any padding) or, for old binary locks, a
    /// 4-byte native-endian int. Null for anything else (garbage, zero, negative).
    /// </summary>
    internal static int? ParsePid(ReadOnlySpan<byte> content)
    {
        ReadOnlySpan<byte> text = content.Trim(" \t\r\n"u8);
        if (!text.IsEmpty && !text.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int ascii) && ascii > 0 ? ascii : null;
        if (content.Length == sizeof(int))
        {
            int binary = BitConverter.IsLittleEndian
                ? BinaryPrimitives.ReadInt32LittleEndian(content)
                : BinaryPrimitives.ReadInt32BigEndian(content);
            return binary > 0 ? binary : null;
        }
        return null;
    }

    /// <summary>Removes the lock file, but only while it still names this process.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            if (ParsePid(File.ReadAllBytes(LockPath)) == _pid)
                File.Delete(LockPath);
        }
        catch (FileNotFoundException)
        {
            // Someone removed it already: nothing of ours is left.
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{LockPath}: removing stale lock of pid {Pid}, which no longer exists")]
    private static partial void LogStaleLock(ILogger logger, string lockPath, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{LockPath}: removing stale lock that holds no pid")]
    private static partial void LogGarbageLock(ILogger logger, string lockPath);
}
