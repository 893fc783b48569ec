using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Tests.TestVectors;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>Wycheproof AES-GCM vectors with a 256-bit key, 96-bit IV and 128-bit tag: the only parameters <see cref="Aes256Gcm"/> takes.</summary>
public sealed class AesGcmWycheproofTests
{
    public static TheoryData<int> Valid() => Cases(WycheproofResult.Valid);

    public static TheoryData<int> Invalid() => Cases(WycheproofResult.Invalid);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_vector_decrypts_to_the_message(int tcId)
    {
        var v = Wycheproof.AesGcm256(tcId);
        var plaintext = new byte[v.Ct.Length];

        Aes256Gcm.TryDecrypt(v.Key, v.Iv, v.Ct, v.Tag, plaintext, v.Aad).Should().BeTrue();

        plaintext.Should().Equal(v.Msg);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Encrypting_a_valid_vectors_message_reproduces_its_ciphertext_and_tag(int tcId)
    {
        var v = Wycheproof.AesGcm256(tcId);
        var ciphertext = new byte[v.Msg.Length];
        var tag = new byte[Aes256Gcm.TagSize];

        Aes256Gcm.Encrypt(v.Key, v.Iv, v.Msg, ciphertext, tag, v.Aad);

        ciphertext.Should().Equal(v.Ct);
        tag.Should().Equal(v.Tag);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_vector_is_rejected_and_leaves_no_plaintext(int tcId)
    {
        var v = Wycheproof.AesGcm256(tcId);
        var plaintext = new byte[v.Ct.Length];
        Array.Fill(plaintext, (byte)0xA5);

        Aes256Gcm.TryDecrypt(v.Key, v.Iv, v.Ct, v.Tag, plaintext, v.Aad).Should().BeFalse();

        plaintext.Should().NotContain(b => b != 0);
    }

    private static TheoryData<int> Cases(WycheproofResult result)
    {
        var data = new TheoryData<int>();
        foreach (var vector in Wycheproof.AesGcm256().Where(v => v.Result == result))
        {
            data.Add(vector.TcId);
        }

        return data;
    }
}
