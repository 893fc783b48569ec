using System.Net;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Jose;

namespace CryptoSecure.Api.IntegrationTests.Signatures;

/// <summary>GET /api/v1/users/{email}/jwks, as ARCHITECTURE.md "JWK Set" specifies it, read by jose-jwt's JWK Set loader.</summary>
public sealed class JsonWebKeySetTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task The_set_holds_each_usable_versions_encryption_key_and_every_versions_signing_key_with_distinct_kids()
    {
        var owner = await _api.RegisterAsync();
        await _api.RotateAsync(owner);
        await _api.RotateAsync(owner);
        await _api.SetMinimumAsync(owner, 2);

        var keys = await LoadAsync(owner.Email);

        keys.Where(k => k.Use == "enc").Select(k => (k.Alg, Version(k.KeyId))).Should().Equal(("RSA-OAEP-256", "v3"), ("RSA-OAEP-256", "v2"));
        keys.Where(k => k.Use == "sig").Select(k => (k.Alg, Version(k.KeyId))).Should().Equal(("PS256", "sig-v3"), ("PS256", "sig-v2"), ("PS256", "sig-v1"));
        keys.Select(k => k.KeyId).Should().OnlyHaveUniqueItems();
        keys.Should().OnlyContain(k => k.Kty == "RSA" && k.E == "AQAB" && k.N.Length > 300);
        keys.Select(k => k.N).Should().OnlyHaveUniqueItems("every key is a key pair of its own");
    }

    [Fact]
    public async Task A_JWS_from_sign_verifies_with_the_key_jose_jwt_picks_from_the_set_by_kid()
    {
        var owner = await _api.RegisterAsync();
        var jws = (string)(await _api.SignAsync(owner, new { payload = "checked offline" }))["signature"]!;
        var kid = (string)JWT.Headers(jws)["kid"];

        var key = (await LoadAsync(owner.Email)).Single(k => k.KeyId == kid);

        key.Use.Should().Be("sig");
        using var rsa = key.RsaKey();
        JWT.Decode(jws, rsa, JwsAlgorithm.PS256).Should().Be("checked offline");
        var tampered = jws[..^6] + (jws[^6] == 'A' ? "B" : "A") + jws[^5..];
        var check = () => JWT.Decode(tampered, rsa, JwsAlgorithm.PS256);
        check.Should().Throw<IntegrityException>();
    }

    [Fact]
    public async Task A_JWE_made_by_jose_jwt_with_the_sets_encryption_key_decrypts_for_the_owner()
    {
        var owner = await _api.RegisterAsync();
        var key = (await LoadAsync(owner.Email)).First(k => k.Use == "enc");
        using var rsa = key.RsaKey();

        var jwe = JWT.Encode("sealed with the JWK Set", rsa, JweAlgorithm.RSA_OAEP_256, JweEncryption.A256GCM, extraHeaders: new Dictionary<string, object> { ["kid"] = key.KeyId });

        var decrypted = await _api.DecryptAsync(owner.Email, jwe, owner.ApiKey);
        decrypted.StatusCode.Should().Be(HttpStatusCode.OK);
        ((string)(await ApiClient.JsonAsync(decrypted))["plaintext"]!).Should().Be("sealed with the JWK Set");
    }

    [Fact]
    public async Task The_set_is_public_cacheable_for_a_minute_and_carries_a_strong_ETag_over_its_bytes()
    {
        var owner = await _api.RegisterAsync();

        var response = await _api.GetAsync($"/api/v1/users/{owner.Email}/jwks");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        response.Headers.CacheControl!.Public.Should().BeTrue();
        response.Headers.CacheControl.MaxAge.Should().Be(TimeSpan.FromSeconds(60));
        response.Headers.CacheControl.NoStore.Should().BeFalse();
        var etag = response.Headers.ETag!;
        etag.IsWeak.Should().BeFalse();
        var body = await response.Content.ReadAsByteArrayAsync();
        etag.Tag.Should().Be("\"" + Base64Url.Encode(SHA256.HashData(body)) + "\"");
        (await _api.GetAsync($"/api/v1/users/{owner.Email}/keys")).Headers.CacheControl!.NoStore.Should().BeTrue("other answers stay uncached");
    }

    [Fact]
    public async Task If_None_Match_with_the_current_ETag_is_a_304_and_a_rotation_changes_the_ETag()
    {
        var owner = await _api.RegisterAsync();
        var first = (await _api.GetAsync($"/api/v1/users/{owner.Email}/jwks")).Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{owner.Email}/jwks");
        conditional.Headers.IfNoneMatch.Add(first);
        var notModified = await _api.Http.SendAsync(conditional);

        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        notModified.Headers.ETag.Should().Be(first);
        (await notModified.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await _api.GetAsync($"/api/v1/users/{owner.Email}/jwks")).Headers.ETag.Should().Be(first, "the same keys give the same tag");

        await _api.RotateAsync(owner);
        using var afterRotation = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{owner.Email}/jwks");
        afterRotation.Headers.IfNoneMatch.Add(first);
        var changed = await _api.Http.SendAsync(afterRotation);
        changed.StatusCode.Should().Be(HttpStatusCode.OK);
        changed.Headers.ETag.Should().NotBe(first);
    }

    [Fact]
    public async Task An_unknown_identity_is_a_404_and_a_bad_address_a_400()
    {
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{ApiClient.NewEmail("nobody")}/jwks"), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync("/api/v1/users/not-an-address/jwks"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_key_ring_shows_each_versions_signing_key_beside_its_encryption_key()
    {
        var owner = await _api.RegisterAsync();

        var ring = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/keys"));

        var version = ring["keys"]!.AsArray().Single()!;
        ((string)version["publicKeyJwk"]!["use"]!).Should().Be("enc");
        ((string)version["signingKeyJwk"]!["use"]!).Should().Be("sig");
        ((string)version["signingKeyJwk"]!["kid"]!).Should().EndWith("-sig-v1");
        ((string)version["signingPublicKeyPem"]!).Should().Contain("BEGIN PUBLIC KEY").And.NotBe((string)version["publicKeyPem"]!);
    }

    private async Task<IReadOnlyList<Jwk>> LoadAsync(string email)
    {
        var response = await _api.GetAsync($"/api/v1/users/{email}/jwks");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        // jose-jwt's own JWK Set reader: the set must be a standard RFC 7517 document.
        return JwkSet.FromJson(Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()), JWT.DefaultSettings.JsonMapper).Keys;
    }

    private static string Version(string kid) => kid[33..];
}
