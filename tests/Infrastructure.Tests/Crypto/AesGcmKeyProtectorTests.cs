using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class AesGcmKeyProtectorTests
{
    private static readonly KeyBinding Binding = new(Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"), "owner@example.com", 3);

    private readonly byte[] _pkcs8 = TestKeys.Rsa2048Pkcs8;
    private readonly AesGcmKeyProtector _protector = TestKeys.NewProtector();

    [Fact]
    public void Unseal_returns_the_sealed_PKCS8()
    {
        var sealedKey = _protector.Seal(_pkcs8, Binding);

        using var opened = _protector.Unseal(sealedKey, Binding);

        opened.Pkcs8.ToArray().Should().Equal(_pkcs8);
    }

    [Fact]
    public void Sealed_form_is_version_byte_nonce_ciphertext_and_tag()
    {
        var sealedKey = _protector.Seal(_pkcs8, Binding);

        sealedKey.Bytes.Length.Should().Be(1 + 12 + _pkcs8.Length + 16);
        sealedKey.Bytes[0].Should().Be(0x01);
    }

    public static TheoryData<string, KeyBinding> OtherBindings() => new()
    {
        { "another identity id", Binding with { IdentityId = Guid.NewGuid() } },
        { "another email", Binding with { NormalizedEmail = "thief@example.com" } },
        { "the email in another case", Binding with { NormalizedEmail = "Owner@example.com" } },
        { "another version", Binding with { Version = 4 } },
        { "the signing purpose", Binding with { Purpose = KeyPurpose.Signing } },
    };

    [Fact]
    public void A_key_sealed_for_signing_opens_only_for_signing()
    {
        var signing = Binding with { Purpose = KeyPurpose.Signing };
        var sealedKey = _protector.Seal(_pkcs8, signing);

        using (var opened = _protector.Unseal(sealedKey, signing))
        {
            opened.Pkcs8.ToArray().Should().Equal(_pkcs8);
        }

        var asEncryptionKey = () => _protector.Unseal(sealedKey, Binding);
        asEncryptionKey.Should().Throw<KeyIntegrityException>("a signing key moved into an encryption key's slot must not decrypt");
    }

    [Fact]
    public void The_encryption_keys_associated_data_is_the_first_releases_so_its_sealed_keys_still_open()
    {
        // Sealed by hand exactly as v0.1.0 did: AES-256-GCM under the sealing key, this associated data.
        var masterKey = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));
        var protector = new AesGcmKeyProtector(masterKey);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var ciphertext = new byte[_pkcs8.Length];
        var tag = new byte[16];
        var associatedData = System.Text.Encoding.UTF8.GetBytes($"cryptosecure/private-key/v1\n{Binding.IdentityId:N}\n{Binding.NormalizedEmail}\n{Binding.Version}");
        using (var aes = new AesGcm(masterKey.SealingKey, 16))
        {
            aes.Encrypt(nonce, _pkcs8, ciphertext, tag, associatedData);
        }

        using var opened = protector.Unseal(new SealedPrivateKey([0x01, .. nonce, .. ciphertext, .. tag]), Binding);

        opened.Pkcs8.ToArray().Should().Equal(_pkcs8);
    }

    [Theory]
    [MemberData(nameof(OtherBindings))]
    public void Unseal_under_another_binding_fails_the_integrity_check(string change, KeyBinding other)
    {
        var sealedKey = _protector.Seal(_pkcs8, Binding);

        var act = () => _protector.Unseal(sealedKey, other);

        act.Should().Throw<KeyIntegrityException>(change);
    }

    [Fact]
    public void Flipping_any_byte_of_the_sealed_key_fails_the_integrity_check()
    {
        var sealedBytes = _protector.Seal(_pkcs8, Binding).ToArray();
        var accepted = new List<int>();

        for (var i = 0; i < sealedBytes.Length; i++)
        {
            var tampered = (byte[])sealedBytes.Clone();
            tampered[i] ^= 0x01;
            try
            {
                using var opened = _protector.Unseal(new SealedPrivateKey(tampered), Binding);
                accepted.Add(i);
            }
            catch (KeyIntegrityException)
            {
                // Expected.
            }
        }

        accepted.Should().BeEmpty("every byte of the sealed key is authenticated");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(29)]
    [InlineData(30)]
    public void Sealed_key_cut_short_fails_the_integrity_check(int keep)
    {
        var sealedBytes = _protector.Seal(_pkcs8, Binding).ToArray();

        var act = () => _protector.Unseal(new SealedPrivateKey(sealedBytes[..keep]), Binding);

        act.Should().Throw<KeyIntegrityException>();
    }

    [Fact]
    public void Sealed_key_with_bytes_removed_or_appended_fails_the_integrity_check()
    {
        var sealedBytes = _protector.Seal(_pkcs8, Binding).ToArray();

        var dropLast = () => _protector.Unseal(new SealedPrivateKey(sealedBytes[..^1]), Binding);
        var appended = () => _protector.Unseal(new SealedPrivateKey([.. sealedBytes, 0]), Binding);

        dropLast.Should().Throw<KeyIntegrityException>();
        appended.Should().Throw<KeyIntegrityException>();
    }

    [Fact]
    public void A_protector_over_another_master_key_cannot_unseal()
    {
        var sealedKey = _protector.Seal(_pkcs8, Binding);

        var act = () => TestKeys.NewProtector().Unseal(sealedKey, Binding);

        act.Should().Throw<KeyIntegrityException>();
    }

    [Fact]
    public void A_protector_over_the_same_master_key_material_unseals()
    {
        var material = RandomNumberGenerator.GetBytes(MasterKey.Length);
        var first = new AesGcmKeyProtector(new MasterKey((byte[])material.Clone()));
        var restarted = new AesGcmKeyProtector(new MasterKey(material));

        using var opened = restarted.Unseal(first.Seal(_pkcs8, Binding), Binding);

        opened.Pkcs8.ToArray().Should().Equal(_pkcs8);
    }

    [Fact]
    public void Sealed_bytes_never_contain_the_private_key_or_any_16_byte_run_of_it()
    {
        var sealedBytes = _protector.Seal(_pkcs8, Binding).ToArray();

        sealedBytes.AsSpan().IndexOf(_pkcs8).Should().Be(-1);
        for (var i = 0; i + 16 <= _pkcs8.Length; i += 8)
        {
            sealedBytes.AsSpan().IndexOf(_pkcs8.AsSpan(i, 16)).Should().Be(-1, $"bytes {i}..{i + 15} of the PKCS#8 must not appear in clear");
        }
    }

    [Fact]
    public void Two_seals_of_the_same_key_differ_and_both_open()
    {
        var first = _protector.Seal(_pkcs8, Binding);
        var second = _protector.Seal(_pkcs8, Binding);

        second.ToArray().Should().NotEqual(first.ToArray());
        second.Bytes.Slice(1, 12).ToArray().Should().NotEqual(first.Bytes.Slice(1, 12).ToArray(), "each seal draws a fresh nonce");
        using var a = _protector.Unseal(first, Binding);
        using var b = _protector.Unseal(second, Binding);
        a.Pkcs8.ToArray().Should().Equal(b.Pkcs8.ToArray());
    }

    [Fact]
    public void Disposing_the_opened_key_wipes_it()
    {
        var opened = _protector.Unseal(_protector.Seal(_pkcs8, Binding), Binding);
        var view = opened.Pkcs8;
        var copy = view.ToArray();

        opened.Dispose();

        copy.Should().Equal(_pkcs8);
        opened.Pkcs8.ToArray().Should().NotContain(b => b != 0);
        opened.ToString().Should().NotContain(Convert.ToBase64String(_pkcs8)[..16]);
    }
}
