using CryptoSecure.Domain.Encryption;

namespace CryptoSecure.Api.Contracts;

/// <summary>
/// The prototype's ciphertexts are lowercase hex of raw RSA-OAEP bytes; the use cases speak the v1
/// form (standard base64 of the same bytes). The prototype's routes convert here, at their edge,
/// so no use case or domain type knows the prototype existed.
/// </summary>
public static class PrototypeCiphertext
{
    /// <summary>
    /// What input that is not hex becomes: a text the v1 reader rejects as malformed. Decrypt then
    /// fails it like every other bad ciphertext (after the address and identity checks, audited, with
    /// the one uniform answer), rather than this edge answering differently, or passing on text
    /// that might be read as base64.
    /// </summary>
    public const string NotHex = "(not hex)";

    /// <summary>The hex of a raw RSA-OAEP ciphertext, as the prototype's /encrypt answered.</summary>
    /// <exception cref="ArgumentException">A JWE, which has no hex form.</exception>
    public static string ToHex(Ciphertext ciphertext) => ciphertext is RsaOaepCiphertext raw
        ? Convert.ToHexStringLower(raw.Bytes)
        : throw new ArgumentException("Only raw RSA-OAEP ciphertexts have a hex form.", nameof(ciphertext));

    /// <summary>
    /// The v1 text of a prototype ciphertext: hex (either case, surrounding whitespace ignored) as
    /// base64; blank stays blank, for the validator to call it missing; anything else <see cref="NotHex"/>.
    /// </summary>
    public static string FromHex(string? hex)
    {
        if (string.IsNullOrWhiteSpace(hex))
        {
            return hex ?? string.Empty;
        }

        var text = hex.Trim();
        return text.Length % 2 == 0 && text.All(char.IsAsciiHexDigit)
            ? Convert.ToBase64String(Convert.FromHexString(text))
            : NotHex;
    }
}
