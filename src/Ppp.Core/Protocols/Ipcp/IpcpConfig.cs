using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace Ppp.Core.Protocols.Ipcp;

/// <summary>
/// ppp(8)'s `set ifaddr [myaddr[/nn] [hisaddr[/nn] [netmask [triggeraddr]]]]`.
/// <list type="bullet">
/// <item><see cref="MyAddress"/>: the address we ask for, and the range within which we accept
/// the peer's Nak of it. 0.0.0.0 defaults to /0 ("whatever the peer gives"), any other
/// address to /32.</item>
/// <item><see cref="HisAddress"/>: the address we give the peer and the range we allow it to
/// ask for; or, when <see cref="HisPool"/> is not empty, a pool ("10.0.1.2-10.0.1.10,10.0.1.20")
/// from which each peer gets a free address.</item>
/// <item><see cref="Netmask"/>: for the interface only; IPCP does not carry it.</item>
/// <item><see cref="TriggerAddress"/>: requested instead of <see cref="MyAddress"/> (typically
/// 0.0.0.0, for peers that assign an address only to one who asks with 0.0.0.0); the peer's
/// Nak must still fall within <see cref="MyAddress"/>'s range.</item>
/// </list>
/// </summary>
public sealed record IfAddr
{
    public Ipv4Range MyAddress { get; init; } = Ipv4Range.Any;

    public Ipv4Range HisAddress { get; init; } = Ipv4Range.Any;

    /// <summary>Non-empty when hisaddr was a pool; <see cref="HisAddress"/> is then unused.</summary>
    public ImmutableArray<Ipv4Block> HisPool { get; init; } = [];

    public IPAddress? Netmask { get; init; }

    public IPAddress? TriggerAddress { get; init; }

    /// <summary>ppp(8)'s defaults: 0.0.0.0/0 on both sides, no pool, no netmask, no trigger.</summary>
    public static IfAddr Default { get; } = new();

    public bool HasPool => !HisPool.IsDefaultOrEmpty;

    /// <summary>
    /// Parses the arguments of `set ifaddr` (the verb itself excluded). Returns the settings, or
    /// an error naming the offending word; never throws on user input. No arguments give
    /// <see cref="Default"/>.
    /// </summary>
    public static (IfAddr? Value, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count > 4)
            return (null, $"too many arguments ({args.Count}); usage: myaddr[/nn] [hisaddr[/nn] [netmask [triggeraddr]]]");

        var result = Default;
        if (args.Count >= 1)
        {
            var (my, error) = ParseRange("myaddr", args[0]);
            if (error is not null)
                return (null, error);
            result = result with { MyAddress = my };
        }
        if (args.Count >= 2)
        {
            string his = args[1];
            if (his.Contains('-', StringComparison.Ordinal) || his.Contains(',', StringComparison.Ordinal))
            {
                var (pool, error) = ParsePool(his);
                if (error is not null)
                    return (null, error);
                result = result with { HisPool = pool };
            }
            else
            {
                var (range, error) = ParseRange("hisaddr", his);
                if (error is not null)
                    return (null, error);
                result = result with { HisAddress = range };
            }
        }
        if (args.Count >= 3)
        {
            if (!Ipv4.TryParse(args[2], out uint mask))
                return (null, $"netmask: \"{args[2]}\" is not an IPv4 address (a.b.c.d)");
            // A netmask is ones then zeros: its complement plus one is a power of two (or zero).
            uint hostPart = ~mask;
            if ((hostPart & (hostPart + 1)) != 0)
                return (null, $"netmask: {args[2]} is not contiguous");
            result = result with { Netmask = Ipv4.ToAddress(mask) };
        }
        if (args.Count >= 4)
        {
            if (!Ipv4.TryParse(args[3], out uint trigger))
                return (null, $"triggeraddr: \"{args[3]}\" is not an IPv4 address (a.b.c.d)");
            result = result with { TriggerAddress = Ipv4.ToAddress(trigger) };
        }

        if (!result.HasPool && result.MyAddress.PrefixLength == 32 && result.HisAddress.PrefixLength == 32
            && result.MyAddress.Value == result.HisAddress.Value)
        {
            return (null, $"hisaddr: {Ipv4.Format(result.HisAddress.Value)} is also myaddr");
        }
        return (result, null);
    }

    private static (Ipv4Range Value, string? Error) ParseRange(string what, string word)
    {
        int slash = word.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? word.AsSpan() : word.AsSpan(0, slash);
        if (!Ipv4.TryParse(addressText, out uint address))
            return (default, $"{what}: \"{word}\" is not an IPv4 address (a.b.c.d[/nn])");
        int prefix = address == 0 ? 0 : 32;
        if (slash >= 0)
        {
            var bits = word.AsSpan(slash + 1);
            if (bits.IsEmpty || bits.Length > 2 || bits.ContainsAnyExceptInRange('0', '9')
                || !int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32)
            {
                return (default, $"{what}: \"{word}\" has a bad /nn (want 0 to 32)");
            }
        }
        return (new Ipv4Range(address, prefix), null);
    }

    private static (ImmutableArray<Ipv4Block> Value, string? Error) ParsePool(string word)
    {
        var blocks = ImmutableArray.CreateBuilder<Ipv4Block>();
        foreach (var item in word.Split(','))
        {
            int dash = item.IndexOf('-', StringComparison.Ordinal);
            var firstText = dash < 0 ? item.AsSpan() : item.AsSpan(0, dash);
            var lastText = dash < 0 ? item.AsSpan() : item.AsSpan(dash + 1);
            if (!Ipv4.TryParse(firstText, out uint first) || !Ipv4.TryParse(lastText, out uint last))
                return ([], $"hisaddr: \"{item}\" in pool \"{word}\" is not an address or a range (a.b.c.d[-e.f.g.h])");
            if (last < first)
                return ([], $"hisaddr: range \"{item}\" ends before it starts");
            if (!Ipv4.IsUsableHost(first) || !Ipv4.IsUsableHost(last))
                return ([], $"hisaddr: range \"{item}\" holds addresses a peer cannot use");
            blocks.Add(new Ipv4Block(first, last));
        }
        return (blocks.ToImmutable(), null);
    }
}

/// <summary>
/// What IPCP negotiates (RFC 1332, RFC 1877), modelled on ppp(8)'s commands. Immutable: the link
/// reads one snapshot per negotiation.
/// </summary>
public sealed record IpcpConfig
{
    /// <summary>`set ifaddr`.</summary>
    public IfAddr IfAddr { get; init; } = IfAddr.Default;

    /// <summary>`enable dns`: ask the peer for Primary and Secondary DNS (RFC 1877 §1.1, §1.3).</summary>
    public bool EnableDns { get; init; }

    /// <summary>
    /// `accept dns`: answer a peer that asks us for DNS servers with <see cref="PrimaryDns"/> and
    /// <see cref="SecondaryDns"/>; otherwise its request is rejected. The daemon fills the two
    /// from /etc/resolv.conf when `set dns` did not; Core does no file I/O.
    /// </summary>
    public bool AcceptDns { get; init; }

    /// <summary>`set dns primary [secondary]`: what <see cref="AcceptDns"/> hands out.</summary>
    public IPAddress? PrimaryDns { get; init; }

    public IPAddress? SecondaryDns { get; init; }

    /// <summary>`set nbns x.x.x.x [y.y.y.y]`: answered to a peer that asks; unset rejects the request.</summary>
    public IPAddress? PrimaryNbns { get; init; }

    public IPAddress? SecondaryNbns { get; init; }

    /// <summary>
    /// Ask the peer for NetBIOS name servers too (RFC 1877 §1.2, §1.4). ppp(8) has no such
    /// switch; off by default, as there.
    /// </summary>
    public bool EnableNbns { get; init; }

    public static IpcpConfig Default { get; } = new();

    /// <summary>Parses `set ifaddr` arguments; see <see cref="IfAddr.Parse"/>.</summary>
    public static (IfAddr? Value, string? Error) ParseIfAddr(string[] args) => IfAddr.Parse(args);
}
