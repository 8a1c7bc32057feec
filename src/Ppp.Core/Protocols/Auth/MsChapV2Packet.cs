using System.Globalization;
using System.Text;

namespace Ppp.Core.Protocols.Auth;

/// <summary>The fields of an MS-CHAPv2 Failure message (RFC 2759 §6); absent fields are null.</summary>
internal sealed record MsChapV2Failure(int? ErrorCode, bool? Retry, string? Challenge, int? Version, string? Message)
{
    /// <summary>RFC 2759 §6 error codes, for log text.</summary>
    public static string Describe(int? errorCode) => errorCode switch
    {
        646 => "restricted logon hours",
        647 => "account disabled",
        648 => "password expired",
        649 => "no dial-in permission",
        691 => "authentication failure",
        709 => "error changing password",
        null => "no error code",
        _ => "unknown error",
    };
}

/// <summary>
/// MS-CHAPv2 (RFC 2759) layouts carried inside CHAP packets: the 49-octet Response value and the
/// text of Success and Failure messages. Parsers return false on malformed input and never throw.
/// </summary>
internal static class MsChapV2Packet
{
    /// <summary>RFC 2759 §4: the authenticator's Challenge value is 16 octets.</summary>
    public const int ChallengeValueSize = 16;

    /// <summary>RFC 2759 §5: the Response value is 49 octets.</summary>
    public const int ResponseValueSize = 49;

    /// <summary>RFC 2759 §6: "Authentication failure".</summary>
    public const int ErrorAuthenticationFailure = 691;

    /// <summary>
    /// RFC 2759 §5 Response value.
    /// <code>
    ///  octets 0-15   Peer-Challenge   (16, random, from the peer)
    ///  octets 16-23  Reserved         (8, zero)
    ///  octets 24-47  NT-Response      (24, GenerateNTResponse)
    ///  octet  48     Flags            (1, zero)
    /// </code>
    /// Reserved and Flags are written as zero and not checked on receipt.
    /// </summary>
    public static bool TryParseResponseValue(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> peerChallenge, out ReadOnlySpan<byte> ntResponse)
    {
        peerChallenge = default;
        ntResponse = default;
        if (value.Length != ResponseValueSize)
            return false;
        peerChallenge = value[..16];
        ntResponse = value.Slice(24, MsChapV2Crypto.NtResponseSize);
        return true;
    }

    public static void WriteResponseValue(Span<byte> destination, ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> ntResponse)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(peerChallenge.Length, 16);
        ArgumentOutOfRangeException.ThrowIfNotEqual(ntResponse.Length, MsChapV2Crypto.NtResponseSize);
        Span<byte> value = destination[..ResponseValueSize];
        value.Clear();
        peerChallenge.CopyTo(value);
        ntResponse.CopyTo(value[24..]);
    }

    /// <summary>RFC 2759 §5 Success message: "S=&lt;40 upper-case hex&gt; M=&lt;message&gt;".</summary>
    public static string FormatSuccess(ReadOnlySpan<byte> authenticatorResponse, string message) =>
        MsChapV2Crypto.FormatAuthenticatorResponse(authenticatorResponse) + " M=" + message;

    /// <summary>
    /// Splits a Success message into the "S=..." authenticator response (42 characters) and the
    /// optional text after " M=". Older authenticators send only "S=...".
    /// </summary>
    public static bool TryParseSuccess(string text, out string authenticatorResponse, out string? message)
    {
        ArgumentNullException.ThrowIfNull(text);
        authenticatorResponse = string.Empty;
        message = null;
        if (text.Length < MsChapV2Crypto.AuthenticatorResponseTextLength || !text.StartsWith("S=", StringComparison.Ordinal))
            return false;
        string candidate = text[..MsChapV2Crypto.AuthenticatorResponseTextLength];
        Span<byte> bytes = stackalloc byte[MsChapV2Crypto.AuthenticatorResponseSize];
        if (!MsChapV2Crypto.TryParseAuthenticatorResponse(candidate, bytes))
            return false;
        ReadOnlySpan<char> rest = text.AsSpan(MsChapV2Crypto.AuthenticatorResponseTextLength);
        if (!rest.IsEmpty)
        {
            rest = rest.TrimStart(' ');
            if (!rest.StartsWith("M=", StringComparison.Ordinal))
                return false;
            message = rest[2..].ToString();
        }
        authenticatorResponse = candidate;
        return true;
    }

    /// <summary>
    /// RFC 2759 §6 Failure message: "E=eeee R=r C=cccc V=vvvv M=&lt;msg&gt;"; C is the new
    /// 16-octet challenge in 32 hex digits.
    /// </summary>
    public static string FormatFailure(int errorCode, bool retry, ReadOnlySpan<byte> newChallenge, int version, string message)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"E={errorCode} R={(retry ? 1 : 0)} C=");
        text.Append(Convert.ToHexString(newChallenge));
        text.Append(CultureInfo.InvariantCulture, $" V={version} M={message}");
        return text.ToString();
    }

    /// <summary>
    /// Reads the fields of a Failure message in any order; "M=" takes the rest of the text.
    /// A message with no recognisable field at all is malformed.
    /// </summary>
    public static bool TryParseFailure(string text, out MsChapV2Failure failure)
    {
        ArgumentNullException.ThrowIfNull(text);
        int? error = null;
        bool? retry = null;
        string? challenge = null;
        int? version = null;
        string? message = null;
        bool any = false;
        ReadOnlySpan<char> rest = text;
        while (true)
        {
            rest = rest.TrimStart(' ');
            if (rest.Length < 2 || rest[1] != '=')
                break;
            char field = rest[0];
            if (field == 'M')
            {
                message = rest[2..].ToString();
                any = true;
                break;
            }
            int end = rest.IndexOf(' ');
            ReadOnlySpan<char> value = end < 0 ? rest[2..] : rest[2..end];
            rest = end < 0 ? default : rest[end..];
            switch (field)
            {
                case 'E' when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int e):
                    error = e;
                    any = true;
                    break;
                case 'R' when value is "0" or "1":
                    retry = value[0] == '1';
                    any = true;
                    break;
                case 'C':
                    challenge = value.ToString();
                    any = true;
                    break;
                case 'V' when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v):
                    version = v;
                    any = true;
                    break;
                default:
                    break;
            }
        }
        failure = new MsChapV2Failure(error, retry, challenge, version, message);
        return any;
    }
}
