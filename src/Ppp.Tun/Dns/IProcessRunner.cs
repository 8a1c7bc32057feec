namespace Ppp.Tun.Dns;

/// <summary>Runs a helper program (resolvectl) to completion; a seam for tests.</summary>
internal interface IProcessRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> (no shell) and
    /// returns its exit code and its standard output and error together. A program that cannot
    /// be started reports 127 and why; one that does not finish in time is killed and reports 124.</summary>
    (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments);

    /// <summary>Whether <paramref name="file"/> can be run: an executable path, or a name on PATH.</summary>
    bool IsAvailable(string file);
}
