namespace Ppp.Ctl;

internal static class Program
{
    private static int Main()
    {
        Console.Error.WriteLine("pppctl: the diagnostic-socket client is issue 5 and is not built yet.");
        return 2;
    }
}
