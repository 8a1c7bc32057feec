using Ppp.Core.Protocols.Auth;

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
                return 2;
            }
            return await Demo.RunAsync(Console.Out, auth.Value).ConfigureAwait(false);
        }
        await Console.Error.WriteLineAsync(
            "ppp: this build runs only the in-process demo, `ppp -demo [pap|chap|mschapv2|none]`.\n" +
            "ppp: the daemon itself (devices, tun, ppp.conf, modes) is issue 3 and is not built yet.").ConfigureAwait(false);
        return 2;
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
