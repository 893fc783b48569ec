using System.Text;
using FluentValidation;
using FluentValidation.Results;

namespace CryptoSecure.Application.Encryption.Common;

/// <summary>Turns the plaintext a client sent (text or base64) into bytes, with clear 400s.</summary>
public static class PlaintextInput
{
    /// <summary>UTF-8 that refuses lone surrogates instead of silently replacing them.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes to encrypt.</summary>
    /// <exception cref="ValidationException">Invalid base64, invalid Unicode, or over <paramref name="maxBytes"/>.</exception>
    public static byte[] Decode(string? plaintext, string? plaintextBase64, int maxBytes)
    {
        byte[] bytes;
        if (plaintextBase64 is not null)
        {
            // Decoded size is at most 3/4 of the text: refuse oversize input before decoding it.
            if (plaintextBase64.Length / 4 * 3 > maxBytes + 3)
            {
                throw TooLarge("plaintextBase64", maxBytes);
            }

            try
            {
                bytes = Convert.FromBase64String(plaintextBase64);
            }
            catch (FormatException)
            {
                throw Invalid("plaintextBase64", "plaintextBase64 is not valid base64.");
            }

            if (bytes.Length > maxBytes)
            {
                throw TooLarge("plaintextBase64", maxBytes);
            }

            return bytes;
        }

        ArgumentNullException.ThrowIfNull(plaintext);
        if (plaintext.Length > maxBytes)
        {
            throw TooLarge("plaintext", maxBytes);
        }

        try
        {
            bytes = StrictUtf8.GetBytes(plaintext);
        }
        catch (EncoderFallbackException)
        {
            throw Invalid("plaintext", "plaintext is not valid Unicode text (unpaired surrogate); send binary data as plaintextBase64.");
        }

        return bytes.Length > maxBytes ? throw TooLarge("plaintext", maxBytes) : bytes;
    }

    /// <summary>The UTF-8 text of <paramref name="bytes"/>, or null when they are not valid UTF-8.</summary>
    public static string? TryDecodeUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static ValidationException TooLarge(string field, int maxBytes) =>
        Invalid(field, $"{field} is larger than the limit of {maxBytes} bytes.");

    private static ValidationException Invalid(string field, string message) =>
        new([new ValidationFailure(field, message)]);
}
