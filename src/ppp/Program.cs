using Ppp.Daemon.Daemon;

namespace Ppp.Daemon;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var (options, error) = DaemonOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return Host.ExitUsage;
        }
        if (options.Help)
        {
            await Console.Out.WriteLineAsync(DaemonOptions.Usage).ConfigureAwait(false);
            return Host.ExitNormal;
        }
        if (options.Version)
        {
            await Console.Out.WriteLineAsync($"ppp version {new Core.Commands.CommandInterpreterOptions().Version}").ConfigureAwait(false);
            return Host.ExitNormal;
        }
        if (options.Demo is { } auth)
            return await Demo.RunAsync(Console.Out, auth).ConfigureAwait(false);
        if (options.Check)
            return Host.Check(options, Console.Out, Console.Error);
        if (options.Mode == DaemonMode.Background)
        {
            if (!BackgroundLauncher.IsChild)
            {
                // A configuration the daemon would refuse is reported here, with no daemon started.
                int refused = await Host.RefuseAsync(options, Console.Error).ConfigureAwait(false);
                return refused != Host.ExitNormal ? refused : await BackgroundLauncher.RunParentAsync(args).ConfigureAwait(false);
            }
            BackgroundLauncher.DetachChild();
            options = options with { BackgroundChild = true };
        }
        return await Host.RunAsync(options).ConfigureAwait(false);
    }
}
