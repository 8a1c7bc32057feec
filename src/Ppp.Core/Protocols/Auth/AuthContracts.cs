using System.Diagnostics.CodeAnalysis;

namespace Ppp.Core.Protocols.Auth;

/// <summary>Authentication protocols negotiated in LCP's Authentication-Protocol option.</summary>
public enum AuthProtocol
{
    None,
    /// <summary>PAP, RFC 1334 (protocol 0xc023).</summary>
    Pap,
    /// <summary>CHAP with MD5, RFC 1994 (0xc223, algorithm 5).</summary>
    ChapMd5,
    /// <summary>MS-CHAP-V2, RFC 2759 (0xc223, algorithm 0x81).</summary>
    MsChapV2,
}

/// <summary>
/// Where secrets come from when we authenticate the peer (ppp.secret implements this). The
/// secret is returned for comparison or hashing only and must never be logged.
/// </summary>
public interface ISecretStore
{
    bool TryGetSecret(string peerName, [NotNullWhen(true)] out string? secret);
}

/// <summary>Our own name and key (ppp(8) `set authname` / `set authkey`). The key never prints.</summary>
public sealed record AuthCredentials(string Name, string Key)
{
    public override string ToString() => $"AuthCredentials {{ Name = {Name}, Key = ******** }}";
}

/// <summary>The outcome of the authentication phase.</summary>
public sealed record AuthResult(bool Success, string? PeerName, string? FailureReason);
