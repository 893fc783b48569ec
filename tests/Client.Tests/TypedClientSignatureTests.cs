using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Client.Tests.Infrastructure;

namespace CryptoSecure.Client.Tests;

/// <summary>The signature operations and the JWK Set through the generated client, against the real server in memory.</summary>
public sealed class TypedClientSignatureTests(CryptoSecureServer server) : IClassFixture<CryptoSecureServer>
{
    private const string ValidationType = "urn:cryptosecure:problem:validation";
    private const string UnauthorizedType = "urn:cryptosecure:problem:unauthorized";

    private CryptoSecureClient NewClient(string? apiKey = null) => new(server.CreateClient()) { ApiKey = apiKey };

    private async Task<(CryptoSecureClient Owner, RegisteredUserResponse Registered)> RegisterAsync()
    {
        var registered = await NewClient().RegisterUserAsync(new RegisterUserRequest { Email = $"signer-{Guid.NewGuid():N}@example.com", Exportable = true });
        return (NewClient(registered.ApiKey), registered);
    }

    [Fact]
    public async Task Sign_makes_a_JWS_that_verify_accepts_without_an_api_key()
    {
        var (owner, registered) = await RegisterAsync();

        var signed = await owner.SignAsync(registered.Email, new SignRequest { Payload = "typed" });
        var verified = await NewClient().VerifyAsync(registered.Email, new VerifyRequest { Signature = signed.Signature });

        signed.Format.Should().Be("jws");
        signed.Algorithm.Should().Be("PS256");
        signed.KeyVersion.Should().Be(1);
        verified.Valid.Should().BeTrue();
        verified.KeyVersion.Should().Be(1);
    }

    [Fact]
    public async Task A_raw_signature_over_a_digest_verifies_against_the_payload_and_a_wrong_payload_is_valid_false()
    {
        var (owner, registered) = await RegisterAsync();
        var digest = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("a large file")));

        var signed = await owner.SignAsync(registered.Email, new SignRequest { DigestBase64 = digest, Format = "raw", Algorithm = "RS256" });
        var good = await NewClient().VerifyAsync(registered.Email, new VerifyRequest { Signature = signed.Signature, Payload = "a large file", Algorithm = "RS256" });
        var bad = await NewClient().VerifyAsync(registered.Email, new VerifyRequest { Signature = signed.Signature, Payload = "another file", Algorithm = "RS256" });

        good.Valid.Should().BeTrue();
        bad.Valid.Should().BeFalse();
        bad.KeyVersion.Should().BeNull();
    }

    [Fact]
    public async Task Sign_without_an_api_key_is_a_401_and_a_digest_with_jws_a_validation_problem()
    {
        var (owner, registered) = await RegisterAsync();

        var anonymous = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => NewClient().SignAsync(registered.Email, new SignRequest { Payload = "x" }));
        var digestJws = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(
            () => owner.SignAsync(registered.Email, new SignRequest { DigestBase64 = Convert.ToBase64String(new byte[32]) }));

        anonymous.StatusCode.Should().Be(401);
        anonymous.Problem!.Type.Should().Be(UnauthorizedType);
        digestJws.StatusCode.Should().Be(400);
        digestJws.Problem!.Type.Should().Be(ValidationType);
    }

    [Fact]
    public async Task The_JWK_Set_holds_the_encryption_and_signing_keys_and_the_signing_key_exports_with_use_sig()
    {
        var (owner, registered) = await RegisterAsync();
        var signed = await owner.SignAsync(registered.Email, new SignRequest { Payload = "x" });

        var keySet = await NewClient().GetJsonWebKeySetAsync(registered.Email);
        var exported = await owner.ExportPrivateKeyAsync(registered.Email, use: "sig");

        keySet.Keys.Select(k => k.Use).Should().Equal("enc", "sig");
        var signingJwk = keySet.Keys.Single(k => k.Use == "sig");
        signingJwk.Alg.Should().Be("PS256");
        using var header = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(signed.Signature.Split('.')[0]));
        signingJwk.Kid.Should().Be(header.RootElement.GetProperty("kid").GetString());
        using var key = RSA.Create();
        key.ImportFromPem(exported.PrivateKeyPem);
        System.Buffers.Text.Base64Url.EncodeToString(key.ExportParameters(false).Modulus).Should().Be(signingJwk.N);
        var ring = await NewClient().GetPublicKeysAsync(registered.Email);
        ring.Keys[0].SigningKeyJwk!.Kid.Should().Be(signingJwk.Kid);
    }

    [Fact]
    public async Task Sign_and_verify_appear_in_the_audit_trail_by_their_typed_actions()
    {
        var (owner, registered) = await RegisterAsync();
        var signed = await owner.SignAsync(registered.Email, new SignRequest { Payload = "x" });
        await NewClient().VerifyAsync(registered.Email, new VerifyRequest { Signature = signed.Signature });

        var trail = await owner.GetAuditTrailAsync(registered.Email);

        trail.Events.Select(e => e.Action).Should().StartWith([AuditAction.SignatureVerified, AuditAction.PayloadSigned]);
    }
}
