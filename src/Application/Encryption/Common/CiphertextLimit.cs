using FluentValidation;

namespace CryptoSecure.Application.Encryption.Common;

/// <summary>
/// The decrypt side of <c>Encryption:MaxPlaintextBytes</c>: the service opens only ciphertexts
/// whose plaintext could be within the limit it encrypts to, whoever made them. A JWE's
/// ciphertext part is as long as its plaintext (AES-GCM), so its base64url length decides, before
/// any key is touched; the rest (header, encrypted key, IV, tag) gets a fixed allowance.
/// Length is public, so refusing on it tells nothing about keys or padding.
/// </summary>
public static class CiphertextLimit
{
    /// <summary>Allowance for a JWE's other parts: header, RSA-4096 encrypted key, IV, tag.</summary>
    public const int EnvelopeChars = 16 * 1024;

    /// <summary>Whether <paramref name="ciphertext"/> can hold at most <paramref name="maxPlaintextBytes"/> bytes.</summary>
    public static bool IsWithin(string? ciphertext, int maxPlaintextBytes)
    {
        if (ciphertext is null)
        {
            return true;
        }

        var maxPayloadChars = ((long)maxPlaintextBytes * 4 + 2) / 3;
        if (ciphertext.Length > maxPayloadChars + EnvelopeChars)
        {
            return false;
        }

        // JWE compact: header.encryptedKey.iv.ciphertext.tag (RFC 7516 §7.1).
        var parts = ciphertext.Split('.');
        return parts.Length != 5 || parts[3].Length <= maxPayloadChars;
    }

    /// <summary>The rule, with a message that names the setting.</summary>
    public static IRuleBuilderOptions<T, string> WithinPlaintextLimit<T>(this IRuleBuilder<T, string> rule, int maxPlaintextBytes) =>
        rule.Must(c => IsWithin(c, maxPlaintextBytes))
            .WithMessage($"ciphertext holds more than {maxPlaintextBytes} bytes of plaintext, the most this server encrypts or decrypts (Encryption:MaxPlaintextBytes).");
}
