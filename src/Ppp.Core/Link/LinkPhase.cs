namespace Ppp.Core.Link;

/// <summary>The link phases of RFC 1661 §3.2.</summary>
public enum LinkPhase
{
    Dead,
    Establish,
    Authenticate,
    Network,
    Terminate,
}
