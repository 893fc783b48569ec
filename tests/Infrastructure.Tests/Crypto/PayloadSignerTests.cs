using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>Signing and verifying through <see cref="PayloadSigner"/>: round trips, and what does not verify.</summary>
public sealed class PayloadSignerTests
{
    private const string KeyId = "0123456789abcdef0123456789abcdef-v1";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"invoice":42,"total":"12.50 €"}""");

    public static TheoryData<int, SignatureAlgorithm> SizesAndAlgorithms()
    {
        var data = new TheoryData<int, SignatureAlgorithm>();
        foreach (var size in SigningKeys.Sizes)
        {
            data.Add(size, SignatureAlgorithm.PS256);
            data.Add(size, SignatureAlgorithm.RS256);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizesAndAlgorithms))]
    public void A_JWS_verifies_with_the_key_its_kid_names(int bits, SignatureAlgorithm algorithm)
    {
        var signer = SigningKeys.NewSigner();
        var jws = signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Jws, algorithm, SigningKeys.Pkcs8(bits), KeyId);
        var (lookup, calls) = SigningKeys.OnlyKey(KeyId, SigningKeys.Spki(bits));

        var result = signer.VerifyJws(jws, lookup);

        result.Should().Be(SignatureVerification.Valid(KeyId, algorithm));
        calls().Should().Be(1);
        jws.Split('.')[1].Should().Be(Base64Url.EncodeToString(Payload), "the payload is attached");
    }

    [Theory]
    [MemberData(nameof(SizesAndAlgorithms))]
    public void A_raw_signature_verifies_over_the_payload_and_over_its_digest_whichever_was_signed(int bits, SignatureAlgorithm algorithm)
    {
        var signer = SigningKeys.NewSigner();
        var spki = SigningKeys.Spki(bits);
        var digest = SHA256.HashData(Payload);

        var overPayload = signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Raw, algorithm, SigningKeys.Pkcs8(bits), KeyId);
        var overDigest = signer.Sign(SignedContent.Sha256Digest(digest), SignatureFormat.Raw, algorithm, SigningKeys.Pkcs8(bits), KeyId);

        foreach (var signature in new[] { overPayload, overDigest })
        {
            Convert.FromBase64String(signature).Should().HaveCount(bits / 8);
            signer.VerifyRaw(signature, SignedContent.Payload(Payload), algorithm, spki).Should().Be(SignatureVerification.Valid(null, algorithm));
            signer.VerifyRaw(signature, SignedContent.Sha256Digest(digest), algorithm, spki).IsValid.Should().BeTrue();
        }
    }

    [Fact]
    public void The_protected_header_is_exactly_alg_and_kid()
    {
        var jws = SigningKeys.NewSigner().Sign(SignedContent.Payload(Payload), SignatureFormat.Jws, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);

        Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jws.Split('.')[0])).Should().Be($$"""{"alg":"PS256","kid":"{{KeyId}}"}""");
    }

    [Fact]
    public void An_empty_payload_signs_and_verifies_in_both_formats()
    {
        var signer = SigningKeys.NewSigner();
        var jws = signer.Sign(SignedContent.Payload([]), SignatureFormat.Jws, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);
        var raw = signer.Sign(SignedContent.Payload([]), SignatureFormat.Raw, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);

        signer.VerifyJws(jws, SigningKeys.OnlyKey(KeyId, SigningKeys.Spki()).Lookup).IsValid.Should().BeTrue();
        signer.VerifyRaw(raw, SignedContent.Payload([]), SignatureAlgorithm.PS256, SigningKeys.Spki()).IsValid.Should().BeTrue();
    }

    [Fact]
    public void A_JWS_whose_kid_names_no_key_is_invalid_not_an_error()
    {
        var signer = SigningKeys.NewSigner();
        var jws = signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Jws, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);

        signer.VerifyJws(jws, SigningKeys.OnlyKey("another-kid", SigningKeys.Spki()).Lookup).Should().Be(SignatureVerification.Invalid(SignatureAlgorithm.PS256));
    }

    [Fact]
    public void A_JWS_checked_against_another_key_is_invalid()
    {
        var signer = SigningKeys.NewSigner();
        var jws = signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Jws, SignatureAlgorithm.RS256, SigningKeys.Pkcs8(), KeyId);

        signer.VerifyJws(jws, SigningKeys.OnlyKey(KeyId, TestKeys.SpkiOf(TestKeys.OtherRsa2048Pkcs8)).Lookup).Outcome.Should().Be(SignatureOutcome.Invalid);
    }

    [Theory]
    [InlineData(SignatureAlgorithm.PS256, SignatureAlgorithm.RS256)]
    [InlineData(SignatureAlgorithm.RS256, SignatureAlgorithm.PS256)]
    public void A_JWS_whose_alg_the_key_is_not_bound_to_is_invalid(SignatureAlgorithm signedWith, SignatureAlgorithm keyBoundTo)
    {
        var signer = SigningKeys.NewSigner();
        var jws = signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Jws, signedWith, SigningKeys.Pkcs8(), KeyId);

        signer.VerifyJws(jws, SigningKeys.OnlyKey(KeyId, SigningKeys.Spki(), keyBoundTo).Lookup).Outcome.Should().Be(SignatureOutcome.Invalid);
    }

    [Fact]
    public void A_JWS_with_its_header_swapped_to_the_other_RSA_algorithm_is_invalid()
    {
        var signer = SigningKeys.NewSigner();
        var parts = signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Jws, SignatureAlgorithm.RS256, SigningKeys.Pkcs8(), KeyId).Split('.');
        var swapped = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"PS256","kid":"{{KeyId}}"}"""));

        signer.VerifyJws($"{swapped}.{parts[1]}.{parts[2]}", SigningKeys.OnlyKey(KeyId, SigningKeys.Spki()).Lookup).Outcome.Should().Be(SignatureOutcome.Invalid);
    }

    [Theory]
    [InlineData(SignatureAlgorithm.PS256)]
    [InlineData(SignatureAlgorithm.RS256)]
    public void A_raw_signature_of_other_content_or_the_other_algorithm_or_by_another_key_is_invalid(SignatureAlgorithm algorithm)
    {
        var signer = SigningKeys.NewSigner();
        var signature = signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Raw, algorithm, SigningKeys.Pkcs8(), KeyId);
        var other = algorithm == SignatureAlgorithm.PS256 ? SignatureAlgorithm.RS256 : SignatureAlgorithm.PS256;
        var tampered = (byte[])Payload.Clone();
        tampered[^1] ^= 1;

        signer.VerifyRaw(signature, SignedContent.Payload(tampered), algorithm, SigningKeys.Spki()).Outcome.Should().Be(SignatureOutcome.Invalid);
        signer.VerifyRaw(signature, SignedContent.Sha256Digest(SHA256.HashData(tampered)), algorithm, SigningKeys.Spki()).Outcome.Should().Be(SignatureOutcome.Invalid);
        signer.VerifyRaw(signature, SignedContent.Payload(Payload), other, SigningKeys.Spki()).Outcome.Should().Be(SignatureOutcome.Invalid);
        signer.VerifyRaw(signature, SignedContent.Payload(Payload), algorithm, TestKeys.SpkiOf(TestKeys.OtherRsa2048Pkcs8)).Outcome.Should().Be(SignatureOutcome.Invalid);
    }

    [Fact]
    public void A_raw_signature_of_the_wrong_length_is_invalid_not_malformed()
    {
        var signer = SigningKeys.NewSigner();
        var signature = Convert.FromBase64String(signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Raw, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId));

        foreach (var wrong in new[] { [], signature[1..], [0, .. signature], signature[..^1] })
        {
            signer.VerifyRaw(Convert.ToBase64String(wrong), SignedContent.Payload(Payload), SignatureAlgorithm.PS256, SigningKeys.Spki()).Outcome.Should().Be(SignatureOutcome.Invalid);
        }
    }

    [Fact]
    public void A_key_below_2048_bits_or_not_RSA_verifies_nothing()
    {
        using var small = RSA.Create(1024);
        var signature = Convert.ToBase64String(small.SignData(Payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = SigningKeys.NewSigner();

        signer.VerifyRaw(signature, SignedContent.Payload(Payload), SignatureAlgorithm.PS256, small.ExportSubjectPublicKeyInfo()).Outcome.Should().Be(SignatureOutcome.Invalid);
        signer.VerifyRaw(signature, SignedContent.Payload(Payload), SignatureAlgorithm.PS256, ec.ExportSubjectPublicKeyInfo()).Outcome.Should().Be(SignatureOutcome.Invalid);
        signer.VerifyRaw(signature, SignedContent.Payload(Payload), SignatureAlgorithm.PS256, [1, 2, 3]).Outcome.Should().Be(SignatureOutcome.Invalid);
    }

    [Fact]
    public void A_key_below_2048_bits_does_not_sign()
    {
        using var small = RSA.Create(1024);

        var sign = () => SigningKeys.NewSigner().Sign(SignedContent.Payload(Payload), SignatureFormat.Raw, SignatureAlgorithm.PS256, small.ExportPkcs8PrivateKey(), KeyId);

        sign.Should().Throw<CryptographicException>();
    }

    [Fact]
    public void Signing_with_bytes_that_are_not_a_private_key_is_a_key_integrity_failure_that_names_no_secret()
    {
        var sign = () => SigningKeys.NewSigner().Sign(SignedContent.Payload(Payload), SignatureFormat.Jws, SignatureAlgorithm.PS256, [0x30, 0x03, 0x02, 0x01, 0x00], KeyId);

        sign.Should().ThrowExactly<KeyIntegrityException>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void A_digest_that_is_not_32_bytes_is_refused_by_sign_and_malformed_for_verify(int length)
    {
        var signer = SigningKeys.NewSigner();
        var digest = new byte[length];

        var sign = () => signer.Sign(SignedContent.Sha256Digest(digest), SignatureFormat.Raw, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);
        var verified = signer.VerifyRaw(Convert.ToBase64String(new byte[256]), SignedContent.Sha256Digest(digest), SignatureAlgorithm.PS256, SigningKeys.Spki());

        sign.Should().Throw<ArgumentException>();
        verified.Outcome.Should().Be(SignatureOutcome.Malformed);
        verified.Problem.Should().Contain("32 bytes");
    }

    [Fact]
    public void A_digest_cannot_be_signed_as_a_JWS()
    {
        var sign = () => SigningKeys.NewSigner().Sign(SignedContent.Sha256Digest(SHA256.HashData(Payload)), SignatureFormat.Jws, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);

        sign.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Signing_keeps_the_private_key_imported_in_the_shared_cache()
    {
        using var cache = new RsaKeyCache(new RsaKeyCacheOptions());
        var signer = new PayloadSigner(cache);

        signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Raw, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);
        signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Jws, SignatureAlgorithm.RS256, SigningKeys.Pkcs8(), KeyId);
        signer.VerifyRaw(Convert.ToBase64String(new byte[256]), SignedContent.Payload(Payload), SignatureAlgorithm.PS256, SigningKeys.Spki());

        cache.Count.Should().Be(2, "one private and one public entry, each imported once and reused");
    }

    [Fact]
    public void PS256_signatures_are_randomised_and_RS256_ones_deterministic()
    {
        var signer = SigningKeys.NewSigner();
        string Sign(SignatureAlgorithm algorithm) => signer.Sign(SignedContent.Payload(Payload), SignatureFormat.Raw, algorithm, SigningKeys.Pkcs8(), KeyId);

        // PSS draws a fresh 32-byte salt per signature (RFC 8017 §9.1.1 step 4); PKCS#1 v1.5 has none.
        Sign(SignatureAlgorithm.PS256).Should().NotBe(Sign(SignatureAlgorithm.PS256));
        Sign(SignatureAlgorithm.RS256).Should().Be(Sign(SignatureAlgorithm.RS256));
    }
}
