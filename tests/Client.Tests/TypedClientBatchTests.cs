using CryptoSecure.Client.Tests.Infrastructure;

namespace CryptoSecure.Client.Tests;

/// <summary>The data-key and batch operations through the generated client, against the real server in memory.</summary>
public sealed class TypedClientBatchTests(CryptoSecureServer server) : IClassFixture<CryptoSecureServer>
{
    private const string DecryptionFailedType = "urn:cryptosecure:problem:decryption-failed";
    private const string ValidationType = "urn:cryptosecure:problem:validation";

    private CryptoSecureClient NewClient(string? apiKey = null) => new(server.CreateClient()) { ApiKey = apiKey };

    private async Task<(CryptoSecureClient Owner, RegisteredUserResponse Registered)> RegisterAsync()
    {
        var registered = await NewClient().RegisterUserAsync(new RegisterUserRequest { Email = $"batch-{Guid.NewGuid():N}@example.com" });
        return (NewClient(registered.ApiKey), registered);
    }

    [Fact]
    public async Task A_data_key_decrypts_for_the_owner_to_the_key_handed_out()
    {
        var (owner, registered) = await RegisterAsync();

        var dataKey = await NewClient().GenerateDataKeyAsync(registered.Email, new DataKeyRequest { Bytes = 16 });
        var sealedOnly = await NewClient().GenerateDataKeyAsync(registered.Email, new DataKeyRequest { IncludePlaintext = false });
        var opened = await owner.DecryptAsync(registered.Email, new CiphertextRequest { Ciphertext = dataKey.Ciphertext });

        Convert.FromBase64String(dataKey.PlaintextKeyBase64!).Should().HaveCount(16);
        opened.PlaintextBase64.Should().Be(dataKey.PlaintextKeyBase64);
        sealedOnly.PlaintextKeyBase64.Should().BeNull();
        sealedOnly.KeyVersion.Should().Be(1);
    }

    [Fact]
    public async Task Encrypt_and_decrypt_batches_round_trip_in_order_with_per_item_errors()
    {
        var (owner, registered) = await RegisterAsync();

        var encrypted = await NewClient().EncryptBatchAsync(registered.Email, new EncryptBatchRequest
        {
            Items = [new EncryptRequest { Plaintext = "one" }, new EncryptRequest { Plaintext = "bad", Format = "rot13" }, new EncryptRequest { Plaintext = "three" }],
        });
        var decrypted = await owner.DecryptBatchAsync(registered.Email, new DecryptBatchRequest
        {
            Items = [new CiphertextRequest { Ciphertext = encrypted.Items[2].Ciphertext }, new CiphertextRequest { Ciphertext = "garbage" }, new CiphertextRequest { Ciphertext = encrypted.Items[0].Ciphertext }],
        });

        encrypted.Items[1].Error!.Type.Should().Be(ValidationType);
        decrypted.Items.Select(i => i.Plaintext).Should().Equal("three", null, "one");
        decrypted.Items[1].Error!.Type.Should().Be(DecryptionFailedType);
    }

    [Fact]
    public async Task Sign_and_verify_batches_say_valid_per_item()
    {
        var (owner, registered) = await RegisterAsync();

        var signed = await owner.SignBatchAsync(registered.Email, new SignBatchRequest { Items = [new SignRequest { Payload = "a" }, new SignRequest { Payload = "b", Format = "raw" }] });
        var verified = await NewClient().VerifyBatchAsync(registered.Email, new VerifyBatchRequest
        {
            Items = [new VerifyRequest { Signature = signed.Items[0].Signature }, new VerifyRequest { Signature = signed.Items[1].Signature, Payload = "not b" }, new VerifyRequest { Signature = signed.Items[1].Signature, Payload = "b" }],
        });

        verified.Items.Select(i => i.Valid).Should().Equal(true, false, true);
    }

    [Fact]
    public async Task An_empty_batch_is_a_validation_problem_through_the_client()
    {
        var (_, registered) = await RegisterAsync();

        var refused = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => NewClient().EncryptBatchAsync(registered.Email, new EncryptBatchRequest { Items = [] }));

        refused.StatusCode.Should().Be(400);
    }
}
