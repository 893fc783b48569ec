using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CryptoSecure.Application.Common.Exceptions;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// JSON Web Encryption, compact serialization (RFC 7516 §7.1), with exactly one algorithm pair:
/// key management "RSA-OAEP-256" (RFC 7518 §4.3) and content encryption "A256GCM" (RFC 7518 §5.3).
/// Anything else, "RSA1_5" and "none" included, is refused (RFC 8725 §3.1: allow-list algorithms).
/// </summary>
public static class JweCompact
{
    /// <summary>The only "alg" accepted and produced.</summary>
    public const string Algorithm = "RSA-OAEP-256";

    /// <summary>The only "enc" accepted and produced.</summary>
    public const string ContentEncryption = "A256GCM";

    private const int CekSize = 32;

    /// <summary>Encrypts <paramref name="plaintext"/> to an imported RSA public key.</summary>
    public static string Encrypt(ReadOnlySpan<byte> plaintext, RSA publicKey, string keyId)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        // RFC 7516 §5.1 steps 1-2: random CEK, encrypted to the recipient.
        Span<byte> cek = stackalloc byte[CekSize];
        RandomNumberGenerator.Fill(cek);
        try
        {
            var encryptedKey = RsaOaepSha256.Encrypt(publicKey, cek);
            Span<byte> iv = stackalloc byte[Aes256Gcm.NonceSize];
            RandomNumberGenerator.Fill(iv);

            // Steps 13-14: the AAD is the ASCII of the encoded protected header.
            var header = EncodeHeader(keyId);
            var aad = Encoding.ASCII.GetBytes(header);
            var ciphertext = new byte[plaintext.Length];
            Span<byte> tag = stackalloc byte[Aes256Gcm.TagSize];
            Aes256Gcm.Encrypt(cek, iv, plaintext, ciphertext, tag, aad);

            return string.Join(
                '.',
                header,
                Base64Url.EncodeToString(encryptedKey),
                Base64Url.EncodeToString(iv),
                Base64Url.EncodeToString(ciphertext),
                Base64Url.EncodeToString(tag));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
    }

    /// <summary>The "kid" of the protected header, or null when absent or the header is unreadable.</summary>
    public static string? ReadKeyId(string compact)
    {
        ArgumentNullException.ThrowIfNull(compact);
        var dot = compact.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && TryReadHeader(compact[..dot], out var header, out _) ? header.KeyId : null;
    }

    /// <summary>
    /// Decrypts a compact JWE with the RSA private key. Returns null and the cause for any failure;
    /// callers answer every cause alike.
    /// </summary>
    public static byte[]? TryDecrypt(string compact, RSA privateKey, out DecryptionFailure failure)
    {
        ArgumentNullException.ThrowIfNull(compact);
        ArgumentNullException.ThrowIfNull(privateKey);
        var parts = compact.Split('.');
        if (parts.Length != 5)
        {
            failure = DecryptionFailure.Malformed;
            return null;
        }

        if (!TryReadHeader(parts[0], out _, out failure))
        {
            return null;
        }

        if (!TryDecodePart(parts[1], out var encryptedKey) || !TryDecodePart(parts[2], out var iv)
            || !TryDecodePart(parts[3], out var ciphertext) || !TryDecodePart(parts[4], out var tag))
        {
            failure = DecryptionFailure.Malformed;
            return null;
        }

        if (encryptedKey.Length != privateKey.KeySize / 8 || iv.Length != Aes256Gcm.NonceSize || tag.Length != Aes256Gcm.TagSize)
        {
            failure = DecryptionFailure.WrongLength;
            return null;
        }

        var cek = RsaOaepSha256.TryDecrypt(privateKey, encryptedKey);
        var rsaFailed = cek is null || cek.Length != CekSize;
        if (rsaFailed)
        {
            // RFC 7516 §11.5: on a key-decryption failure carry on with a random CEK, so that the
            // failure surfaces at the same step (the tag check) and in about the same time.
            if (cek is not null)
            {
                CryptographicOperations.ZeroMemory(cek);
            }

            cek = RandomNumberGenerator.GetBytes(CekSize);
        }

        try
        {
            var aad = Encoding.ASCII.GetBytes(parts[0]);
            var plaintext = new byte[ciphertext.Length];
            if (!Aes256Gcm.TryDecrypt(cek!, iv, ciphertext, tag, plaintext, aad) || rsaFailed)
            {
                failure = rsaFailed ? DecryptionFailure.RsaDecryptionFailed : DecryptionFailure.AuthenticationFailed;
                return null;
            }

            failure = default;
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
    }

    private static string EncodeHeader(string keyId)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg"u8, Algorithm);
            writer.WriteString("enc"u8, ContentEncryption);
            writer.WriteString("kid"u8, keyId);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    private readonly record struct ProtectedHeader(string? KeyId);

    /// <summary>
    /// Reads the protected header: a JSON object whose "alg" and "enc" are exactly ours; no "zip"
    /// (we implement no compression) and no "crit" (we understand no extensions, RFC 7516 §4.1.13);
    /// duplicate member names are refused (RFC 7515 §4).
    /// </summary>
    private static bool TryReadHeader(string encoded, out ProtectedHeader header, out DecryptionFailure failure)
    {
        header = default;
        if (!TryDecodePart(encoded, out var json) || json.Length == 0)
        {
            failure = DecryptionFailure.Malformed;
            return false;
        }

        // RFC 7515 §5.2 / RFC 8259 §8.1: the header is UTF-8 JSON, members the reader skips included.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            failure = DecryptionFailure.BadHeader;
            return false;
        }

        string? alg = null, enc = null, kid = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                failure = DecryptionFailure.BadHeader;
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!seen.Add(name))
                {
                    failure = DecryptionFailure.BadHeader;
                    return false;
                }

                reader.Read();
                switch (name)
                {
                    case "alg" when reader.TokenType == JsonTokenType.String:
                        alg = reader.GetString();
                        break;
                    case "enc" when reader.TokenType == JsonTokenType.String:
                        enc = reader.GetString();
                        break;
                    case "kid" when reader.TokenType == JsonTokenType.String:
                        kid = reader.GetString();
                        break;
                    case "alg" or "enc" or "kid" or "zip" or "crit":
                        failure = DecryptionFailure.BadHeader;
                        return false;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                failure = DecryptionFailure.BadHeader;
                return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: GetString() of an escaped lone surrogate ("\uD800").
            failure = DecryptionFailure.BadHeader;
            return false;
        }

        if (!string.Equals(alg, Algorithm, StringComparison.Ordinal) || !string.Equals(enc, ContentEncryption, StringComparison.Ordinal))
        {
            failure = DecryptionFailure.UnsupportedAlgorithm;
            return false;
        }

        header = new ProtectedHeader(kid);
        failure = default;
        return true;
    }

    /// <summary>Strict base64url without padding (RFC 7515 §2): any other character is refused.</summary>
    private static bool TryDecodePart(string part, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        if (Base64Url.DecodeFromChars(part, buffer, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        return true;
    }
}
