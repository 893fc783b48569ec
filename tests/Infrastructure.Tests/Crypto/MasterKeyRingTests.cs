using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class MasterKeyRingTests
{
    private static readonly KeyBinding Binding = new(Guid.CreateVersion7(), "alice@example.com", 1);

    [Fact]
    public void A_key_id_is_the_truncated_hmac_of_the_label_and_tells_keys_apart_without_holding_the_key()
    {
        var material = RandomNumberGenerator.GetBytes(32);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(material, Encoding.ASCII.GetBytes("CryptoSecure master key id"))[..8]);
        using var key = new MasterKey((byte[])material.Clone());
        using var other = new MasterKey(RandomNumberGenerator.GetBytes(32));

        key.Id.Should().Be(expected).And.HaveLength(16).And.NotBe(other.Id);
        key.Id.Should().NotContain(Convert.ToHexStringLower(material[..8])).And.NotContain(Convert.ToBase64String(material)[..8]);
    }

    [Fact]
    public void A_key_sealed_under_a_previous_master_key_opens_with_it_configured_and_reseals_under_the_current_one()
    {
        // The test keeps the material: a MasterKey wipes what it is given.
        var previousMaterial = RandomNumberGenerator.GetBytes(32);
        using var previous = new MasterKey((byte[])previousMaterial.Clone());
        var sealedOld = new AesGcmKeyProtector(previous).Seal("pkcs8 bytes"u8, Binding);
        sealedOld.SealedBy.Should().Be(previous.Id);
        using var keys = new MasterKeyRing(new MasterKey(RandomNumberGenerator.GetBytes(32)), [new MasterKey(previousMaterial)]);
        var protector = new AesGcmKeyProtector(keys);

        protector.IsCurrent(sealedOld).Should().BeFalse();
        using (var opened = protector.Unseal(sealedOld, Binding))
        {
            opened.Pkcs8.ToArray().Should().Equal("pkcs8 bytes"u8.ToArray());
        }

        var resealed = protector.Reseal(sealedOld, Binding);
        resealed.SealedBy.Should().Be(keys.Current.Id);
        protector.IsCurrent(resealed).Should().BeTrue();
        using var reopened = new AesGcmKeyProtector(new MasterKeyRing(keys.Current, [])).Unseal(resealed, Binding);
        reopened.Pkcs8.ToArray().Should().Equal("pkcs8 bytes"u8.ToArray(), "the current key alone opens it now");
    }

    [Fact]
    public void A_key_naming_a_master_key_that_is_not_configured_does_not_open()
    {
        using var gone = new MasterKey(RandomNumberGenerator.GetBytes(32));
        var sealedKey = new AesGcmKeyProtector(gone).Seal("pkcs8"u8, Binding);
        var protector = new AesGcmKeyProtector(new MasterKey(RandomNumberGenerator.GetBytes(32)));

        var act = () => protector.Unseal(sealedKey, Binding);

        act.Should().Throw<KeyIntegrityException>();
    }

    [Fact]
    public void The_same_key_given_as_current_and_previous_counts_once()
    {
        var material = RandomNumberGenerator.GetBytes(32);
        using var keys = new MasterKeyRing(new MasterKey((byte[])material.Clone()), [new MasterKey((byte[])material.Clone())]);

        keys.Previous.Should().BeEmpty();
        keys.Ids.Should().ContainSingle();
    }
}
