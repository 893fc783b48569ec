using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Tests.TestVectors;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// Wycheproof JSON Web Encryption vectors. The service implements exactly RSA-OAEP-256 + A256GCM in
/// compact serialization (RFC 8725 §3.1: an allow-list), so of all the vectors only the valid ones
/// with that pair decrypt; everything else (RSA1_5, RSA-OAEP with SHA-1, other content encryption,
/// AES and EC key management, tampering, JSON serialization, compression) is rejected, and through
/// the service every rejection looks the same.
/// </summary>
public sealed class JweWycheproofTests
{
    // The key for groups whose key is not RSA: the vector can only ever fail with it.
    private static readonly Lazy<byte[]> FallbackRsa2048 = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKey();
    });

    private static readonly AesGcmKeyProtector Protector = TestKeys.NewProtector();
    private static readonly Dictionary<string, Identity> Identities = new(StringComparer.Ordinal);
    private static readonly Lock IdentitiesLock = new();

    public static TheoryData<int> MustDecrypt() => Cases(ShouldDecrypt);

    public static TheoryData<int> MustBeRejected() => Cases(v => !ShouldDecrypt(v));

    [Theory]
    [MemberData(nameof(MustDecrypt))]
    public void Valid_RSA_OAEP_256_A256GCM_jwe_decrypts_to_the_plaintext(int tcId)
    {
        var vector = Wycheproof.Jwe(tcId);
        using var key = KeyFor(vector);

        var plaintext = JweCompact.TryDecrypt(vector.Jwe, key, out _);

        plaintext.Should().Equal(vector.Pt);
    }

    [Theory]
    [MemberData(nameof(MustDecrypt))]
    public void Valid_RSA_OAEP_256_A256GCM_jwe_decrypts_through_the_service(int tcId)
    {
        var vector = Wycheproof.Jwe(tcId);

        var (plaintext, _) = Decryptor().Decrypt(IdentityFor(vector), new JweCiphertext(vector.Jwe));

        plaintext.Should().Equal(vector.Pt);
    }

    [Theory]
    [MemberData(nameof(MustBeRejected))]
    public void Any_other_jwe_is_rejected(int tcId)
    {
        var vector = Wycheproof.Jwe(tcId);
        using var key = KeyFor(vector);

        JweCompact.TryDecrypt(vector.Jwe, key, out _).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(MustBeRejected))]
    public void Any_other_jwe_fails_through_the_service_with_the_uniform_error(int tcId)
    {
        var vector = Wycheproof.Jwe(tcId);
        var identity = IdentityFor(vector);

        var act = () => Decryptor().Decrypt(identity, new JweCiphertext(vector.Jwe));

        act.Should().ThrowExactly<DecryptionFailedException>()
            .Which.Message.Should().Be(DecryptionFailedException.UniformMessage);
    }

    [Fact]
    public void The_vectors_include_RSA1_5_and_RSA_OAEP_ciphertexts_that_are_valid_elsewhere()
    {
        // Guards the rejection theory against a vector file that no longer exercises the allow-list.
        var valid = Wycheproof.Jwe().Where(v => v.Result == WycheproofResult.Valid && v.IsCompactString).Select(v => Header(v.Jwe)).ToArray();

        valid.Should().Contain(h => h != null && h.Value.Alg == "RSA1_5");
        valid.Should().Contain(h => h != null && h.Value.Alg == "RSA-OAEP");
        valid.Should().Contain(h => h != null && h.Value.Alg == "RSA-OAEP-256" && h.Value.Enc != "A256GCM");
    }

    private static bool ShouldDecrypt(JweVector vector) =>
        vector.Result == WycheproofResult.Valid
        && vector.IsCompactString
        && Header(vector.Jwe) is { Alg: "RSA-OAEP-256", Enc: "A256GCM" };

    /// <summary>The protected header's alg and enc, read independently of the code under test.</summary>
    private static (string? Alg, string? Enc)? Header(string compact)
    {
        var dot = compact.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(compact.AsSpan(0, dot)));
            var root = header.RootElement;
            return (root.TryGetProperty("alg", out var alg) ? alg.GetString() : null, root.TryGetProperty("enc", out var enc) ? enc.GetString() : null);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool HasRsaKey(JweVector vector) =>
        vector.PrivateJwk.TryGetProperty("kty", out var kty) && kty.GetString() == "RSA";

    private static RSA KeyFor(JweVector vector) =>
        HasRsaKey(vector) ? TestKeys.ImportJwk(vector.PrivateJwk) : TestKeys.Import(FallbackRsa2048.Value);

    private static byte[] Pkcs8For(JweVector vector)
    {
        if (!HasRsaKey(vector))
        {
            return FallbackRsa2048.Value;
        }

        using var rsa = TestKeys.ImportJwk(vector.PrivateJwk);
        return rsa.ExportPkcs8PrivateKey();
    }

    private static Identity IdentityFor(JweVector vector)
    {
        var keyName = HasRsaKey(vector) ? vector.PrivateJwk.GetProperty("n").GetString()! : "fallback";
        lock (IdentitiesLock)
        {
            if (!Identities.TryGetValue(keyName, out var identity))
            {
                identity = TestKeys.SealedIdentity(Protector, Pkcs8For(vector), $"jwe{Identities.Count}@example.com");
                Identities[keyName] = identity;
            }

            return identity;
        }
    }

    private static KeyRingDecryptor Decryptor() => Decryptors.Create(Protector, new PayloadCipher(RsaKeyCache.None));

    private static TheoryData<int> Cases(Func<JweVector, bool> select)
    {
        var data = new TheoryData<int>();
        foreach (var vector in Wycheproof.Jwe().Where(select))
        {
            data.Add(vector.TcId);
        }

        return data;
    }
}
