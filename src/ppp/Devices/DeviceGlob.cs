using System.IO.Enumeration;
using Ppp.Core.Config;

namespace Ppp.Daemon.Devices;

/// <summary>
/// <c>set device</c> paths that name a modem which may come back elsewhere (issue 15): a glob in
/// the last component (<c>/dev/ttyUSB*</c>, <c>/dev/serial/by-id/usb-Quectel*-if02-port0</c>;
/// <c>*</c> and <c>?</c>) or a /dev/serial/by-id link. Resolved at every attempt, so a USB modem
/// that re-enumerated as another ttyUSBn is found again. Matches are tried in name order.
/// </summary>
internal static class DeviceGlob
{
    public static bool IsGlob(DeviceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind == DeviceKind.Tty && spec.Path is { } path && Path.GetFileName(path).AsSpan().IndexOfAny('*', '?') >= 0;
    }

    /// <summary>
    /// The devices <paramref name="spec"/> stands for now: itself when it is no glob, else each
    /// match as a path of its own (none when nothing matches or the folder is missing). A glob in
    /// a folder name is not expanded.
    /// </summary>
    public static IReadOnlyList<DeviceSpec> Resolve(DeviceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!IsGlob(spec))
            return [spec];
        string path = spec.Path!;
        string folder = Path.GetDirectoryName(path) ?? "/";
        string pattern = Path.GetFileName(path);
        if (!Directory.Exists(folder))
            return [];
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(folder)
                .Where(p => FileSystemName.MatchesSimpleExpression(pattern, Path.GetFileName(p), ignoreCase: false))
                .Order(StringComparer.Ordinal)
                .Select(p => new DeviceSpec(DeviceKind.Tty, p, Path: p))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>What a path is now: the final target of a link (by-id, a published pty), else the path.</summary>
    public static string Target(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return path;
        }
    }

    /// <summary>Whether any device of the list is there now (a path that exists, or anything not a tty path).</summary>
    public static bool AnyPresent(IEnumerable<DeviceSpec> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return devices.SelectMany(Resolve).Any(d => d.Kind != DeviceKind.Tty || d.Path is null || d.Path == "-" || File.Exists(d.Path));
    }
}
