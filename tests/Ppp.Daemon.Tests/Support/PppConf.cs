namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// One daemon's configuration folder (PPP_CONFDIR: ppp.conf, ppp.secret) and its log file
/// (PPP_LOGFILE), in the test's temporary folder.
/// </summary>
internal sealed class PppConf
{
    private PppConf(string name, string directory)
    {
        Name = name;
        Directory = directory;
        Log = new DaemonLog(name, Path.Combine(directory, "ppp.log"));
    }

    /// <summary>Which side this is ("A", "B"), for messages.</summary>
    public string Name { get; }

    public string Directory { get; }

    public DaemonLog Log { get; }

    /// <summary>The variables that point the daemon at this folder and log.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["PPP_CONFDIR"] = Directory,
        ["PPP_LOGFILE"] = Log.Path,
        ["PPP_STATEDIR"] = StateDirectory,
    };

    /// <summary>The daemon's state directory (set provision's state), inside this folder so no test writes to /var/lib.</summary>
    public string StateDirectory => Path.Combine(Directory, "state");

    /// <summary>Writes ppp.conf (and ppp.secret if given) into a new folder under <paramref name="parent"/>.</summary>
    public static PppConf Create(string parent, string name, string pppConf, string? pppSecret = null)
    {
        string directory = Path.Combine(parent, name);
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "ppp.conf"), pppConf);
        if (pppSecret is not null)
        {
            string secret = Path.Combine(directory, "ppp.secret");
            File.WriteAllText(secret, pppSecret);
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new PppConf(name, directory);
    }

    /// <summary>
    /// Writes a script that runs the daemon with this configuration, for programs that start
    /// it themselves (socat EXEC:, as inetd would): <c>SCRIPT -direct label</c>.
    /// </summary>
    public string WriteWrapper()
    {
        string script = Path.Combine(Directory, "ppp.sh");
        File.WriteAllText(script,
            "#!/bin/sh\n" +
            $"PPP_CONFDIR={Quote(Directory)}; export PPP_CONFDIR\n" +
            $"PPP_LOGFILE={Quote(Log.Path)}; export PPP_LOGFILE\n" +
            $"PPP_STATEDIR={Quote(StateDirectory)}; export PPP_STATEDIR\n" +
            $"exec {Quote(DaemonEnvironment.Dotnet)} {Quote(DaemonEnvironment.PppDll)} \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
