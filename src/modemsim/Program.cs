using System.Runtime.InteropServices;
using Ppp.ModemSim;

// SIGUSR1 has no PosixSignal name; its Linux number is 10 on every architecture .NET runs on here.
const int SigUsr1 = 10;

ModemOptions? options = ModemOptions.Parse(args, out string? error);
if (options is null)
{
    if (error is { Length: > 0 })
        Console.Error.WriteLine($"ppp-modemsim: {error}");
    (error is { Length: > 0 } ? Console.Error : Console.Out).WriteLine(ModemOptions.Usage);
    return error is { Length: > 0 } ? 2 : 0;
}

var log = new SimLog(Console.Error);
using Modem modem = Modem.Open(options, log);
using ControlServer? control = options.ControlSocket is string path ? ControlServer.Start(path, modem, log) : null;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    log.Info($"{context.Signal}: stopping");
    modem.Stop();
}

using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var usr1 = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
{
    context.Cancel = true;
    modem.ExternalReset();
});

// The one stdout line: tests and scripts wait for it to know the modem is ready.
Console.Out.WriteLine(modem.SlavePath);
Console.Out.Flush();
modem.Run();
log.Info($"stopped: {modem.Status()}");
return 0;
