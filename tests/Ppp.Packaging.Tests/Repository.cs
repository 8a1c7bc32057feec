namespace Ppp.Packaging.Tests;

/// <summary>Paths in the source tree.</summary>
internal static class Repository
{
    public static string Root => InteropEnvironment.RepositoryRoot;

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Runs a script of the repository with bash, from the repository root.</summary>
    public static ProcessResult Bash(TimeSpan timeout, string script, params string[] arguments) =>
        ProcessRunner.Run("/bin/bash", ["-c", $"cd \"$0\" && {script}", Root, .. arguments], timeout);
}
