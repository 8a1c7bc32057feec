using System.Net;
using System.Net.Sockets;
using Ppp.Core.Config;

namespace Ppp.Core.Commands;

/// <summary><c>add</c>, <c>delete</c> and the <c>iface</c> table: parsed here, carried out by the runtime.</summary>
internal static class RouteCommands
{
    private static readonly string[] Ipv4Words = ["MYADDR", "HISADDR", "DNS0", "DNS1"];
    private static readonly string[] Ipv6Words = ["MYADDR6", "HISADDR6"];

    public static CommandSpec Add { get; } = new()
    {
        Name = "add",
        Syntax = "[!] dest[/nn] [mask] gateway",
        Description = "add a route; '!' replaces an existing one; MYADDR, HISADDR, DNS0, ... make it sticky",
        AllowsBang = true,
        Handler = AddRoute,
    };

    public static CommandSpec Delete { get; } = new()
    {
        Name = "delete",
        Syntax = "[!] dest[/nn]|ALL",
        Description = "delete a route, or ALL of ours; '!' is quiet when there is none",
        AllowsBang = true,
        Handler = DeleteRoute,
    };

    public static CommandTable Iface { get; } = new("iface",
    [
        new CommandSpec
        {
            Name = "add", Syntax = "[!] addr[/bits] [peer] | addr mask peer", AllowsBang = true,
            Description = "add an address to the interface; '!' replaces it if present", Handler = IfaceAdd,
        },
        new CommandSpec { Name = "clear", Syntax = "[INET|INET6]", Description = "remove the interface's addresses (negotiated ones stay while open)", Handler = IfaceClear },
        new CommandSpec
        {
            Name = "delete", Aliases = ["rm"], Syntax = "[!] addr", AllowsBang = true,
            Description = "remove an address; '!' is quiet when it is absent", Handler = IfaceDelete,
        },
        new CommandSpec { Name = "description", Syntax = "text...", Description = "set the interface's description (alias)", Handler = IfaceDescription },
        new CommandSpec { Name = "name", Syntax = "name", Description = "rename the interface", Handler = IfaceName },
        new CommandSpec { Name = "show", Description = "show the interface and its addresses", Handler = c => ShowCommands.Iface(c) },
    ]);

    private static string? AddRoute(CommandContext c)
    {
        if (c.Args.Count is < 2 or > 3)
            return $"add: want 2 or 3 arguments, got {c.Args.Count}; {c.Usage}";
        var (destination, destError) = ParseDestination(c.Args[0], c.Args.Count == 3 ? c.Args[1] : null);
        if (destError is not null)
            return $"add: {destError}";
        var (gateway, gatewayError) = ParseGateway(c.Args[^1]);
        if (gatewayError is not null)
            return $"add: {gatewayError}";
        var destFamily = Family(destination);
        var gatewayFamily = Family(gateway);
        if (destFamily is not null && gatewayFamily is not null && destFamily != gatewayFamily)
            return $"add: {c.Args[0]} and {c.Args[^1]} are of different address families";
        var spec = new RouteSpec(destination, gateway);
        if (c.Runtime is null)
            return null;
        return c.Runtime.AddRoute(spec, c.Bang).Error;
    }

    private static string? DeleteRoute(CommandContext c)
    {
        if (c.Args.Count != 1)
            return $"delete: want 1 argument, got {c.Args.Count}; {c.Usage}";
        if (c.Args[0].Equals("ALL", StringComparison.OrdinalIgnoreCase))
            return c.Runtime?.DeleteRoute(null, c.Bang).Error;
        var (destination, error) = ParseDestination(c.Args[0], null);
        if (error is not null)
            return $"delete: {error}";
        // The gateway does not select the route to delete; it is left empty.
        return c.Runtime?.DeleteRoute(new RouteSpec(destination, default), c.Bang).Error;
    }

    private static AddressFamily? Family(RouteEnd end)
    {
        if (end.Network is IPNetwork network)
            return network.BaseAddress.AddressFamily;
        if (end.Word is null || end.Word == "default")
            return null;
        return Ipv6Words.Contains(end.Word) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
    }

    private static string? Word(string text)
    {
        string upper = text.ToUpperInvariant();
        return Ipv4Words.Contains(upper) || Ipv6Words.Contains(upper) ? upper : null;
    }

    /// <summary>dest[/nn] with an optional dotted mask; "default", "0" and "0 0" are the default route.</summary>
    internal static (RouteEnd Value, string? Error) ParseDestination(string text, string? mask)
    {
        if (text.Equals("default", StringComparison.OrdinalIgnoreCase) || (text == "0" && mask is null or "0"))
            return (RouteEnd.Named("default"), null);
        if (Word(text) is { } word)
        {
            if (mask is not null)
                return (default, $"\"{mask}\": no mask after {word}");
            return (RouteEnd.Named(word), null);
        }
        var (network, error) = ParseNetwork(text, mask);
        return error is null ? (RouteEnd.Literal(network), null) : (default, error);
    }

    private static (RouteEnd Value, string? Error) ParseGateway(string text)
    {
        if (Word(text) is { } word)
            return (RouteEnd.Named(word), null);
        var address = ArgParse.Address(text);
        if (address is null)
            return (default, $"\"{text}\": gateway is not an address, HISADDR or HISADDR6");
        return (RouteEnd.Literal(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)), null);
    }

    /// <summary>addr[/nn] or addr with a dotted mask; host bits beyond the prefix are cleared, as route(8) does.</summary>
    internal static (IPNetwork Value, string? Error) ParseNetwork(string text, string? mask)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? text : text[..slash];
        var address = ArgParse.Address(addressText);
        if (address is null)
            return (default, $"\"{text}\" is not an address (a.b.c.d[/nn] or an IPv6 address[/nn])");
        int maxBits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int bits = maxBits;
        if (slash >= 0)
        {
            if (mask is not null)
                return (default, $"\"{mask}\": give either /nn or a mask, not both");
            var (value, error) = ArgParse.Int($"\"{text}\"", text[(slash + 1)..], 0, maxBits);
            if (error is not null)
                return (default, $"{error} (prefix length)");
            bits = value;
        }
        else if (mask is not null)
        {
            var (maskBits, error) = MaskBits(mask);
            if (error is not null)
                return (default, error);
            if (maxBits != 32)
                return (default, $"\"{mask}\": a dotted mask is for IPv4 only; use /nn");
            bits = maskBits;
        }
        return (new IPNetwork(address, bits), null);
    }

    private static (int Bits, string? Error) MaskBits(string mask)
    {
        var (value, error) = ArgParse.Ipv4("mask", mask);
        if (error is not null)
            return (0, error);
        uint m = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(value!.GetAddressBytes());
        uint host = ~m;
        if ((host & (host + 1)) != 0)
            return (0, $"mask: {mask} is not contiguous");
        return (System.Numerics.BitOperations.PopCount(m), null);
    }

    private static string? IfaceAdd(CommandContext c)
    {
        if (c.Args.Count is < 1 or > 3)
            return $"iface add: want 1 to 3 arguments, got {c.Args.Count}; {c.Usage}";
        string text = c.Args[0];
        string? mask = c.Args.Count == 3 ? c.Args[1] : null;
        string? peerText = c.Args.Count >= 2 ? c.Args[^1] : null;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        var local = ArgParse.Address(slash < 0 ? text : text[..slash]);
        if (local is null)
            return $"iface add: \"{text}\" is not an address";
        var (network, error) = ParseNetwork(text, mask);
        if (error is not null)
            return $"iface add: {error}";
        IPAddress? peer = null;
        if (peerText is not null)
        {
            peer = ArgParse.Address(peerText);
            if (peer is null)
                return $"iface add: peer \"{peerText}\" is not an address";
            if (peer.AddressFamily != local.AddressFamily)
                return $"iface add: {text} and {peerText} are of different address families";
        }
        return c.Runtime?.IfaceAdd(new InterfaceAddress(local, network.PrefixLength, peer), c.Bang).Error;
    }

    private static string? IfaceDelete(CommandContext c)
    {
        if (c.Args.Count != 1)
            return $"iface delete: want 1 argument, got {c.Args.Count}; {c.Usage}";
        var address = ArgParse.Address(c.Args[0]);
        if (address is null)
            return $"iface delete: \"{c.Args[0]}\" is not an address";
        return c.Runtime?.IfaceDelete(address, c.Bang).Error;
    }

    private static string? IfaceClear(CommandContext c)
    {
        if (c.Args.Count > 1)
            return $"iface clear: too many arguments; {c.Usage}";
        AddressFamily? family = null;
        if (c.Args.Count == 1)
        {
            family = c.Args[0].ToUpperInvariant() switch
            {
                "INET" => AddressFamily.InterNetwork,
                "INET6" => AddressFamily.InterNetworkV6,
                _ => null,
            };
            if (family is null)
                return $"iface clear: \"{c.Args[0]}\" is not INET or INET6";
        }
        return c.Runtime?.IfaceClear(family).Error;
    }

    private static string? IfaceName(CommandContext c)
    {
        if (c.Args.Count != 1)
            return $"iface name: want 1 argument, got {c.Args.Count}; {c.Usage}";
        string name = c.Args[0];
        // Linux interface names: at most 15 bytes (IFNAMSIZ - 1), no '/', ':' or blanks.
        if (name.Length is 0 or > 15 || name is "." or ".." || name.Any(ch => ch is '/' or ':' || char.IsWhiteSpace(ch) || !char.IsAscii(ch)))
            return $"iface name: \"{name}\" is not a valid interface name (1 to 15 characters, no '/', ':' or blanks)";
        return c.Runtime?.IfaceName(name).Error;
    }

    private static string? IfaceDescription(CommandContext c)
    {
        string text = string.Join(' ', c.Args);
        if (text.Length > 255)
            return "iface description: longer than 255 characters";
        return c.Runtime?.IfaceDescription(text).Error;
    }
}
