using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// JSON Web Signature, compact serialization (RFC 7515 §7.1), with RSA only: "PS256" and "RS256"
/// (RFC 7518 §3.3, §3.5). Anything else, "none" and every HMAC included, is refused before a key
/// is even looked up (RFC 8725 §3.1-3.2), so no public key is ever taken for an HMAC secret.
/// </summary>
public static class JwsCompact
{
    /// <summary>
    /// Longest encoded protected header accepted. Ours is under 100 characters; the bound keeps a
    /// hostile header from costing more than a glance.
    /// </summary>
    public const int MaxHeaderLength = 4096;

    /// <summary>Signs <paramref name="payload"/> (attached) with the protected header {"alg","kid"}.</summary>
    public static string Sign(ReadOnlySpan<byte> payload, RSA privateKey, SignatureAlgorithm algorithm, string keyId)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentException.ThrowIfNullOrEmpty(keyId);

        // RFC 7515 §5.1 steps 5-8: the signing input is ASCII(header '.' payload), both base64url.
        var signingInput = EncodeHeader(algorithm, keyId) + "." + Base64Url.EncodeToString(payload);
        var signature = RsaSignatureSha256.Sign(privateKey, SignedContent.Payload(Encoding.ASCII.GetBytes(signingInput)), algorithm);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// Reads a compact JWS without verifying it: three strict base64url parts and a protected header
    /// this service understands. False with the rule broken (fit for a client) otherwise.
    /// </summary>
    public static bool TryParse(string compact, out ParsedJws jws, out string problem)
    {
        ArgumentNullException.ThrowIfNull(compact);
        jws = default;
        var parts = compact.Split('.');
        if (parts.Length != 3)
        {
            problem = "A JWS compact serialization has exactly three base64url parts separated by dots (RFC 7515 §7.1).";
            return false;
        }

        if (parts[0].Length > MaxHeaderLength)
        {
            problem = $"The JWS protected header is longer than {MaxHeaderLength} characters.";
            return false;
        }

        if (!StrictBase64.TryDecodeUrl(parts[0], out var headerJson) || headerJson.Length == 0)
        {
            problem = "The JWS protected header must be canonical base64url without padding or whitespace (RFC 7515 §2).";
            return false;
        }

        if (!TryReadHeader(headerJson, out var header, out problem))
        {
            return false;
        }

        if (!StrictBase64.TryDecodeUrl(parts[1], out _))
        {
            problem = "The JWS payload must be canonical base64url without padding or whitespace (RFC 7515 §2).";
            return false;
        }

        if (!StrictBase64.TryDecodeUrl(parts[2], out var signature))
        {
            problem = "The JWS signature must be canonical base64url without padding or whitespace (RFC 7515 §2).";
            return false;
        }

        // Step 8 of RFC 7515 §5.2 signs the parts exactly as received, so they are kept as sent.
        jws = new ParsedJws(header.Algorithm, header.KeyId, compact[..(parts[0].Length + 1 + parts[1].Length)], signature);
        problem = string.Empty;
        return true;
    }

    /// <summary>True when the parsed JWS's signature verifies under <paramref name="publicKey"/>.</summary>
    public static bool Verify(in ParsedJws jws, RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var signingInput = Encoding.ASCII.GetBytes(jws.SigningInput);
        return RsaSignatureSha256.Verify(publicKey, SignedContent.Payload(signingInput), jws.Signature, jws.Algorithm);
    }

    /// <summary>The JOSE name of <paramref name="algorithm"/>.</summary>
    public static string NameOf(SignatureAlgorithm algorithm) => algorithm switch
    {
        SignatureAlgorithm.PS256 => "PS256",
        SignatureAlgorithm.RS256 => "RS256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    private static string EncodeHeader(SignatureAlgorithm algorithm, string keyId)
    {
        // No "typ": RFC 7515 §4.1.9 leaves it to applications, and our payloads are opaque bytes
        // with no media type to declare (RFC 8725 §3.11 asks it of JWTs, which these are not).
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg"u8, NameOf(algorithm));
            writer.WriteString("kid"u8, keyId);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads the protected header: a UTF-8 JSON object without duplicate members (RFC 7515 §4),
    /// "alg" exactly PS256 or RS256 (case-sensitive, RFC 7515 §4.1.1), a non-empty "kid" string, no
    /// "crit" (we understand no extensions, §4.1.11) and no unencoded payload ("b64": false, RFC 7797).
    /// Other members ("typ", "cty", and "jwk"/"jku"/"x5c"/"x5u", which are never trusted) are skipped.
    /// </summary>
    private static bool TryReadHeader(byte[] json, out (SignatureAlgorithm Algorithm, string KeyId) header, out string problem)
    {
        const string NotJson = "The JWS protected header must be a UTF-8 JSON object without duplicate members (RFC 7515 §4).";
        header = default;
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            problem = NotJson;
            return false;
        }

        string? alg = null, kid = null;
        bool hasCrit = false, unencodedPayload = false, badType = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = NotJson;
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!seen.Add(name))
                {
                    problem = NotJson;
                    return false;
                }

                reader.Read();
                switch (name)
                {
                    case "alg" when reader.TokenType == JsonTokenType.String:
                        alg = reader.GetString();
                        break;
                    case "kid" when reader.TokenType == JsonTokenType.String:
                        kid = reader.GetString();
                        break;
                    case "alg" or "kid":
                        badType = true;
                        reader.Skip();
                        break;
                    case "crit":
                        hasCrit = true;
                        reader.Skip();
                        break;
                    case "b64":
                        unencodedPayload = reader.TokenType != JsonTokenType.True;
                        reader.Skip();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                problem = NotJson;
                return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: GetString() of an escaped lone surrogate ("\uD800").
            problem = NotJson;
            return false;
        }

        if (hasCrit)
        {
            problem = "The JWS header lists \"crit\" extensions; this service understands none (RFC 7515 §4.1.11).";
            return false;
        }

        if (unencodedPayload)
        {
            problem = "Unencoded JWS payloads (\"b64\": false, RFC 7797) are not supported.";
            return false;
        }

        SignatureAlgorithm algorithm;
        switch (badType ? null : alg)
        {
            case "PS256":
                algorithm = SignatureAlgorithm.PS256;
                break;
            case "RS256":
                algorithm = SignatureAlgorithm.RS256;
                break;
            default:
                problem = "The JWS header's \"alg\" must be the string PS256 or RS256.";
                return false;
        }

        if (string.IsNullOrEmpty(kid))
        {
            problem = "The JWS header must name its signing key with a non-empty \"kid\" string.";
            return false;
        }

        header = (algorithm, kid);
        problem = string.Empty;
        return true;
    }

    /// <summary>A JWS that passed <see cref="TryParse"/>; not yet verified.</summary>
    /// <param name="Algorithm">The header's "alg".</param>
    /// <param name="KeyId">The header's "kid".</param>
    /// <param name="SigningInput">The first two parts and their dot, as received.</param>
    /// <param name="Signature">The decoded signature.</param>
    public readonly record struct ParsedJws(SignatureAlgorithm Algorithm, string KeyId, string SigningInput, byte[] Signature);
}
