using System.Globalization;
using Ppp.Core.Config;
using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Core.Commands;

/// <summary>
/// <c>show ...</c>: a few readable lines each, in ppp(8)'s manner, from the settings and, when a
/// daemon runs, from <see cref="IBundleRuntime.CaptureStatus"/>. Never prints the authkey.
/// </summary>
internal static class ShowCommands
{
    private const string NoLink = "(no link: settings only)";

    public static CommandTable Build() => new("show",
    [
        Show("bundle", "the bundle: label, phase, mode, device, peer, addresses", Bundle),
        Show("escape", "the extra escaped octets", c => c.Output.WriteLine($"Escape: {(c.Settings.Escape.Count == 0 ? "none" : SetCommands.FormatEscape(c.Settings))}")),
        FilterCommands.Show,
        Show("hdlc", "HDLC decoder counters", Hdlc),
        Show("iface", "the interface and its addresses", c => Iface(c)),
        Show("ipcp", "IPCP state, negotiated addresses and settings", Ipcp),
        Show("ipv6cp", "IPV6CP state and interface identifiers", Ipv6cp),
        Show("layers", "the protocol layers in use", Layers),
        Show("lcp", "LCP state, negotiated values and settings", Lcp),
        Show("link", "the link: device, state, traffic", Link),
        Show("links", "the links (one: deflink)", Links),
        Show("log", "the log levels", c => WriteLog(c.Settings, c.Output)),
        Show("mem", "memory statistics of the process", Mem),
        Control.ControlCommands.ShowMetrics,
        Show("ncp", "IPCP and IPV6CP, sticky routes", c => { Ipcp(c); Ipv6cp(c); }),
        Show("physical", "the device and its line settings", Physical),
        Show("proto", "packet and octet totals", Proto),
        CellularCommands.ShowProvision,
        Show("route", "routes through the interface", Route),
        Control.ControlCommands.ShowStatus,
        Show("stopped", "the Stopped timeouts", c => c.Output.WriteLine(" Stopped Timer: LCP: disabled")),
        Show("timer", "active timers", Timer),
        Show("version", "the version of ppp", c => c.Output.WriteLine($"PPP Version {c.Interpreter.Options.Version}")),
        Control.ControlCommands.ShowWho,
        SetCommands.NotImplemented("ccp", "CCP statistics", "CCP compression is not implemented"),
        SetCommands.NotImplemented("compress", "VJ statistics", "Van Jacobson compression is not implemented"),
        SetCommands.NotImplemented("mp", "multilink", "multilink (RFC 1990) is not implemented"),
    ]);

    private static CommandSpec Show(string name, string description, Action<CommandContext> write) => new()
    {
        Name = name,
        Description = description,
        Handler = c =>
        {
            if (c.Args.Count > 0)
                return $"{c.Path}: takes no arguments";
            write(c);
            return null;
        },
    };

    private static string Seconds(TimeSpan t) => t == TimeSpan.Zero ? "disabled" : $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)} secs";

    private static BundleStatus? Status(CommandContext c)
    {
        if (c.Runtime is null)
        {
            c.Output.WriteLine(NoLink);
            return null;
        }
        return c.Runtime.CaptureStatus();
    }

    public static void WriteLog(BundleSettings settings, TextWriter output)
    {
        output.WriteLine($"Log:   {string.Join(' ', LogLevels.Ordered(settings.LogLevels))}");
        output.WriteLine($"Local: {string.Join(' ', LogLevels.Ordered(settings.LocalLogLevels))}");
    }

    private static void Bundle(CommandContext c)
    {
        var s = c.Settings;
        var o = c.Output;
        var status = Status(c);
        if (status is not null)
        {
            o.WriteLine($"Phase {status.Phase}, label {status.Label}, mode {status.Mode}");
            o.WriteLine($" Device:      {status.Device ?? "none"} ({status.DeviceState})");
            if (status.PeerName is not null)
                o.WriteLine($" Peer:        {status.PeerName}");
            if (status.ConnectedSince is DateTimeOffset since)
                o.WriteLine($" Connected:   since {since:yyyy-MM-dd HH:mm:ss}");
            if (status.LastFailure is not null)
                o.WriteLine($" Last failure: {status.LastFailure}");
            if (status.InterfaceName is not null)
                o.WriteLine($" Interface:   {status.InterfaceName}");
            o.WriteLine($" Server:      {Control.ControlCommands.DescribeServer(status.Server)}");
            o.WriteLine($" Metrics:     {Control.ControlCommands.DescribeMetrics(status.Metrics)}");
        }
        o.WriteLine($" Label:       {s.Label ?? "none"}");
        o.WriteLine($" Auth name:   {s.AuthName ?? "none"}");
        o.WriteLine($" Auth key:    {(s.AuthKey is null ? "none" : "********")}");
        o.WriteLine($" Idle Timer:  {Seconds(s.IdleTimeout)}{(s.IdleMinimum > TimeSpan.Zero ? $", min {Seconds(s.IdleMinimum)}" : "")}");
        o.WriteLine($" Redial:      {s.Redial}");
        o.WriteLine($" Reconnect:   {s.Reconnect}");
        o.WriteLine($" Choked:      {Seconds(s.Choked)}, queue {s.IfQueue} packets");
        o.WriteLine($" Resolv:      {(s.ResolvMode == ResolvMode.ReadOnly ? "readonly" : "writable")}");
        o.WriteLine($" NCPs:        ipcp {(s.IpcpEnabled ? "enabled" : "disabled")}, ipv6cp {(s.Ipv6cpEnabled ? "enabled" : "disabled")}");
    }

    private static void Hdlc(CommandContext c)
    {
        var status = Status(c);
        if (status is null)
            return;
        var h = status.Hdlc;
        c.Output.WriteLine("HDLC:");
        c.Output.WriteLine($" Frames: {h.Frames}  Bad FCS: {h.BadFcs}  Runts: {h.Runts}  Oversize: {h.Oversize}");
        c.Output.WriteLine($" Aborted: {h.Aborted}  Bad addr/control: {h.BadAddressControl}  Bad protocol: {h.BadProtocol}");
        WriteControlDrops(c.Output, status);
    }

    /// <summary>What a flood or a line that takes nothing cost: control frames dropped, never queued without bound.</summary>
    private static void WriteControlDrops(TextWriter o, BundleStatus status) =>
        o.WriteLine($" Control frames dropped: {status.ControlReceiveOverrun} in (loop behind), {status.ControlTransmitDropped} out (line's queue full); {status.RepliesLimited} replies rate-limited");

    public static string? Iface(CommandContext c)
    {
        var status = Status(c);
        if (status is null)
            return null;
        var o = c.Output;
        if (status.InterfaceName is null)
        {
            o.WriteLine("no interface");
            return null;
        }
        o.WriteLine($"{status.InterfaceName}: mtu {status.InterfaceMtu?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        foreach (var a in status.InterfaceAddresses)
        {
            string family = a.Local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "inet6" : "inet";
            o.WriteLine($"  {family} {a.Local}/{a.PrefixLength}{(a.Peer is null ? "" : $" --> {a.Peer}")}");
        }
        return null;
    }

    private static void Ipcp(CommandContext c)
    {
        var s = c.Settings;
        var o = c.Output;
        var status = Status(c);
        if (status is not null)
        {
            o.WriteLine($"IPCP [{StateName(status.IpcpState)}]");
            if (status.Ipcp is IpcpResult r)
            {
                o.WriteLine($" My address:  {r.LocalAddress?.ToString() ?? "none"}");
                o.WriteLine($" His address: {r.RemoteAddress?.ToString() ?? "none"}");
                if (r.PrimaryDns is not null || r.SecondaryDns is not null)
                    o.WriteLine($" DNS:         {r.PrimaryDns?.ToString() ?? "none"}, {r.SecondaryDns?.ToString() ?? "none"}");
                if (r.PrimaryNbns is not null || r.SecondaryNbns is not null)
                    o.WriteLine($" NBNS:        {r.PrimaryNbns?.ToString() ?? "none"}, {r.SecondaryNbns?.ToString() ?? "none"}");
            }
            foreach (var route in status.Routes.Where(r => r.Spec?.IsSticky == true))
                o.WriteLine($" Sticky route: {route.Spec!.Destination} via {route.Spec.Gateway}");
        }
        var a = s.IfAddr;
        o.WriteLine("Defaults:");
        o.WriteLine($" My Address:  {a.MyAddress}");
        o.WriteLine($" His Address: {(a.HasPool ? string.Join(',', a.HisPool.Select(b => $"{Ipv4.Format(b.First)}-{Ipv4.Format(b.Last)}")) : a.HisAddress.ToString())}");
        if (a.TriggerAddress is not null)
            o.WriteLine($" Trigger:     {a.TriggerAddress}");
        o.WriteLine($" DNS:         {Enabled(s, NegotiationOptions.Dns)}; handed out: {s.PrimaryDns?.ToString() ?? "none"}, {s.SecondaryDns?.ToString() ?? "none"}");
        o.WriteLine($" NBNS:        {s.PrimaryNbns?.ToString() ?? "none"}, {s.SecondaryNbns?.ToString() ?? "none"}");
        o.WriteLine($" FSM retry:   {Retry(s.IpcpFsm)}");
    }

    private static void Ipv6cp(CommandContext c)
    {
        var o = c.Output;
        var status = Status(c);
        if (status is not null)
        {
            o.WriteLine($"IPV6CP [{StateName(status.Ipv6cpState)}]");
            if (status.Ipv6cp is Ipv6cpResult r)
            {
                o.WriteLine($" My interface identifier:  {InterfaceIdentifiers.Format(r.LocalInterfaceIdentifier)} ({r.LocalLinkLocal})");
                o.WriteLine($" His interface identifier: {(r.RemoteInterfaceIdentifier is ulong id ? InterfaceIdentifiers.Format(id) : "none")}{(r.RemoteLinkLocal is null ? "" : $" ({r.RemoteLinkLocal})")}");
            }
        }
        o.WriteLine($" IPV6CP {(c.Settings.Ipv6cpEnabled ? "enabled" : "disabled")}, FSM retry: {Retry(c.Settings.Ipv6cpFsm)}");
    }

    private static void Layers(CommandContext c)
    {
        var s = c.Settings;
        var layers = new List<string> { "physical", "sync/async", "lcp" };
        if (s.IpcpEnabled)
            layers.Add("ipcp");
        if (s.Ipv6cpEnabled)
            layers.Add("ipv6cp");
        c.Output.WriteLine(string.Join(" <- ", layers.AsEnumerable().Reverse()));
    }

    private static void Lcp(CommandContext c)
    {
        var s = c.Settings;
        var o = c.Output;
        var status = Status(c);
        if (status is not null)
        {
            o.WriteLine($"LCP [{StateName(status.LcpState)}]");
            if (status.Lcp is LcpResult r)
            {
                o.WriteLine($" His side: MRU {r.PeerMru}, ACCMAP {r.TransmitAccm:x8}, PROTOCOMP {OnOff(r.TransmitProtocolCompression)}, ACFCOMP {OnOff(r.TransmitAddressControlCompression)}, MAGIC {r.PeerMagic:x8}");
                o.WriteLine($" My side:  MRU {r.OurMru}, ACCMAP {r.ReceiveAccm:x8}, PROTOCOMP {OnOff(r.ReceiveProtocolCompression)}, ACFCOMP {OnOff(r.ReceiveAddressControlCompression)}, MAGIC {r.OurMagic:x8}");
                o.WriteLine($" Auth:     peer with {AuthName(r.AuthenticatePeerWith)}, ourselves with {AuthName(r.AuthenticateOurselvesWith)}");
            }
            if (status.EchoRoundTrip is TimeSpan rtt)
                o.WriteLine($" Echo RTT: {rtt.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms");
        }
        var config = s.ToLcpConfig();
        o.WriteLine("Defaults:");
        o.WriteLine($" MRU {config.Mru} (max {config.MaxMru}), MTU {(s.Mtu?.ToString(CultureInfo.InvariantCulture) ?? "any")}{(s.MaxMtu is int mm ? $" (max {mm})" : "")}, ACCMAP {config.Accm:x8}");
        o.WriteLine($" LCP FSM:  {Retry(s.LcpFsm)}, openmode {(s.OpenMode == OpenMode.Passive ? "passive" : "active")}");
        string echo = $"every {Seconds(s.EchoPeriod)}, down after {s.EchoFailures} periods without a frame";
        o.WriteLine($" Echo:     {(s.EchoEnabled ? echo : $"disabled (enabled: {echo})")}{(s.EchoOnByMode ? " (on by default in -ddial and -dedicated)" : "")}");
        foreach (string name in (string[])[NegotiationOptions.AcfComp, NegotiationOptions.ProtoComp, NegotiationOptions.Chap, NegotiationOptions.MsChapV2, NegotiationOptions.Pap])
            o.WriteLine($" {name,-10} {Enabled(s, name)}");
    }

    private static void Link(CommandContext c)
    {
        var s = c.Settings;
        var o = c.Output;
        o.WriteLine("Name: deflink");
        var status = Status(c);
        if (status is not null)
        {
            o.WriteLine($" State:   {status.DatalinkState} (device {status.DeviceState}, phase {status.Phase})");
            o.WriteLine($" Device:  {status.Device ?? "none"}");
            o.WriteLine($" Traffic: {status.OctetsReceived} octets in, {status.OctetsSent} octets out");
            WriteControlDrops(o, status);
            o.WriteLine($" Connect Count: {status.Connects}, failed dials: {status.FailedDials}");
            o.WriteLine($" Drops:   {(status.DropsByCause.Count == 0 ? "none" : string.Join(", ", status.DropsByCause.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value}")))}");
            var r = status.Recovery;
            o.WriteLine($" Recovery: {r.Redials} redials, {r.Reconnects} reconnects, {r.Resets} resets ({r.ResetFailures} failed), {r.DeviceSearches} device searches, {r.DeviceRenames} device renames; {r.FailsSinceReset} failed dials since the last reset");
            if (r.DailyResetAt is not null || r.DailyResets > 0)
                o.WriteLine($" Daily reset: {r.DailyResets} done, next {When(r.DailyResetAt)}");
            if (r.LastResetError is not null)
                o.WriteLine($" Last reset failure: {r.LastResetError}");
            o.WriteLine($" Last up:   {When(status.LastUp)}");
            o.WriteLine($" Last down: {When(status.LastDown)}{(status.LastFailure is null ? "" : $" ({status.LastFailure})")}");
            if (status.NextAttempt is not null)
                o.WriteLine($" Next:    {status.NextAttempt}");
        }
        o.WriteLine($" Devices: {(s.Devices.Count == 0 ? "none" : string.Join(' ', s.Devices.Select(d => d.Text)))}");
        o.WriteLine($" Phone:   {(s.PhoneNumbers.Count == 0 ? "none" : SetCommands.FormatPhones(s))}");
        o.WriteLine($" Dial script:  {(s.DialScript is null ? "none" : "set")}, login script: {(s.LoginScript is null ? "none" : "set")}");
        o.WriteLine($" Reset:   {s.Reset}{(s.ResetAlways ? ", after every disconnect (resetalways)" : "")}");
    }

    private static string When(DateTimeOffset? time) =>
        time is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "never";

    private static void Links(CommandContext c)
    {
        string state = c.Runtime is null ? "closed" : c.Runtime.CaptureStatus().DatalinkState;
        c.Output.WriteLine($"deflink: {state}");
    }

    private static void Mem(CommandContext c)
    {
        var status = Status(c);
        if (status is null)
            return;
        c.Output.WriteLine($" Managed heap:     {status.ManagedHeapBytes} bytes");
        c.Output.WriteLine($" Allocated (total): {status.TotalAllocatedBytes} bytes");
        c.Output.WriteLine($" Working set:      {status.WorkingSetBytes} bytes");
        c.Output.WriteLine($" GC collections:   gen0 {status.Gen0Collections}, gen1 {status.Gen1Collections}, gen2 {status.Gen2Collections}");
    }

    private static void Physical(CommandContext c)
    {
        var s = c.Settings;
        var o = c.Output;
        var status = Status(c);
        if (status is not null)
            o.WriteLine($" Device:     {status.Device ?? "none"} ({status.DeviceState})");
        o.WriteLine($" Speed:      {(s.Synchronous ? "sync" : s.Speed?.ToString(CultureInfo.InvariantCulture) ?? "unchanged")}");
        o.WriteLine($" Parity:     {s.Parity.ToString().ToLowerInvariant()}");
        o.WriteLine($" CTS/RTS:    {OnOff(s.CtsRts)}");
        o.WriteLine($" Carrier:    {s.CarrierDetect}");
    }

    private static void Proto(CommandContext c)
    {
        var status = Status(c);
        if (status is null)
            return;
        c.Output.WriteLine($" In:  {status.PacketsReceived} packets, {status.OctetsReceived} octets, {status.ReceiveDropped} dropped");
        c.Output.WriteLine($" Out: {status.PacketsSent} packets, {status.OctetsSent} octets, {status.TransmitDropped} dropped");
    }

    private static void Route(CommandContext c)
    {
        var status = Status(c);
        if (status is null)
            return;
        c.Output.WriteLine($"{"Destination",-24} {"Gateway",-24} Iface");
        foreach (var r in status.Routes)
        {
            string gateway = r.Gateway?.ToString() ?? r.Interface;
            c.Output.WriteLine($"{r.Destination,-24} {gateway,-24} {r.Interface}{(r.Spec?.IsSticky == true ? " (sticky)" : "")}");
        }
    }

    private static void Timer(CommandContext c)
    {
        var status = Status(c);
        if (status is null)
            return;
        if (status.Timers.Count == 0)
            c.Output.WriteLine("No timers running");
        foreach (var (name, remaining) in status.Timers)
            c.Output.WriteLine($"{name,-24} {remaining.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} secs remaining");
    }

    private static string OnOff(bool value) => value ? "on" : "off";

    private static string Enabled(BundleSettings s, string option) =>
        $"{(s.IsEnabled(option) ? "enabled" : "disabled")}, {(s.IsAccepted(option) ? "accepted" : "denied")}";

    private static string Retry(FsmOptions f) =>
        $"{f.RestartTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s, {f.MaxConfigure} requests, {f.MaxTerminate} terminates";

    private static string AuthName(AuthProtocol p) => Protocols.Lcp.LcpHandler.DescribeAuthProtocol(p);

    /// <summary>ppp(8)'s state names ("Req-Sent", "Opened", ...).</summary>
    internal static string StateName(FsmState state) => state switch
    {
        FsmState.RequestSent => "Req-Sent",
        FsmState.AckReceived => "Ack-Rcvd",
        FsmState.AckSent => "Ack-Sent",
        _ => state.ToString(),
    };
}
