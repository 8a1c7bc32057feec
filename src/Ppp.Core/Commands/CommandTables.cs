namespace Ppp.Core.Commands;

/// <summary>
/// The top-level table: every ppp(8) command, those we do not have included with the reason,
/// so "nat" answers why instead of "unknown command".
/// </summary>
internal static class CommandTables
{
    public static CommandTable BuildRoot() => new("",
    [
        OptionCommands.Spec("accept", "agree to options when the peer requests them"),
        RouteCommands.Add,
        LinkCommands.Background,
        LinkCommands.Close,
        RouteCommands.Delete,
        OptionCommands.Spec("deny", "refuse options the peer requests"),
        LinkCommands.Dial,
        OptionCommands.Spec("disable", "do not request options of the peer"),
        LinkCommands.Down,
        OptionCommands.Spec("enable", "request options of the peer"),
        LinkCommands.Help,
        new CommandSpec { Name = "iface", Description = "interface addresses, name and description", Table = RouteCommands.Iface },
        LinkCommands.Load,
        LinkCommands.LogWords,
        LinkCommands.Open,
        Control.ControlCommands.Passwd,
        LinkCommands.Quit,
        new CommandSpec { Name = "resolv", Syntax = "readonly|reload|restore|rewrite|writable", Description = "how /etc/resolv.conf is handled", Table = LinkCommands.Resolv },
        new CommandSpec { Name = "set", Syntax = "variable value...", Description = "set a variable (set help lists them)", Table = SetCommands.Build() },
        LinkCommands.Shell,
        new CommandSpec { Name = "show", Aliases = ["sh"], Syntax = "what", Description = "show state and settings (show help lists them)", Table = ShowCommands.Build() },
        Term,

        SetCommands.NotImplemented("allow", "restrict users and modes", "access control (allow users|modes) is not implemented: ppp runs as root"),
        SetCommands.NotImplemented("clear", "clear throughput statistics", "throughput statistics cannot be cleared yet"),
        SetCommands.NotImplemented("clone", "clone a link", "multilink (RFC 1990) is not implemented"),
        SetCommands.NotImplemented("ident", "LCP identification text", "LCP Identification (RFC 1570) is not implemented"),
        SetCommands.NotImplemented("link", "run a command on some links", "multilink (RFC 1990) is not implemented"),
        SetCommands.NotImplemented("nat", "network address translation", "NAT is not planned (use nftables masquerading)", "alias"),
        SetCommands.NotImplemented("remove", "remove a link", "multilink (RFC 1990) is not implemented", "rm"),
        SetCommands.NotImplemented("rename", "rename a link", "multilink (RFC 1990) is not implemented", "mv"),
        SetCommands.NotImplemented("save", "save the settings", "not implemented in ppp(8) either"),
        SetCommands.NotImplemented("sendident", "send LCP identification", "LCP Identification (RFC 1570) is not implemented"),
    ]);

    /// <summary>
    /// ppp(8) <c>term</c>: the keyboard talks to the device until <c>~.</c> or until the peer
    /// starts PPP. It needs a keyboard, so only the interactive prompt may ask; the runtime
    /// claims the device and the prompt runs the terminal once the command returns.
    /// </summary>
    private static CommandSpec Term { get; } = new()
    {
        Name = "term",
        Description = "terminal mode: talk to the device directly (~? for help, ~. to leave)",
        Handler = c =>
        {
            if (c.Args.Count > 0)
                return "term: takes no arguments";
            if (c.Origin.Source != CommandSource.Prompt)
                return "term: only from the interactive prompt";
            return c.Runtime?.Terminal().Error;
        },
    };
}
