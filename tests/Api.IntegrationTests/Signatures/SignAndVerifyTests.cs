using System.Net;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Jose;

namespace CryptoSecure.Api.IntegrationTests.Signatures;

/// <summary>Sign and verify over HTTP, as ARCHITECTURE.md "Signatures" specifies them.</summary>
public sealed class SignAndVerifyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Document = "the contract, signed ✓";

    private readonly ApiClient _api = factory.NewClient();

    [Theory]
    [InlineData("PS256")]
    [InlineData("RS256")]
    public async Task A_JWS_signed_by_the_owner_verifies_for_anyone_and_names_its_signing_key(string algorithm)
    {
        var owner = await _api.RegisterAsync();

        var signed = await _api.SignAsync(owner, new { payload = Document, algorithm });

        ((string)signed["format"]!).Should().Be("jws");
        ((string)signed["algorithm"]!).Should().Be(algorithm);
        ((int)signed["keyVersion"]!).Should().Be(1);
        var jws = (string)signed["signature"]!;
        var header = JWT.Headers(jws);
        header["alg"].Should().Be(algorithm);
        ((string)header["kid"]).Should().EndWith("-sig-v1", "the signing key's kid is not the encryption key's");
        Encoding.UTF8.GetString(Base64Url.Decode(jws.Split('.')[1])).Should().Be(Document, "the payload is attached");
        (await _api.VerifyAsync(owner.Email, new { signature = jws })).Should().Be((true, 1));
    }

    [Fact]
    public async Task The_default_is_a_PS256_JWS()
    {
        var owner = await _api.RegisterAsync();

        var signed = await _api.SignAsync(owner, new { payloadBase64 = Convert.ToBase64String([0, 1, 2, 255]) });

        ((string)signed["format"]!).Should().Be("jws");
        ((string)signed["algorithm"]!).Should().Be("PS256");
        JWT.Headers((string)signed["signature"]!)["alg"].Should().Be("PS256");
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("RS256")]
    public async Task A_raw_signature_over_the_payload_and_one_over_its_digest_are_interchangeable(string algorithm)
    {
        var owner = await _api.RegisterAsync();
        var payload = Encoding.UTF8.GetBytes(Document);
        var digest = Convert.ToBase64String(SHA256.HashData(payload));

        var overPayload = (string)(await _api.SignAsync(owner, new { payload = Document, format = "raw", algorithm }))["signature"]!;
        var overDigest = (string)(await _api.SignAsync(owner, new { digestBase64 = digest, format = "raw", algorithm }))["signature"]!;

        Convert.FromBase64String(overPayload).Should().HaveCount(256, "a raw signature is k bytes, standard base64");
        foreach (var signature in new[] { overPayload, overDigest })
        {
            (await _api.VerifyAsync(owner.Email, new { signature, payload = Document, algorithm })).Should().Be((true, 1));
            (await _api.VerifyAsync(owner.Email, new { signature, payloadBase64 = Convert.ToBase64String(payload), algorithm })).Should().Be((true, 1));
            (await _api.VerifyAsync(owner.Email, new { signature, digestBase64 = digest, algorithm })).Should().Be((true, 1));
        }
    }

    [Fact]
    public async Task A_JWS_verifies_with_jose_jwt_and_the_signing_key_exported_with_use_sig_and_not_with_the_encryption_key()
    {
        var owner = await _api.RegisterAsync(exportable: true);
        var jws = (string)(await _api.SignAsync(owner, new { payload = Document }))["signature"]!;
        using var signingKey = RSA.Create();
        signingKey.ImportFromPem(await _api.ExportAsync(owner, "sig"));
        using var encryptionKey = RSA.Create();
        encryptionKey.ImportFromPem(await _api.ExportAsync(owner, "enc"));

        JWT.Decode(jws, signingKey, JwsAlgorithm.PS256).Should().Be(Document);
        var withEncryptionKey = () => JWT.Decode(jws, encryptionKey, JwsAlgorithm.PS256);
        withEncryptionKey.Should().Throw<IntegrityException>("each version's signing key is a key pair of its own");
        signingKey.ExportSubjectPublicKeyInfoPem().Should().NotBe(encryptionKey.ExportSubjectPublicKeyInfoPem());
    }

    [Fact]
    public async Task A_JWS_made_by_jose_jwt_with_the_exported_signing_key_verifies()
    {
        var owner = await _api.RegisterAsync(exportable: true);
        await _api.SignAsync(owner, new { payload = "x" });
        using var signingKey = RSA.Create();
        signingKey.ImportFromPem(await _api.ExportAsync(owner, "sig"));
        var kid = (string)JWT.Headers((string)(await _api.SignAsync(owner, new { payload = "x" }))["signature"]!)["kid"];

        var jws = JWT.Encode("made elsewhere", signingKey, JwsAlgorithm.RS256, extraHeaders: new Dictionary<string, object> { ["kid"] = kid });

        (await _api.VerifyAsync(owner.Email, new { signature = jws })).Should().Be((true, 1));
    }

    [SkippableTheory]
    [InlineData("PS256")]
    [InlineData("RS256")]
    public async Task A_raw_signature_verifies_with_Pythons_cryptography_and_the_exported_signing_key(string algorithm)
    {
        Skip.IfNot(PythonCryptography.IsAvailable, "python3 with the 'cryptography' package is not installed: the Python signature check did not run.");
        var owner = await _api.RegisterAsync(exportable: true);
        var signature = (string)(await _api.SignAsync(owner, new { payload = Document, format = "raw", algorithm }))["signature"]!;
        using var key = RSA.Create();
        key.ImportFromPem(await _api.ExportAsync(owner, "sig"));
        var publicPem = key.ExportSubjectPublicKeyInfoPem();

        (await PythonCryptography.VerifiesAsync(publicPem, Encoding.UTF8.GetBytes(Document), signature, algorithm)).Should().BeTrue();
        (await PythonCryptography.VerifiesAsync(publicPem, Encoding.UTF8.GetBytes(Document + "!"), signature, algorithm)).Should().BeFalse("Python rejects a tampered payload too");
    }

    [Fact]
    public async Task A_tampered_payload_or_signature_is_valid_false_not_an_error()
    {
        var owner = await _api.RegisterAsync();
        var jws = (string)(await _api.SignAsync(owner, new { payload = Document }))["signature"]!;
        var raw = (string)(await _api.SignAsync(owner, new { payload = Document, format = "raw" }))["signature"]!;
        var parts = jws.Split('.');
        var otherPayload = $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(Document + "!"))}.{parts[2]}";
        var flipped = Convert.FromBase64String(raw);
        flipped[10] ^= 1;

        (await _api.VerifyAsync(owner.Email, new { signature = otherPayload })).Should().Be((false, null));
        (await _api.VerifyAsync(owner.Email, new { signature = raw, payload = Document + "!" })).Should().Be((false, null));
        (await _api.VerifyAsync(owner.Email, new { signature = Convert.ToBase64String(flipped), payload = Document })).Should().Be((false, null));
        (await _api.VerifyAsync(owner.Email, new { signature = raw, payload = Document, algorithm = "RS256" })).Should().Be((false, null), "a PSS signature is not a PKCS#1 v1.5 one");
    }

    [Fact]
    public async Task A_JWS_whose_kid_names_another_identity_or_an_unknown_version_or_an_encryption_key_is_valid_false()
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        var jws = (string)(await _api.SignAsync(owner, new { payload = Document }))["signature"]!;
        var kid = (string)JWT.Headers(jws)["kid"];
        var raw = (string)(await _api.SignAsync(owner, new { payload = Document, format = "raw" }))["signature"]!;

        (await _api.VerifyAsync(other.Email, new { signature = jws })).Should().Be((false, null), "another identity's kid finds no key of this one");
        (await _api.VerifyAsync(other.Email, new { signature = raw, payload = Document })).Should().Be((false, null));
        foreach (var renamed in new[] { kid.Replace("-sig-v1", "-sig-v9", StringComparison.Ordinal), kid.Replace("-sig-v1", "-v1", StringComparison.Ordinal) })
        {
            var header = Base64Url.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"PS256","kid":"{{renamed}}"}"""));
            var parts = jws.Split('.');
            (await _api.VerifyAsync(owner.Email, new { signature = $"{header}.{parts[1]}.{parts[2]}" })).Should().Be((false, null), $"kid {renamed} names no signing key");
        }
    }

    [Fact]
    public async Task Old_signatures_still_verify_after_a_rotation_and_after_the_minimum_is_raised_and_signing_then_uses_the_latest()
    {
        var owner = await _api.RegisterAsync();
        var jws = (string)(await _api.SignAsync(owner, new { payload = Document }))["signature"]!;
        var raw = (string)(await _api.SignAsync(owner, new { payload = Document, format = "raw" }))["signature"]!;

        await _api.RotateAsync(owner);
        (await _api.VerifyAsync(owner.Email, new { signature = jws })).Should().Be((true, 1));
        (await _api.VerifyAsync(owner.Email, new { signature = raw, payload = Document })).Should().Be((true, 1), "raw signatures are tried against every version, newest first");
        ((int)(await _api.SignAsync(owner, new { payload = Document }))["keyVersion"]!).Should().Be(2, "signing uses the latest version");

        await _api.SetMinimumAsync(owner, 2);
        (await _api.VerifyAsync(owner.Email, new { signature = jws })).Should().Be((true, 1), "the minimum holds signing, not verifying");
        (await _api.VerifyAsync(owner.Email, new { signature = raw, payload = Document })).Should().Be((true, 1));
        var after = await _api.SignAsync(owner, new { payload = Document });
        ((int)after["keyVersion"]!).Should().Be(2);
        ((string)JWT.Headers((string)after["signature"]!)["kid"]).Should().EndWith("-sig-v2");
    }

    [Fact]
    public async Task The_signing_key_of_a_version_below_the_minimum_is_not_exported()
    {
        var owner = await _api.RegisterAsync(exportable: true);
        await _api.RotateAsync(owner);
        await _api.SetMinimumAsync(owner, 2);

        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/keys/private?version=1&use=sig", owner.ApiKey), HttpStatusCode.Forbidden);
        (await _api.ExportAsync(owner, "sig", 2)).Should().Contain("BEGIN PRIVATE KEY");
    }

    [Fact]
    public async Task A_non_exportable_identitys_signing_key_is_not_exported()
    {
        var owner = await _api.RegisterAsync(exportable: false);

        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/keys/private?use=sig", owner.ApiKey), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Sign_and_verify_are_audited_verify_as_a_public_event()
    {
        var owner = await _api.RegisterAsync();
        var jws = (string)(await _api.SignAsync(owner, new { payload = Document }))["signature"]!;
        await _api.VerifyAsync(owner.Email, new { signature = jws });
        await _api.VerifyAsync(owner.Email, new { signature = jws[..^4] + "AAAA" });

        var trail = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", owner.ApiKey));
        var events = trail["events"]!.AsArray().Select(e => ((string)e!["action"]!, (string)e["outcome"]!, (string)e["kind"]!, (int?)e["keyVersion"])).ToList();

        events.Should().ContainInOrder(
            ("signatureVerified", "failure", "public", null),
            ("signatureVerified", "success", "public", 1),
            ("payloadSigned", "success", "owner", 1));
    }

    [Fact]
    public async Task Signing_never_logs_the_payload()
    {
        var owner = await _api.RegisterAsync();
        var secret = "payload-" + Guid.NewGuid().ToString("N");

        await _api.SignAsync(owner, new { payload = secret, format = "raw" });
        await _api.VerifyAsync(owner.Email, new { signature = Convert.ToBase64String(new byte[256]), payload = secret });

        factory.Logs.Lines.Should().NotContain(l => l.Contains(secret, StringComparison.Ordinal));
    }
}
