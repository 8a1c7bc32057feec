using Ppp.Core.Filters;

namespace Ppp.Core.Commands;

/// <summary>ppp(8)'s <c>set filter</c> and <c>show filter</c>; the rule language is <see cref="FilterRuleParser"/>'s.</summary>
internal static class FilterCommands
{
    public static CommandSpec Set { get; } = new()
    {
        Name = "filter",
        Syntax = "in|out|dial|alive rule-no permit|deny|clear|rule-no [!] [src_addr[/width] [dst_addr[/width]]] "
            + "[proto [src lt|eq|gt port] [dst lt|eq|gt port] [estab] [syn] [finrst]] [timeout secs]",
        Description = "packet filter rules 0-39 (NAME -1 clears a filter)",
        ChangesSettings = true,
        Handler = c =>
        {
            var (change, error) = FilterRuleParser.Parse(c.Args);
            if (error is not null)
                return $"{c.Path}: {error}; {c.Usage}";
            c.Settings.Filters.Apply(change!);
            return null;
        },
    };

    public static CommandSpec Show { get; } = new()
    {
        Name = "filter",
        Syntax = "[in|out|dial|alive]",
        Description = "the rules of one filter, or of all four",
        Handler = c =>
        {
            if (c.Args.Count > 1)
                return $"{c.Path}: too many arguments ({c.Args.Count}); {c.Usage}";
            if (c.Args.Count == 1)
            {
                var (name, error) = FilterRuleParser.ParseName(c.Args[0]);
                if (error is not null)
                    return $"{c.Path}: {error}";
                Write(c, c.Settings.Filters[name], c.Runtime?.CaptureStatus());
                return null;
            }
            var status = c.Runtime?.CaptureStatus();
            for (int i = 0; i < c.Settings.Filters.All.Count; i++)
            {
                if (i > 0)
                    c.Output.WriteLine();
                Write(c, c.Settings.Filters.All[i], status);
            }
            return null;
        },
    };

    /// <summary>The rules, then (with a daemon) what the data path's in and out filters denied.</summary>
    private static void Write(CommandContext c, PacketFilter filter, BundleStatus? status)
    {
        filter.Write(c.Output);
        long? denied = filter.Name switch
        {
            FilterName.In => status?.InFilterDrops,
            FilterName.Out => status?.OutFilterDrops,
            _ => null,
        };
        if (denied is { } count)
            c.Output.WriteLine($"  denied: {count} packets");
    }
}
