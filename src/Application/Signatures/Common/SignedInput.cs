using System.Text;
using CryptoSecure.Application.Common.Ports;
using FluentValidation;
using FluentValidation.Results;

namespace CryptoSecure.Application.Signatures.Common;

/// <summary>
/// What a sign or verify request says is signed: exactly one of "payload" (text, as UTF-8),
/// "payloadBase64" (bytes) and "digestBase64" (SHA-256 of the bytes, 32 of them), decoded with clear 400s.
/// </summary>
/// <param name="Bytes">The payload, or its digest when <paramref name="IsDigest"/>.</param>
/// <param name="IsDigest">True for a prehashed digest (raw format only).</param>
public sealed record SignedInput(byte[] Bytes, bool IsDigest)
{
    /// <summary>The field names, for messages.</summary>
    public const string Fields = "payload (text), payloadBase64 (binary) and digestBase64 (a SHA-256 digest)";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The port's view of the input.</summary>
    public SignedContent ToContent() => IsDigest ? SignedContent.Sha256Digest(Bytes) : SignedContent.Payload(Bytes);

    /// <summary>How many of the three fields are given.</summary>
    public static int CountGiven(string? payload, string? payloadBase64, string? digestBase64) =>
        (payload is null ? 0 : 1) + (payloadBase64 is null ? 0 : 1) + (digestBase64 is null ? 0 : 1);

    /// <summary>Decodes the one field given.</summary>
    /// <exception cref="ValidationException">Invalid base64 or Unicode, over <paramref name="maxBytes"/>, or a digest that is not 32 bytes.</exception>
    public static SignedInput Decode(string? payload, string? payloadBase64, string? digestBase64, int maxBytes)
    {
        if (digestBase64 is not null)
        {
            return new SignedInput(DecodeDigest(digestBase64) ?? throw Invalid("digestBase64", DigestRule), IsDigest: true);
        }

        if (payloadBase64 is not null)
        {
            // Decoded size is at most 3/4 of the text: refuse oversize input before decoding it.
            if (payloadBase64.Length / 4 * 3 > maxBytes + 3)
            {
                throw TooLarge("payloadBase64", maxBytes);
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(payloadBase64);
            }
            catch (FormatException)
            {
                throw Invalid("payloadBase64", "payloadBase64 is not valid base64.");
            }

            return bytes.Length > maxBytes ? throw TooLarge("payloadBase64", maxBytes) : new SignedInput(bytes, IsDigest: false);
        }

        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length > maxBytes)
        {
            throw TooLarge("payload", maxBytes);
        }

        byte[] text;
        try
        {
            text = StrictUtf8.GetBytes(payload);
        }
        catch (EncoderFallbackException)
        {
            throw Invalid("payload", "payload is not valid Unicode text (unpaired surrogate); send binary data as payloadBase64.");
        }

        return text.Length > maxBytes ? throw TooLarge("payload", maxBytes) : new SignedInput(text, IsDigest: false);
    }

    /// <summary>What a digest must be, for messages.</summary>
    public const string DigestRule = "digestBase64 must be the base64 of a SHA-256 digest: exactly 32 bytes.";

    /// <summary>The 32 digest bytes, or null when the text is not base64 of exactly 32 bytes.</summary>
    public static byte[]? DecodeDigest(string digestBase64)
    {
        ArgumentNullException.ThrowIfNull(digestBase64);
        if (digestBase64.Length > 64)
        {
            return null;
        }

        var buffer = new byte[48];
        return Convert.TryFromBase64String(digestBase64, buffer, out var written) && written == SignedContent.Sha256DigestLength
            ? buffer[..written]
            : null;
    }

    private static ValidationException TooLarge(string field, int maxBytes) =>
        Invalid(field, $"{field} is larger than the limit of {maxBytes} bytes.");

    private static ValidationException Invalid(string field, string message) =>
        new([new ValidationFailure(field, message)]);
}
