using Ppp.Core.Protocols.Auth;
using Ppp.Daemon.Daemon;

namespace Ppp.Daemon;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "-demo")
        {
            var auth = args.Length >= 2 ? ParseAuth(args[1]) : AuthProtocol.ChapMd5;
            if (auth is null)
            {
                await Console.Error.WriteLineAsync("usage: ppp -demo [pap|chap|mschapv2|none]").ConfigureAwait(false);
                return Host.ExitUsage;
            }
            return await Demo.RunAsync(Console.Out, auth.Value).ConfigureAwait(false);
        }

        var (options, error) = DaemonOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return Host.ExitUsage;
        }
        if (options.Check)
            return Host.Check(options, Console.Out, Console.Error);
        if (options.Mode == DaemonMode.Background)
        {
            if (!BackgroundLauncher.IsChild)
                return await BackgroundLauncher.RunParentAsync(args).ConfigureAwait(false);
            BackgroundLauncher.DetachChild();
            options = options with { BackgroundChild = true };
        }
        return await Host.RunAsync(options).ConfigureAwait(false);
    }

    private static AuthProtocol? ParseAuth(string word) => word switch
    {
        "pap" => AuthProtocol.Pap,
        "chap" or "chap05" => AuthProtocol.ChapMd5,
        "mschapv2" or "chap81" => AuthProtocol.MsChapV2,
        "none" => AuthProtocol.None,
        _ => null,
    };
}
