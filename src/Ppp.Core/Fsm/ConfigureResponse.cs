namespace Ppp.Core.Fsm;

/// <summary>
/// Collects the verdicts on one peer Configure-Request (RFC 1661 §5.1-5.4): options left alone
/// are acknowledged; any Reject makes the reply a Configure-Reject of the rejected options only;
/// otherwise any Nak makes it a Configure-Nak of the naked options with our suggested values.
/// After Max-Failure Naks without an Ack (RFC 1661 §4.6), <see cref="NaksBecomeRejects"/> is
/// set and a Nak of a requested option rejects it instead; a Nak that asks for an option the
/// peer did not request is then dropped.
/// </summary>
public ref struct ConfigureResponse
{
    private readonly Span<byte> _nak;
    private readonly Span<byte> _reject;
    private int _nakLength;
    private int _rejectLength;

    public ConfigureResponse(Span<byte> nakBuffer, Span<byte> rejectBuffer, bool naksBecomeRejects)
    {
        _nak = nakBuffer;
        _reject = rejectBuffer;
        _nakLength = 0;
        _rejectLength = 0;
        NaksBecomeRejects = naksBecomeRejects;
    }

    public readonly bool NaksBecomeRejects { get; }

    public readonly bool HasRejects => _rejectLength > 0;

    public readonly bool HasNaks => _nakLength > 0;

    public readonly bool IsAck => !HasRejects && !HasNaks;

    public readonly ReadOnlySpan<byte> NakOptions => _nak[.._nakLength];

    public readonly ReadOnlySpan<byte> RejectOptions => _reject[.._rejectLength];

    /// <summary>Rejects a requested option, copied verbatim (<paramref name="whole"/> is type, length, data).</summary>
    public void Reject(scoped ReadOnlySpan<byte> whole)
    {
        if (_rejectLength + whole.Length > _reject.Length)
            return; // A reply never outgrows the request it answers; guard against a bad caller anyway.
        whole.CopyTo(_reject[_rejectLength..]);
        _rejectLength += whole.Length;
    }

    /// <summary>
    /// Naks an option with the value we would accept. <paramref name="requestedWhole"/> is the
    /// peer's option as requested (empty when we ask for an option the peer did not send).
    /// </summary>
    public void Nak(byte type, scoped ReadOnlySpan<byte> suggestedData, scoped ReadOnlySpan<byte> requestedWhole)
    {
        if (NaksBecomeRejects)
        {
            if (!requestedWhole.IsEmpty)
                Reject(requestedWhole);
            return;
        }
        int length = 2 + suggestedData.Length;
        if (length > 255 || _nakLength + length > _nak.Length)
            return;
        _nak[_nakLength] = type;
        _nak[_nakLength + 1] = (byte)length;
        suggestedData.CopyTo(_nak[(_nakLength + 2)..]);
        _nakLength += length;
    }
}
