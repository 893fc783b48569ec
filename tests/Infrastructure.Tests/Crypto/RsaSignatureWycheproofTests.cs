using System.Security.Cryptography;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Tests.TestVectors;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// Wycheproof RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) and RSASSA-PKCS1-v1_5 (SHA-256) vectors
/// for 2048, 3072 and 4096-bit keys, through <see cref="PayloadSigner.VerifyRaw"/> over the message
/// and over its SHA-256 digest (the prehashed path must agree with the plain one on every vector).
/// </summary>
/// <remarks>
/// The one "acceptable" vector, PKCS#1 tcId 8 ("MissingNull": a DigestInfo without the NULL
/// parameters, a legacy encoding), is rejected: OpenSSL compares the whole encoded DigestInfo
/// (RFC 8017 §8.2.2 step 4), which is what we want, so the test pins rejection. The two "valid"
/// vectors flagged "SmallPublicKey" use e = 3; we verify them, since only our own keys (e = 65537)
/// are ever offered for verification.
/// </remarks>
public sealed class RsaSignatureWycheproofTests
{
    private static readonly PayloadSigner Signer = SigningKeys.NewSigner();

    public static TheoryData<int, int> PssVectors() => Cases(Wycheproof.RsaPss, _ => true);

    public static TheoryData<int, int> Pkcs1Vectors() => Cases(Wycheproof.RsaPkcs1, _ => true);

    // "WrongPrimitive" vectors are signatures of the other scheme, so some of them verify there.
    public static TheoryData<int, int> PssVectorsOfThisScheme() => Cases(Wycheproof.RsaPss, v => !v.Flags.Contains("WrongPrimitive"));

    public static TheoryData<int, int> Pkcs1VectorsOfThisScheme() => Cases(Wycheproof.RsaPkcs1, v => !v.Flags.Contains("WrongPrimitive"));

    [Theory]
    [MemberData(nameof(PssVectors))]
    public void PS256_verifies_exactly_the_valid_PSS_vectors(int keySize, int tcId)
    {
        var vector = Wycheproof.RsaPss(keySize, tcId);
        vector.Result.Should().NotBe(WycheproofResult.Acceptable, "the PSS files have no acceptable cases; a new one needs a decision");

        AssertVerdict(vector, SignatureAlgorithm.PS256, vector.Result == WycheproofResult.Valid);
    }

    [Theory]
    [MemberData(nameof(Pkcs1Vectors))]
    public void RS256_verifies_exactly_the_valid_PKCS1_vectors(int keySize, int tcId)
    {
        var vector = Wycheproof.RsaPkcs1(keySize, tcId);
        if (vector.Result == WycheproofResult.Acceptable)
        {
            vector.Flags.Should().Equal(["MissingNull"], "each acceptable case is decided one by one (see the remarks)");
        }

        AssertVerdict(vector, SignatureAlgorithm.RS256, vector.Result == WycheproofResult.Valid);
    }

    [Theory]
    [MemberData(nameof(PssVectorsOfThisScheme))]
    public void A_PSS_vector_never_verifies_as_RS256(int keySize, int tcId) =>
        AssertVerdict(Wycheproof.RsaPss(keySize, tcId), SignatureAlgorithm.RS256, expectValid: false);

    [Theory]
    [MemberData(nameof(Pkcs1VectorsOfThisScheme))]
    public void A_PKCS1_vector_never_verifies_as_PS256(int keySize, int tcId) =>
        AssertVerdict(Wycheproof.RsaPkcs1(keySize, tcId), SignatureAlgorithm.PS256, expectValid: false);

    [Fact]
    public void A_signature_of_the_other_scheme_is_rejected_by_this_one_though_it_verifies_under_its_own()
    {
        // The WrongPrimitive vectors rejected above are genuine: this shows the padding scheme,
        // not some other fault, is what rejects them.
        foreach (var size in Wycheproof.RsaSignatureKeySizes)
        {
            Wycheproof.RsaPss(size).Where(v => v.Flags.Contains("WrongPrimitive"))
                .Should().Contain(v => Verify(v, SignatureAlgorithm.RS256) == SignatureOutcome.Valid, $"RSA-{size}: a PKCS#1 signature offered as PSS");
            Wycheproof.RsaPkcs1(size).Where(v => v.Flags.Contains("WrongPrimitive"))
                .Should().Contain(v => Verify(v, SignatureAlgorithm.PS256) == SignatureOutcome.Valid, $"RSA-{size}: a PSS signature offered as PKCS#1");
        }
    }

    [Fact]
    public void Every_key_size_has_valid_and_invalid_vectors_of_both_schemes()
    {
        foreach (var size in Wycheproof.RsaSignatureKeySizes)
        {
            foreach (var vectors in new[] { Wycheproof.RsaPss(size), Wycheproof.RsaPkcs1(size) })
            {
                vectors.Should().Contain(v => v.Result == WycheproofResult.Valid, $"RSA-{size} must exercise verification");
                vectors.Should().Contain(v => v.Result == WycheproofResult.Invalid, $"RSA-{size} must exercise rejection");
            }
        }
    }

    private static void AssertVerdict(RsaSignatureVector vector, SignatureAlgorithm algorithm, bool expectValid)
    {
        var signature = Convert.ToBase64String(vector.Sig);
        var expected = expectValid ? SignatureOutcome.Valid : SignatureOutcome.Invalid;

        var overPayload = Signer.VerifyRaw(signature, SignedContent.Payload(vector.Msg), algorithm, vector.PublicKeySpki);
        var overDigest = Signer.VerifyRaw(signature, SignedContent.Sha256Digest(SHA256.HashData(vector.Msg)), algorithm, vector.PublicKeySpki);

        overPayload.Outcome.Should().Be(expected, $"tcId {vector.TcId} ({vector.Comment}; {string.Join(",", vector.Flags)}) over the payload");
        overDigest.Outcome.Should().Be(expected, $"tcId {vector.TcId} ({vector.Comment}) over its digest");
    }

    private static SignatureOutcome Verify(RsaSignatureVector vector, SignatureAlgorithm algorithm) =>
        Signer.VerifyRaw(Convert.ToBase64String(vector.Sig), SignedContent.Payload(vector.Msg), algorithm, vector.PublicKeySpki).Outcome;

    private static TheoryData<int, int> Cases(Func<int, IReadOnlyList<RsaSignatureVector>> file, Func<RsaSignatureVector, bool> select)
    {
        var data = new TheoryData<int, int>();
        foreach (var size in Wycheproof.RsaSignatureKeySizes)
        {
            foreach (var vector in file(size).Where(select))
            {
                data.Add(size, vector.TcId);
            }
        }

        return data;
    }
}
