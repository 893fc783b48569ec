using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// Input that is not a supported signature is <see cref="SignatureOutcome.Malformed"/>, with a
/// problem fit for a 400, never an exception and never a key lookup; and the problem does not echo
/// what was sent.
/// </summary>
public sealed class SignatureMalformedInputTests
{
    private const string KeyId = "0123456789abcdef0123456789abcdef-v1";
    private static readonly PayloadSigner Signer = SigningKeys.NewSigner();
    private static readonly Lazy<string[]> Genuine = new(() =>
        Signer.Sign(SignedContent.Payload("payload"u8), SignatureFormat.Jws, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId).Split('.'));

    public static TheoryData<string, string> MalformedTokens() => new()
    {
        { "empty", string.Empty },
        { "one part", "eyJhbGciOiJQUzI1NiJ9" },
        { "two parts", "{h}.{p}" },
        { "four parts", "{h}.{p}.{s}.{s}" },
        { "a JWE (five parts)", "{jwe}" },
        { "leading space", " {h}.{p}.{s}" },
        { "trailing newline", "{h}.{p}.{s}\n" },
        { "space inside the signature", "{h}.{p}.{s1} {s2}" },
        { "padded header", "{h}=.{p}.{s}" },
        { "standard-alphabet signature", "{h}.{p}.{s+}" },
        { "non-canonical trailing bits in the header", "{h~}.{p}.{s}" },
        { "non-canonical trailing bits in the payload", "{h}.{p~}.{s}" },
        { "non-canonical trailing bits in the signature", "{h}.{p}.{s~}" },
        { "header not JSON", "H:not json" },
        { "header a JSON array", "H:[\"PS256\"]" },
        { "header a JSON string", "H:\"PS256\"" },
        { "header with trailing data", "H:{\"alg\":\"PS256\",\"kid\":\"k\"} {}" },
        { "header not UTF-8", "B:7b22616c67223a22ff227d" },
        { "header with a lone surrogate", "H:{\"alg\":\"PS256\",\"kid\":\"\\uD800\"}" },
        { "duplicate alg", "H:{\"alg\":\"RS256\",\"alg\":\"PS256\",\"kid\":\"k\"}" },
        { "duplicate kid", "H:{\"alg\":\"PS256\",\"kid\":\"a\",\"kid\":\"k\"}" },
        { "no alg", "H:{\"kid\":\"k\"}" },
        { "alg none", "H:{\"alg\":\"none\",\"kid\":\"k\"}" },
        { "alg NONE", "H:{\"alg\":\"NONE\",\"kid\":\"k\"}" },
        { "alg HS256", "H:{\"alg\":\"HS256\",\"kid\":\"k\"}" },
        { "alg HS512", "H:{\"alg\":\"HS512\",\"kid\":\"k\"}" },
        { "alg ES256", "H:{\"alg\":\"ES256\",\"kid\":\"k\"}" },
        { "alg PS384", "H:{\"alg\":\"PS384\",\"kid\":\"k\"}" },
        { "alg RS512", "H:{\"alg\":\"RS512\",\"kid\":\"k\"}" },
        { "alg RSA-OAEP-256", "H:{\"alg\":\"RSA-OAEP-256\",\"kid\":\"k\"}" },
        { "alg in lower case", "H:{\"alg\":\"ps256\",\"kid\":\"k\"}" },
        { "alg a number", "H:{\"alg\":256,\"kid\":\"k\"}" },
        { "alg null", "H:{\"alg\":null,\"kid\":\"k\"}" },
        { "alg an array", "H:{\"alg\":[\"PS256\"],\"kid\":\"k\"}" },
        { "no kid", "H:{\"alg\":\"PS256\"}" },
        { "empty kid", "H:{\"alg\":\"PS256\",\"kid\":\"\"}" },
        { "kid a number", "H:{\"alg\":\"PS256\",\"kid\":1}" },
        { "crit with an unknown extension", "H:{\"alg\":\"PS256\",\"kid\":\"k\",\"crit\":[\"exp\"],\"exp\":1}" },
        { "empty crit", "H:{\"alg\":\"PS256\",\"kid\":\"k\",\"crit\":[]}" },
        { "unencoded payload", "H:{\"alg\":\"PS256\",\"kid\":\"k\",\"b64\":false,\"crit\":[\"b64\"]}" },
        { "unencoded payload without crit", "H:{\"alg\":\"PS256\",\"kid\":\"k\",\"b64\":false}" },
        { "oversized header", "H:{\"alg\":\"PS256\",\"kid\":\"k\",\"x\":\"" + new string('a', JwsCompact.MaxHeaderLength) + "\"}" },
    };

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public void A_token_that_is_not_a_supported_JWS_is_malformed_without_a_key_lookup(string why, string template)
    {
        var token = Build(template);
        var lookups = 0;

        var result = Signer.VerifyJws(token, _ =>
        {
            lookups++;
            return new SignatureVerificationKey(SigningKeys.Spki());
        });

        result.Outcome.Should().Be(SignatureOutcome.Malformed, why);
        result.Problem.Should().NotBeNullOrWhiteSpace();
        lookups.Should().Be(0, "nothing about a malformed token reaches the key store");
    }

    [Fact]
    public void The_problem_of_a_malformed_token_does_not_echo_it()
    {
        var result = Signer.VerifyJws(Build("H:{\"alg\":\"HS256\",\"kid\":\"attacker-text-3f9a\"}"), _ => null);

        result.Problem.Should().NotContain("attacker-text-3f9a").And.NotContain("HS256");
    }

    [Fact]
    public void A_header_with_extra_members_and_an_embedded_key_still_uses_the_kid_lookup()
    {
        // An attacker's own key in "jwk" and a token signed by it: the lookup's key decides, so it is invalid.
        using var attacker = RSA.Create(2048);
        var jwk = $$"""{"kty":"RSA","n":"{{Base64Url.EncodeToString(attacker.ExportParameters(false).Modulus)}}","e":"AQAB"}""";
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"PS256","kid":"{{KeyId}}","typ":"JOSE","cty":"text/plain","jwk":{{jwk}}}"""));
        var payload = Base64Url.EncodeToString("payload"u8);
        var signature = attacker.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var token = $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";

        Signer.VerifyJws(token, SigningKeys.OnlyKey(KeyId, SigningKeys.Spki()).Lookup).Outcome.Should().Be(SignatureOutcome.Invalid);
        Signer.VerifyJws(token, SigningKeys.OnlyKey(KeyId, attacker.ExportSubjectPublicKeyInfo()).Lookup).Outcome.Should().Be(SignatureOutcome.Valid, "the extra members themselves are allowed");
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public void An_HMAC_token_keyed_with_the_public_key_is_refused_before_any_key_is_used(string alg)
    {
        // The classic algorithm confusion (RFC 8725 §2.1): HMAC with the verifier's public key as the secret.
        var spki = SigningKeys.Spki();
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"{{alg}}","kid":"{{KeyId}}"}"""));
        var payload = Base64Url.EncodeToString("payload"u8);
        var input = Encoding.ASCII.GetBytes($"{header}.{payload}");
        var pem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("PUBLIC KEY", spki));

        foreach (var secret in new[] { spki, pem })
        {
            var mac = alg switch { "HS256" => HMACSHA256.HashData(secret, input), "HS384" => HMACSHA384.HashData(secret, input), _ => HMACSHA512.HashData(secret, input) };
            var result = Signer.VerifyJws($"{header}.{payload}.{Base64Url.EncodeToString(mac)}", SigningKeys.OnlyKey(KeyId, spki).Lookup);

            result.Outcome.Should().Be(SignatureOutcome.Malformed);
        }
    }

    [Theory]
    [InlineData("with whitespace", " {sig}")]
    [InlineData("with a newline inside", "{sig1}\n{sig2}")]
    [InlineData("base64url alphabet", "{sig-}")]
    [InlineData("without its padding", "{sig=}")]
    [InlineData("non-canonical trailing bits", "{sig~}")]
    [InlineData("not base64 at all", "not base64!")]
    [InlineData("hex", "deadbeef0")]
    public void A_raw_signature_that_is_not_canonical_base64_is_malformed(string why, string template)
    {
        var result = Signer.VerifyRaw(BuildRaw(template), SignedContent.Payload("payload"u8), SignatureAlgorithm.PS256, SigningKeys.Spki());

        result.Outcome.Should().Be(SignatureOutcome.Malformed, why);
        result.Problem.Should().NotBeNullOrWhiteSpace();
    }

    /// <summary>
    /// {h}/{p}/{s}: the genuine token's parts; "{x~}" that part with its last character's unused
    /// bits set; {s1} {s2}: the signature split in two; {s+}: the signature in the standard alphabet;
    /// "H:json" or "B:hex": a header of that JSON or those bytes, with the genuine payload and signature.
    /// </summary>
    private static string Build(string template)
    {
        var (h, p, s) = (Genuine.Value[0], Genuine.Value[1], Genuine.Value[2]);
        if (template.StartsWith("H:", StringComparison.Ordinal) || template.StartsWith("B:", StringComparison.Ordinal))
        {
            var bytes = template[0] == 'H' ? Encoding.UTF8.GetBytes(template[2..]) : Convert.FromHexString(template[2..]);
            return $"{Base64Url.EncodeToString(bytes)}.{p}.{s}";
        }

        var jwe = TestKeys.JweTo("x"u8, SigningKeys.Spki(), KeyId);
        return template
            .Replace("{h~}", NonCanonical(h), StringComparison.Ordinal).Replace("{p~}", NonCanonical(p), StringComparison.Ordinal)
            .Replace("{s~}", NonCanonical(s), StringComparison.Ordinal).Replace("{s+}", s.Replace('-', '+').Replace('_', '/') + (s.Contains('-') || s.Contains('_') ? string.Empty : "+"), StringComparison.Ordinal)
            .Replace("{s1}", s[..10], StringComparison.Ordinal).Replace("{s2}", s[10..], StringComparison.Ordinal)
            .Replace("{jwe}", jwe, StringComparison.Ordinal)
            .Replace("{h}", h, StringComparison.Ordinal).Replace("{p}", p, StringComparison.Ordinal).Replace("{s}", s, StringComparison.Ordinal);
    }

    private static string BuildRaw(string template)
    {
        var sig = Signer.Sign(SignedContent.Payload("payload"u8), SignatureFormat.Raw, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);
        var unpadded = sig.TrimEnd('=');
        return template
            .Replace("{sig-}", sig.Replace('+', '-').Replace('/', '_').TrimEnd('=') + "-", StringComparison.Ordinal)
            .Replace("{sig=}", unpadded, StringComparison.Ordinal)
            .Replace("{sig~}", NonCanonical(unpadded) + new string('=', sig.Length - unpadded.Length), StringComparison.Ordinal)
            .Replace("{sig1}", sig[..10], StringComparison.Ordinal).Replace("{sig2}", sig[10..], StringComparison.Ordinal)
            .Replace("{sig}", sig, StringComparison.Ordinal);
    }

    /// <summary>The same bytes spelt with a non-zero unused bit in the last character (RFC 4648 §3.5).</summary>
    private static string NonCanonical(string unpadded)
    {
        unpadded.Length.Should().NotBe(unpadded.Length / 4 * 4, "only a part whose length is not a multiple of 4 has unused bits");
        const string Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const string Standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var alphabet = unpadded.Contains('+') || unpadded.Contains('/') ? Standard : Url;
        var last = alphabet.IndexOf(unpadded[^1], StringComparison.Ordinal);
        return unpadded[..^1] + alphabet[last | 1];
    }
}
