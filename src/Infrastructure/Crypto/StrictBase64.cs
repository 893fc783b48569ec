using System.Buffers.Text;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// Decoders that accept exactly one spelling of each byte string: no whitespace, no other
/// alphabet, and no non-zero bits in the last character (RFC 4648 §3.5), so a signed token
/// cannot be altered into another string that still decodes and verifies.
/// </summary>
internal static class StrictBase64
{
    /// <summary>base64url without padding (RFC 7515 §2, RFC 4648 §5).</summary>
    public static bool TryDecodeUrl(string text, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, buffer, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();

        // .NET's Base64Url already refuses set unused bits; re-encoding keeps that a checked
        // property here rather than a library detail (Convert, below, does accept them).
        return string.Equals(Base64Url.EncodeToString(bytes), text, StringComparison.Ordinal);
    }

    /// <summary>Standard base64 with its padding (RFC 4648 §4).</summary>
    public static bool TryDecodeStandard(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 != 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/' || c == '='))
            {
                return false;
            }
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        return string.Equals(Convert.ToBase64String(bytes), text, StringComparison.Ordinal);
    }
}
