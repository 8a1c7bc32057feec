namespace Ppp.Daemon.Tests.Support;

/// <summary>ppp.conf pieces every scenario shares.</summary>
internal static class Configs
{
    /// <summary>
    /// The default: section: log every level the scenarios wait on (ppp(8) has no CHAP/PAP
    /// level: authentication is logged under Phase).
    /// </summary>
    public const string Default = """
        default:
         set log Phase LCP IPCP IPV6CP Command Warning Error

        """;
}
