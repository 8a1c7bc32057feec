namespace Ppp.Tun.Dns;

/// <summary>ppp(8) <c>resolv writable|readonly</c>.</summary>
internal enum ResolverMode
{
    /// <summary><c>resolv writable</c> (the default): learned servers are applied to the system
    /// when the link comes up and the original is restored when it goes down.</summary>
    Rewrite,

    /// <summary><c>resolv readonly</c>: the system's resolver is never touched; the servers are
    /// only there for DNS0/DNS1 in scripts and routes. <c>resolv rewrite</c> still works.</summary>
    ReadOnly,
}
