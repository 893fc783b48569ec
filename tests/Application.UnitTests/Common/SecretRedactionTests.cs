using System.Text;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Application.Encryption.Commands.Rewrap;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;
using CryptoSecure.Application.Keys.Queries.ExportPrivateKey;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Tests.Shared;

namespace CryptoSecure.Application.UnitTests.Common;

/// <summary>Commands and results are what a careless log line prints: their ToString() must not carry secrets.</summary>
public class SecretRedactionTests
{
    private const string ApiKey = "csk_T0pS3cretApiKeyValue_abcdefghijklmnopqrstu";
    private const string PrivatePem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    private const string Plaintext = "attack at dawn";
    private const string Ciphertext = "eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.ZW5jcnlwdGVka2V5.aXY.c2VjcmV0Y2lwaGVy.dGFn";

    public static TheoryData<Type> SecretBearingTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var type in SecretProbe.SecretBearingTypes(typeof(ApplicationAssembly).Assembly))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Secret_bearing_commands_results_and_key_material_are_found_by_their_marks()
    {
        SecretBearingTypes().Cast<object[]>().Select(row => (Type)row[0]).Should().Contain(
            [typeof(Encrypt), typeof(Decrypt), typeof(DecryptionResult), typeof(RegisteredIdentity), typeof(PrivateKeyMaterial), typeof(IssuedApiKey)]);
    }

    [Theory]
    [MemberData(nameof(SecretBearingTypes))]
    public void No_command_or_result_prints_its_secrets(Type type)
    {
        var probe = SecretProbe.Build(type);
        using var disposable = probe.Instance as IDisposable;

        var text = probe.Instance.ToString()!;

        probe.Forbidden.Should().NotBeEmpty();
        foreach (var secret in probe.Forbidden)
        {
            text.Should().NotContain(secret, $"{type.Name}.ToString() must not print its secrets");
        }
    }

    [Fact]
    public void A_registration_result_prints_neither_the_API_key_nor_the_private_key()
    {
        var text = new RegisteredIdentity("alice@example.com", 1, 3072, "PUBLIC PEM", DateTimeOffset.UnixEpoch, ApiKey, true, PrivatePem).ToString();

        text.Should().Contain("alice@example.com");
        text.Should().NotContain(ApiKey).And.NotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC").And.NotContain("PRIVATE KEY");
    }

    [Fact]
    public void An_exported_private_key_prints_without_the_key()
    {
        var text = new ExportedPrivateKey("alice@example.com", 2, PrivatePem).ToString();

        text.Should().Contain("Version = 2");
        text.Should().NotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC").And.NotContain("PRIVATE KEY");
    }

    [Fact]
    public void A_decryption_result_prints_the_version_and_length_but_not_the_plaintext()
    {
        var bytes = Encoding.UTF8.GetBytes(Plaintext);

        var text = new DecryptionResult(bytes, 3).ToString();

        text.Should().Contain("KeyVersion = 3").And.Contain($"{bytes.Length} bytes");
        text.Should().NotContain(Plaintext).And.NotContain(Convert.ToBase64String(bytes)).And.NotContainEquivalentOf(Convert.ToHexString(bytes));
    }

    [Fact]
    public void An_encrypt_command_prints_neither_plaintext_nor_plaintextBase64()
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Plaintext));

        new Encrypt("alice@example.com", Plaintext).ToString().Should().NotContain(Plaintext).And.Contain("alice@example.com");
        new Encrypt("alice@example.com", null, base64, "rsa-oaep").ToString().Should().NotContain(base64).And.Contain("rsa-oaep");
    }

    [Fact]
    public void A_decrypt_command_prints_no_ciphertext()
    {
        var text = new Decrypt("alice@example.com", Ciphertext).ToString();

        text.Should().Contain("alice@example.com");
        text.Should().NotContain("c2VjcmV0Y2lwaGVy").And.NotContain("ZW5jcnlwdGVka2V5");
    }

    [Fact]
    public void A_rewrap_command_prints_no_ciphertext()
    {
        new Rewrap("alice@example.com", Ciphertext).ToString().Should().NotContain("c2VjcmV0Y2lwaGVy");
    }

    [Fact]
    public void An_issued_API_key_prints_as_redacted()
    {
        new IssuedApiKey(ApiKey, new ApiKeyHash(new byte[32])).ToString().Should().NotContain(ApiKey).And.Contain("redacted");
    }

    [Fact]
    public void Private_key_material_and_key_pairs_print_without_the_key()
    {
        byte[] pkcs8 = [0x30, 0x82, 0x04, 0xBE, 0xDE, 0xAD, 0xBE, 0xEF];

        new PrivateKeyMaterial((byte[])pkcs8.Clone()).ToString().Should().NotContainEquivalentOf("DEADBEEF").And.NotContain(Convert.ToBase64String(pkcs8));
        using var pair = new RsaKeyPair(KeySize.Rsa2048, [0x01], (byte[])pkcs8.Clone());
        pair.ToString().Should().Be("RsaKeyPair(RSA-2048)");
    }
}
