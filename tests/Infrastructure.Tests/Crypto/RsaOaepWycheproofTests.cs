using System.Collections.Concurrent;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Tests.TestVectors;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// Wycheproof RSAES-OAEP (SHA-256, MGF1-SHA-256) vectors for 2048, 3072 and 4096-bit keys, through
/// <see cref="RsaOaepSha256"/> and through the whole decryption path (sealed key, key ring, payload cipher).
/// </summary>
/// <remarks>
/// The service always uses the empty OAEP label, RFC 8017 §7.1's default and what the prototype
/// (Python cryptography, label=None) did. A ciphertext made with any other label therefore does not
/// decrypt here, even though Wycheproof calls it valid for a decryptor given that label.
/// </remarks>
public sealed class RsaOaepWycheproofTests
{
    private static readonly AesGcmKeyProtector Protector = TestKeys.NewProtector();
    private static readonly ConcurrentDictionary<int, Identity> Identities = new();

    public static TheoryData<int, int> ValidWithEmptyLabel() => Cases(v => v.Result == WycheproofResult.Valid && v.Label.Length == 0);

    public static TheoryData<int, int> ValidWithNonEmptyLabel() => Cases(v => v.Result == WycheproofResult.Valid && v.Label.Length > 0);

    public static TheoryData<int, int> Invalid() => Cases(v => v.Result == WycheproofResult.Invalid);

    public static TheoryData<int, int> All() => Cases(_ => true);

    [Theory]
    [MemberData(nameof(ValidWithEmptyLabel))]
    public void Valid_ciphertext_with_the_empty_label_decrypts_to_the_message(int keySize, int tcId)
    {
        var vector = Wycheproof.RsaOaep(keySize, tcId);
        using var rsa = RsaOaepSha256.ImportPrivateKey(vector.PrivateKeyPkcs8);
        rsa.Should().NotBeNull();

        var plaintext = RsaOaepSha256.TryDecrypt(rsa!, vector.Ct);

        plaintext.Should().Equal(vector.Msg);
    }

    [Theory]
    [MemberData(nameof(ValidWithNonEmptyLabel))]
    public void Ciphertext_made_with_a_nonempty_label_is_rejected(int keySize, int tcId)
    {
        var vector = Wycheproof.RsaOaep(keySize, tcId);
        using var rsa = RsaOaepSha256.ImportPrivateKey(vector.PrivateKeyPkcs8)!;

        RsaOaepSha256.TryDecrypt(rsa, vector.Ct).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_ciphertext_is_rejected(int keySize, int tcId)
    {
        var vector = Wycheproof.RsaOaep(keySize, tcId);
        using var rsa = RsaOaepSha256.ImportPrivateKey(vector.PrivateKeyPkcs8)!;

        RsaOaepSha256.TryDecrypt(rsa, vector.Ct).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Service_decrypts_exactly_the_valid_empty_label_vectors_and_fails_every_other_one_uniformly(int keySize, int tcId)
    {
        var vector = Wycheproof.RsaOaep(keySize, tcId);
        var identity = Identities.GetOrAdd(keySize, _ => TestKeys.SealedIdentity(Protector, vector.PrivateKeyPkcs8, $"wycheproof-{keySize}@example.com"));
        var decryptor = Decryptors.Create(Protector, new PayloadCipher(RsaKeyCache.None));

        var decrypt = () => decryptor.Decrypt(identity, new RsaOaepCiphertext(vector.Ct));

        if (vector.Result == WycheproofResult.Valid && vector.Label.Length == 0)
        {
            var (plaintext, version) = decrypt();
            plaintext.Should().Equal(vector.Msg);
            version.Should().Be(1);
        }
        else
        {
            decrypt.Should().ThrowExactly<DecryptionFailedException>()
                .Which.Message.Should().Be(DecryptionFailedException.UniformMessage);
        }
    }

    [Fact]
    public void Every_key_size_has_vectors_of_each_kind()
    {
        foreach (var size in Wycheproof.RsaOaepKeySizes)
        {
            var vectors = Wycheproof.RsaOaep(size);
            vectors.Should().Contain(v => v.Result == WycheproofResult.Valid && v.Label.Length == 0, $"RSA-{size} must exercise successful decryption");
            vectors.Should().Contain(v => v.Result == WycheproofResult.Invalid, $"RSA-{size} must exercise rejection");
        }
    }

    private static TheoryData<int, int> Cases(Func<RsaOaepVector, bool> select)
    {
        var data = new TheoryData<int, int>();
        foreach (var size in Wycheproof.RsaOaepKeySizes)
        {
            foreach (var vector in Wycheproof.RsaOaep(size).Where(select))
            {
                data.Add(size, vector.TcId);
            }
        }

        return data;
    }
}
