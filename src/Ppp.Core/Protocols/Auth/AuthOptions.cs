namespace Ppp.Core.Protocols.Auth;

/// <summary>
/// Settings of the authentication phase (ppp(8) `set authname`/`set authkey`, `set papretry`,
/// `set chapretry`). Printing it never shows the key: <see cref="AuthCredentials"/> masks it.
/// </summary>
public sealed record AuthOptions
{
    /// <summary>Our name and key, used when the peer asks us to authenticate; null if we have none.</summary>
    public AuthCredentials? Credentials { get; init; }

    /// <summary>The name we put in our CHAP Challenges (the caller defaults it to the host name).</summary>
    public required string LocalName { get; init; }

    /// <summary>Time between PAP Authenticate-Request transmissions.</summary>
    public TimeSpan PapRetryTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>PAP Authenticate-Requests sent in all before giving up.</summary>
    public int PapMaxRetries { get; init; } = 3;

    /// <summary>Time between CHAP Challenge transmissions.</summary>
    public TimeSpan ChapRetryTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>CHAP Challenges sent in all before giving up.</summary>
    public int ChapMaxRetries { get; init; } = 3;

    /// <summary>
    /// How long we wait for the other side: for a PAP Authenticate-Request when we authenticate
    /// the peer, and for the final Success/Failure when the peer authenticates us with CHAP.
    /// </summary>
    public TimeSpan AuthenticatorTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(LocalName);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PapRetryTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ChapRetryTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AuthenticatorTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(PapMaxRetries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ChapMaxRetries, 1);
    }
}
