namespace Ppp.Core.Config;

/// <summary>The ppp.linkup/ppp.linkdown section chosen for this link and its command lines.</summary>
public sealed record LinkScriptSelection(string Label, IReadOnlyList<ConfigLine> Lines);

/// <summary>
/// ppp.linkup and ppp.linkdown share ppp.conf's syntax; which section runs follows ppp(8): the
/// one labelled with our negotiated address (MYADDR, e.g. <c>10.0.0.1:</c>), else the one of the
/// label that was loaded (or that ppp.secret gave the peer), else the one labelled
/// <c>MYADDR</c>. Only that section runs. The daemon substitutes words in each line and runs it
/// through the command interpreter.
/// </summary>
public static class LinkScript
{
    public static LinkScriptSelection? Select(ConfigFile file, string? myAddress, string? label)
    {
        ArgumentNullException.ThrowIfNull(file);
        foreach (string? candidate in (string?[])[myAddress, label, "MYADDR"])
        {
            if (string.IsNullOrEmpty(candidate))
                continue;
            var section = file.Find(candidate);
            if (section is not null)
                return new LinkScriptSelection(section.Label, section.Lines);
        }
        return null;
    }
}
