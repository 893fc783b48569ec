using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Domain.UnitTests.Keys;
using CryptoSecure.Tests.Shared;

namespace CryptoSecure.Domain.UnitTests;

/// <summary>Key material must never reach a log line through ToString().</summary>
public class SecretRedactionTests
{
    private static readonly byte[] Secret = [0xDE, 0xAD, 0xBE, 0xEF, 0x13, 0x37, 0xC0, 0xDE, 0xCA, 0xFE, 0xBA, 0xBE, 0x42, 0x42, 0x42, 0x42,
                                             0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10];

    public static TheoryData<Type> SecretBearingTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var type in SecretProbe.SecretBearingTypes(typeof(SecretAttribute).Assembly))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Secret_bearing_types_are_found_by_their_marks_and_by_the_types_of_their_members()
    {
        SecretBearingTypes().Cast<object[]>().Select(row => (Type)row[0]).Should().Contain([typeof(SealedPrivateKey), typeof(ApiKeyHash), typeof(KeyVersion)]);
    }

    [Theory]
    [MemberData(nameof(SecretBearingTypes))]
    public void No_secret_bearing_type_prints_its_secrets(Type type)
    {
        var probe = SecretProbe.Build(type);

        var text = probe.Instance.ToString()!;

        probe.Forbidden.Should().NotBeEmpty();
        foreach (var secret in probe.Forbidden)
        {
            text.Should().NotContain(secret, $"{type.Name}.ToString() must not print its secrets");
        }
    }

    [Fact]
    public void A_sealed_private_key_prints_only_its_length()
    {
        var text = new SealedPrivateKey(Secret).ToString();

        text.Should().Be("SealedPrivateKey(32 bytes)");
        ShouldNotReveal(text, Secret);
    }

    [Fact]
    public void An_API_key_hash_prints_as_redacted()
    {
        var text = new ApiKeyHash(Secret).ToString();

        text.Should().Be("ApiKeyHash(redacted)");
        ShouldNotReveal(text, Secret);
    }

    [Fact]
    public void A_key_version_prints_its_number_size_and_date_but_no_key_bytes()
    {
        var publicKey = Enumerable.Reverse(Secret).ToArray();
        var version = new KeyVersion(2, KeySize.Rsa4096, publicKey, new SealedPrivateKey(Secret), TestKeyVersions.CreatedAt);

        var text = version.ToString();

        text.Should().Contain("Version = 2").And.Contain("RSA-4096").And.Contain("2025-03-01");
        text.Should().NotContain("SealedPrivateKey").And.NotContain("PublicKey");
        ShouldNotReveal(text, Secret);
        ShouldNotReveal(text, publicKey);
    }

    private static void ShouldNotReveal(string text, byte[] bytes)
    {
        text.Should().NotContainEquivalentOf(Convert.ToHexString(bytes.AsSpan(0, 4)));
        text.Should().NotContain(Convert.ToBase64String(bytes)[..8]);
        text.Should().NotContain(string.Join(", ", bytes.Take(4)));
        text.Should().NotContain(string.Join(",", bytes.Take(4)));
    }
}
