using NUnit.Framework;

namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// One pppd VM per fixture, many cases: pppd runs under pppd-vm's --respawn and reads its
/// per-case options from a file (<c>file /etc/ppp/case-options</c> on its command line), so a
/// case rewrites that file and restarts pppd instead of booting another VM (~5 s of a shared
/// core under TCG).
/// </summary>
internal static class PppdCases
{
    /// <summary>The guest path of the per-case options file.</summary>
    public const string OptionsPath = "/etc/ppp/case-options";

    /// <summary>
    /// Boots the fixture's VM: pppd with <paramref name="pppdArguments"/> (which must name
    /// <c>file</c> <see cref="OptionsPath"/>), respawned whenever it exits, the options file
    /// starting as just <c>noauth</c>.
    /// </summary>
    public static PppdVm StartVm(IEnumerable<string> pppdArguments, IEnumerable<string>? secrets = null)
    {
        string options = Path.GetTempFileName();
        try
        {
            File.WriteAllText(options, "noauth\n");
            // pppd-vm copies the file into the guest's initramfs at start: ours can go at once.
            return PppdVm.Start(pppdArguments, secrets, respawn: true, files: [(options, OptionsPath)]);
        }
        finally
        {
            File.Delete(options);
        }
    }

    /// <summary>
    /// Puts <paramref name="options"/> in pppd's per-case options file and restarts pppd so
    /// that it reads them; returns the VM log offset from which this case's lines start.
    /// </summary>
    public static int Restart(PppdVm vm, Rig rig, IEnumerable<string> options)
    {
        rig.Describe("pppd-vm log", vm.Log);
        int from = vm.Log().Length;
        string lines = string.Join(' ', options.Select(o => $"'{o}'"));
        ProcessResult restart = vm.Exec(
            $"printf '%s\\n' {lines} > {OptionsPath}; p=$(cat /run/pppvm-pppd.pid); kill $p; " +
            "while kill -0 $p 2>/dev/null; do sleep 0.1; done; echo $p");
        Assert.That(restart.ExitCode, Is.Zero, restart.Describe());
        string old = restart.StdOut.Trim();
        vm.WaitLog($@"^PPPVM: pppd started pid=(?!{old}\b)\d+", TimeSpan.FromSeconds(15), from);
        return from;
    }
}
