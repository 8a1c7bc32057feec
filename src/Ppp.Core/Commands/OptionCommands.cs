using Ppp.Core.Config;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Core.Commands;

/// <summary>
/// <c>enable|disable|accept|deny option...</c>: <c>enable</c> says we request the option,
/// <c>accept</c> that we agree when the peer requests it. All options are checked before any
/// is changed, so a bad word leaves the settings as they were.
/// </summary>
internal static class OptionCommands
{
    public static CommandSpec Spec(string verb, string description) => new()
    {
        Name = verb,
        Syntax = "option...",
        Description = description,
        Handler = c => Run(c, verb),
        ChangesSettings = true,
    };

    private static string? Run(CommandContext c, string verb)
    {
        if (c.Args.Count == 0)
            return $"{verb}: missing option; \"{verb} ?\" lists them";
        if (c.Args.Count == 1 && c.Args[0] is "?" or "help")
        {
            WriteOptions(c.Settings, c.Output);
            return null;
        }
        bool negotiatedOnly = verb is "accept" or "deny";
        bool turnOn = verb is "enable" or "accept";
        var changes = new List<(NegotiationOption Option, OptionPolicy Policy)>();
        foreach (string word in c.Args)
        {
            var option = NegotiationOptions.Find(word);
            if (option is null)
                return $"{verb}: unknown option \"{word}\"; \"{verb} ?\" lists them";
            if (negotiatedOnly && !option.Negotiated)
                return $"{verb}: {option.Name} is not negotiated with the peer; use enable or disable";
            if (turnOn && option.NotImplemented is not null)
                return $"{verb}: {option.Name}: {option.NotImplemented}";
            if (!turnOn && option.CannotTurnOff is not null)
                return $"{verb}: {option.Name}: {option.CannotTurnOff}";
            var flag = negotiatedOnly ? OptionPolicy.Accept : OptionPolicy.Enable;
            var current = changes.LastOrDefault(x => x.Option == option).Option is null
                ? c.Settings.GetOption(option.Name)
                : changes.Last(x => x.Option == option).Policy;
            changes.Add((option, turnOn ? current | flag : current & ~flag));
        }
        foreach (var (option, policy) in changes)
            c.Settings.SetOption(option.Name, policy);
        return null;
    }

    /// <summary>The option table with each option's current switches, as <c>enable ?</c> prints it.</summary>
    public static void WriteOptions(BundleSettings settings, TextWriter output)
    {
        foreach (var option in NegotiationOptions.All)
        {
            var policy = settings.GetOption(option.Name);
            string state = option.Negotiated
                ? $"{((policy & OptionPolicy.Enable) != 0 ? "enabled" : "disabled")}, {((policy & OptionPolicy.Accept) != 0 ? "accepted" : "denied")}"
                : (policy & OptionPolicy.Enable) != 0 ? "enabled" : "disabled";
            string names = string.Join('|', [option.Name, .. option.Aliases]);
            string note = option.NotImplemented is null ? option.Description : $"not implemented: {option.NotImplemented}";
            output.WriteLine($"  {names,-22} {state,-20} {note}");
        }
    }
}
