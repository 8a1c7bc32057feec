using NUnit.Framework;
using System.Net;
using System.Net.Sockets;
using Ppp.Core.Commands;
using Ppp.Core.Link;

namespace Ppp.Core.Tests.Commands;

/// <summary>Records every runtime call as text; returns <see cref="NextError"/> (once) if set.</summary>
internal sealed class FakeBundleRuntime : IBundleRuntime
{
    public List<string> Calls { get; } = [];

    public List<RouteSpec?> Routes { get; } = [];

    public List<IReadOnlyList<string>> Programs { get; } = [];

    public string? NextError { get; set; }

    public int SettingsChangedCount { get; private set; }

    public LinkPhase Phase { get; set; } = LinkPhase.Dead;

    public BundleStatus Status { get; set; } = new() { Label = "test", Mode = "interactive", Phase = LinkPhase.Dead };

    public Dictionary<string, string> Words { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> SubstitutionWords => Words;

    private CommandOutcome Record(string call)
    {
        Calls.Add(call);
        string? error = NextError;
        NextError = null;
        return error is null ? CommandOutcome.Ok : CommandOutcome.Fail(error);
    }

    public CommandOutcome Open(string? layer) => Record($"Open({layer})");

    public CommandOutcome Close(string? layer) => Record($"Close({layer})");

    public CommandOutcome Down(string? layer) => Record($"Down({layer})");

    public CommandOutcome Dial() => Record("Dial()");

    public CommandOutcome Quit(bool all) => Record($"Quit({all})");

    public CommandOutcome Terminal() => Record("Terminal()");

    public CommandOutcome AddRoute(RouteSpec route, bool replace)
    {
        Routes.Add(route);
        return Record($"AddRoute({route.Destination}, {route.Gateway}, {replace})");
    }

    public CommandOutcome DeleteRoute(RouteSpec? route, bool quiet)
    {
        Routes.Add(route);
        return Record($"DeleteRoute({route?.Destination.ToString() ?? "ALL"}, {quiet})");
    }

    public CommandOutcome IfaceAdd(InterfaceAddress address, bool replace) => Record($"IfaceAdd({address.Local}/{address.PrefixLength}, {address.Peer}, {replace})");

    public CommandOutcome IfaceDelete(IPAddress address, bool quiet) => Record($"IfaceDelete({address}, {quiet})");

    public CommandOutcome IfaceClear(AddressFamily? family) => Record($"IfaceClear({family})");

    public CommandOutcome IfaceName(string name) => Record($"IfaceName({name})");

    public CommandOutcome IfaceDescription(string text) => Record($"IfaceDescription({text})");

    public BundleStatus CaptureStatus() => Status;

    public CommandOutcome RunProgram(IReadOnlyList<string> argv, bool background, TextWriter output)
    {
        Programs.Add(argv);
        return Record($"RunProgram({string.Join(' ', argv)}, {background})");
    }

    public void SettingsChanged() => SettingsChangedCount++;

    public CommandOutcome Metrics(Ppp.Core.Control.MetricsCommand command) => Record($"Metrics({command.Endpoint?.ToString() ?? "none"})");
}
