using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Tests.TestVectors;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// Every vector of Wycheproof's json_web_signature_test.json through <see cref="PayloadSigner.VerifyJws"/>.
/// Those with an RS256 or PS256 header and an RSA key are held to Wycheproof's verdict; every
/// other algorithm (HS*, ES*, RS384/512, PS384/512, "none") and the JSON serialization must be
/// refused as malformed, valid vectors included, since the service supports none of them.
/// </summary>
/// <remarks>
/// The key lookup here behaves as the service's must: it offers the group's key only for its
/// "kid", only when it is an RSA key meant for signatures ("use" absent or "sig", "key_ops"
/// absent or with "verify"), and binds it to the JWK's "alg" when that is PS256 or RS256 (a key
/// bound to another algorithm is offered for none of ours). The service's own signing keys serve
/// both PS256 and RS256 and are never encryption keys.
/// </remarks>
public sealed class JwsWycheproofTests
{
    private static readonly PayloadSigner Signer = SigningKeys.NewSigner();

    public static TheoryData<int> AllVectors()
    {
        var data = new TheoryData<int>();
        foreach (var vector in Wycheproof.Jws())
        {
            data.Add(vector.TcId);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Each_vector_gets_Wycheproofs_verdict_or_is_refused_when_its_algorithm_is_not_supported(int tcId)
    {
        var vector = Wycheproof.Jws(tcId);

        var result = Verify(vector);

        var because = $"tcId {tcId} ({vector.GroupComment}: {vector.Comment})";
        if (!vector.IsCompactString || HeaderAlgorithm(vector.Jws) is not ("PS256" or "RS256"))
        {
            result.Outcome.Should().Be(SignatureOutcome.Malformed, because);
            result.Problem.Should().NotBeNullOrWhiteSpace();
        }
        else if (vector.Result == WycheproofResult.Valid)
        {
            result.Outcome.Should().Be(SignatureOutcome.Valid, because);
            result.KeyId.Should().Be(vector.PublicJwk.GetProperty("kid").GetString());
        }
        else
        {
            result.Outcome.Should().NotBe(SignatureOutcome.Valid, because);
        }
    }

    [Theory]
    [InlineData(34, SignatureOutcome.Invalid)]   // modified signature
    [InlineData(35, SignatureOutcome.Invalid)]   // empty signature: wrong length
    [InlineData(36, SignatureOutcome.Malformed)] // two parts
    [InlineData(37, SignatureOutcome.Invalid)]   // modified payload
    [InlineData(38, SignatureOutcome.Invalid)]   // payload removed
    [InlineData(39, SignatureOutcome.Malformed)] // payload and its dot removed
    [InlineData(40, SignatureOutcome.Invalid)]   // header altered to another kid: no such key
    [InlineData(41, SignatureOutcome.Malformed)] // empty header
    [InlineData(44, SignatureOutcome.Malformed)] // one part
    [InlineData(45, SignatureOutcome.Malformed)] // empty string
    [InlineData(60, SignatureOutcome.Invalid)]   // PKCS#1 padding faults (ModifiedPadding)
    [InlineData(240, SignatureOutcome.Invalid)]
    [InlineData(281, SignatureOutcome.Invalid)]  // PSS salt length changed
    [InlineData(312, SignatureOutcome.Invalid)]  // signature 0
    [InlineData(315, SignatureOutcome.Invalid)]  // signature n
    [InlineData(316, SignatureOutcome.Invalid)]  // signature not reduced mod n
    [InlineData(317, SignatureOutcome.Invalid)]  // zeros prepended
    [InlineData(319, SignatureOutcome.Invalid)]  // truncated
    [InlineData(332, SignatureOutcome.Invalid)]  // RS256 header, key bound to PS512
    [InlineData(338, SignatureOutcome.Invalid)]  // PS256 header, key bound to PS512
    [InlineData(341, SignatureOutcome.Malformed)] // "none"
    [InlineData(342, SignatureOutcome.Malformed)] // "NONE"
    [InlineData(344, SignatureOutcome.Malformed)] // "none" with the key's kid
    [InlineData(346, SignatureOutcome.Malformed)] // PS384 (RFC 7520 Figure 20), valid but unsupported
    [InlineData(353, SignatureOutcome.Invalid)]  // key for encryption ("use": "enc")
    [InlineData(355, SignatureOutcome.Invalid)]  // key for encryption ("key_ops": ["encrypt"])
    public void Tampered_truncated_and_confused_tokens_get_the_right_outcome(int tcId, SignatureOutcome expected)
    {
        var vector = Wycheproof.Jws(tcId);
        vector.Result.Should().Be(tcId == 346 ? WycheproofResult.Valid : WycheproofResult.Invalid, "the table above describes these vectors");

        Verify(vector).Outcome.Should().Be(expected, $"tcId {tcId} ({vector.Comment})");
    }

    [Fact]
    public void The_file_exercises_valid_RS256_and_PS256_tokens()
    {
        var supported = Wycheproof.Jws().Where(v => v.IsCompactString && v.Result == WycheproofResult.Valid).ToArray();
        supported.Should().Contain(v => HeaderAlgorithm(v.Jws) == "RS256");
        supported.Should().Contain(v => HeaderAlgorithm(v.Jws) == "PS256");
    }

    private static SignatureVerification Verify(JwsVector vector) => Signer.VerifyJws(vector.Jws, kid => LookUp(vector.PublicJwk, kid));

    private static SignatureVerificationKey? LookUp(JsonElement jwk, string kid)
    {
        if (Text(jwk, "kty") != "RSA" || Text(jwk, "kid") != kid || Text(jwk, "use") is not (null or "sig"))
        {
            return null;
        }

        if (jwk.TryGetProperty("key_ops", out var ops) && !ops.EnumerateArray().Any(op => op.GetString() == "verify"))
        {
            return null;
        }

        var alg = Text(jwk, "alg");
        if (alg is not (null or "PS256" or "RS256"))
        {
            return null;
        }

        SignatureAlgorithm? bound = alg switch
        {
            "PS256" => SignatureAlgorithm.PS256,
            "RS256" => SignatureAlgorithm.RS256,
            _ => null,
        };

        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(Text(jwk, "n")),
            Exponent = Base64Url.DecodeFromChars(Text(jwk, "e")),
        });
        return new SignatureVerificationKey(rsa.ExportSubjectPublicKeyInfo(), bound);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The header's "alg", read leniently (the test's own view, not the code under test's); null when unreadable.</summary>
    private static string? HeaderAlgorithm(string compact)
    {
        var parts = compact.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            return header.RootElement.ValueKind == JsonValueKind.Object ? Text(header.RootElement, "alg") : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
