using System.Net;
using Ppp.Core.Link;

namespace Ppp.Core.Commands;

/// <summary>
/// What commands act on when a daemon is running: the live bundle (device, link, tun, routes,
/// processes). Core stays free of I/O, so every command that touches the world goes through
/// here; settings-only commands (<c>set</c>, <c>enable</c>, ...) never do. Under
/// <c>ppp -check</c> there is no runtime and such commands only validate their arguments.
/// Every member is called on the link loop.
/// </summary>
public interface IBundleRuntime
{
    /// <summary>The current phase, for the prompt (<c>ppp ON host&gt;</c>, case shows it).</summary>
    LinkPhase Phase { get; }

    /// <summary><c>open [lcp|ipcp|ipv6cp]</c>: bring the link (or one NCP) up.</summary>
    CommandOutcome Open(string? layer);

    /// <summary><c>close [lcp|ipcp|ipv6cp]</c>: close the link (or one NCP) gracefully.</summary>
    CommandOutcome Close(string? layer);

    /// <summary><c>down [lcp|ipcp|ipv6cp]</c>: drop the layer at once (no Terminate-Request).</summary>
    CommandOutcome Down(string? layer);

    /// <summary><c>dial</c> / <c>call</c>: open the device and start LCP.</summary>
    CommandOutcome Dial();

    /// <summary>
    /// <c>term</c>: claims the closed link's device for terminal mode (refused while the link
    /// is open or dialling); the interactive prompt that ran the command then runs the terminal.
    /// </summary>
    CommandOutcome Terminal();

    /// <summary><c>quit [all]</c> / <c>bye</c>: leave the prompt, or (all) stop the daemon.</summary>
    CommandOutcome Quit(bool all);

    /// <summary><c>add[!] dest [mask] gateway</c>; sticky routes (MYADDR, HISADDR, ...) are kept
    /// and re-applied whenever addresses change.</summary>
    CommandOutcome AddRoute(RouteSpec route, bool replace);

    /// <summary><c>delete[!] dest</c>, or <c>delete ALL</c> when <paramref name="route"/> is null.</summary>
    CommandOutcome DeleteRoute(RouteSpec? route, bool quiet);

    /// <summary><c>iface add[!] addr[/bits] [peer]</c>: the address keeps its host bits
    /// (10.0.0.1/24), which an IPNetwork would drop.</summary>
    CommandOutcome IfaceAdd(InterfaceAddress address, bool replace);

    /// <summary><c>iface delete[!] addr</c>.</summary>
    CommandOutcome IfaceDelete(IPAddress address, bool quiet);

    /// <summary><c>iface clear [INET|INET6]</c>; null family clears both.</summary>
    CommandOutcome IfaceClear(System.Net.Sockets.AddressFamily? family);

    /// <summary><c>iface name NAME</c>.</summary>
    CommandOutcome IfaceName(string name);

    /// <summary><c>iface description TEXT</c>.</summary>
    CommandOutcome IfaceDescription(string text);

    /// <summary>A snapshot of everything <c>show</c> prints (and, later, the JSON status).</summary>
    BundleStatus CaptureStatus();

    /// <summary>ppp(8)'s substitution words and their current values (HISADDR, MYADDR,
    /// INTERFACE, DNS0, DNS1, LABEL, ...); words with no value yet are absent.</summary>
    IReadOnlyDictionary<string, string> SubstitutionWords { get; }

    /// <summary><c>!</c>/<c>shell</c> (foreground, output to <paramref name="output"/>) or
    /// <c>bg</c> (detached); <paramref name="argv"/> is already substituted.</summary>
    CommandOutcome RunProgram(IReadOnlyList<string> argv, bool background, TextWriter output);

    /// <summary>Settings changed by a command that apply to a running link at once
    /// (<c>set log</c>, <c>set timeout</c>, <c>set echoperiod</c>, ...).</summary>
    void SettingsChanged();

    /// <summary><c>set server|socket</c>: listen, reopen, close or forget the diagnostic socket.</summary>
    CommandOutcome Server(Control.ServerCommand command) => CommandOutcome.Fail("the diagnostic socket is not available here");

    /// <summary><c>set metrics</c>: serve <c>show metrics</c> over HTTP, or stop (<c>none</c>).</summary>
    CommandOutcome Metrics(Control.MetricsCommand command) => CommandOutcome.Fail("the metrics endpoint is not available here");
}

/// <summary>The result of a runtime action: null error means it worked.</summary>
public readonly record struct CommandOutcome(string? Error)
{
    public static CommandOutcome Ok => default;

    public bool Succeeded => Error is null;

    public static CommandOutcome Fail(string error) => new(error);
}

/// <summary>
/// One <c>add</c>/<c>delete</c> route as written: each end is either a literal network or one
/// of ppp(8)'s words (MYADDR, HISADDR, MYADDR6, HISADDR6, DNS0, DNS1, default) resolved when the
/// route is applied. Routes naming a word are sticky.
/// </summary>
public sealed record RouteSpec(RouteEnd Destination, RouteEnd Gateway)
{
    public bool IsSticky => Destination.Word is not null || Gateway.Word is not null;
}

/// <summary>A literal network (address + prefix) or a word to resolve later.</summary>
public readonly record struct RouteEnd(IPNetwork? Network, string? Word)
{
    public static RouteEnd Literal(IPNetwork network) => new(network, null);

    public static RouteEnd Named(string word) => new(null, word);

    public override string ToString() => Word ?? Network?.ToString() ?? "?";
}
