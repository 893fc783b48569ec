using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

public sealed class KeysTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task Public_keys_are_readable_by_anyone_as_matching_PEM_and_JWK()
    {
        var registered = await _api.RegisterAsync();

        var response = await _api.GetAsync($"/api/v1/users/{registered.Email.ToUpperInvariant()}/keys");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await ApiClient.JsonAsync(response);
        ((string)body["email"]!).Should().Be(registered.Email);
        ((int)body["latestVersion"]!).Should().Be(1);
        var key = body["keys"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        key.Select(p => p.Key).Should().BeEquivalentTo(
            ["version", "keySize", "publicKeyPem", "publicKeyJwk", "createdAt", "signingPublicKeyPem", "signingKeyJwk"],
            "the first release's fields, and (issue 12) the version's signing key beside them");
        ((string)key["publicKeyPem"]!).Should().Be(registered.PublicKeyPem);
        var jwk = key["publicKeyJwk"]!.AsObject();
        ((string)jwk["kty"]!).Should().Be("RSA");
        ((string)jwk["alg"]!).Should().Be("RSA-OAEP-256");
        ((string)jwk["use"]!).Should().Be("enc");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(registered.PublicKeyPem);
        var parameters = rsa.ExportParameters(false);
        Base64Url.DecodeFromChars((string)jwk["n"]!).Should().Equal(parameters.Modulus);
        Base64Url.DecodeFromChars((string)jwk["e"]!).Should().Equal(parameters.Exponent);
    }

    [Fact]
    public async Task Reading_keys_of_an_unknown_identity_is_404()
    {
        var response = await _api.GetAsync($"/api/v1/users/{ApiClient.NewEmail()}/keys");

        await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Fact]
    public async Task The_owner_exports_the_private_key_as_PKCS8_PEM_matching_the_public_key()
    {
        var registered = await _api.RegisterAsync();

        var response = await _api.GetAsync($"/api/v1/users/{registered.Email}/keys/private", registered.ApiKey);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var body = await ApiClient.JsonAsync(response);
        ((int)body["version"]!).Should().Be(1);
        var pem = (string)body["privateKeyPem"]!;
        pem.Should().StartWith("-----BEGIN PRIVATE KEY-----");
        using var privateKey = RSA.Create();
        privateKey.ImportFromPem(pem);
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(registered.PublicKeyPem);
        privateKey.ExportParameters(false).Modulus.Should().Equal(publicKey.ExportParameters(false).Modulus);
    }

    [Fact]
    public async Task Export_without_a_key_is_401_and_with_another_identitys_key_is_403()
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        var path = $"/api/v1/users/{owner.Email}/keys/private";

        var anonymous = await _api.GetAsync(path);
        var foreign = await _api.GetAsync(path, other.ApiKey);

        await ApiClient.ShouldBeProblemAsync(anonymous, HttpStatusCode.Unauthorized, Problems.Unauthorized);
        anonymous.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
        var body = await ApiClient.ShouldBeProblemAsync(foreign, HttpStatusCode.Forbidden, Problems.Forbidden);
        body.ToJsonString().Should().NotContain("PRIVATE KEY");
    }

    [Fact]
    public async Task A_non_exportable_private_key_is_never_exported_even_to_its_owner()
    {
        var registered = await _api.RegisterAsync(exportable: false);

        var response = await _api.GetAsync($"/api/v1/users/{registered.Email}/keys/private", registered.ApiKey);
        var asAdmin = await _api.GetAsync($"/api/v1/users/{registered.Email}/keys/private", factory.AdminKey);

        (await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, Problems.Forbidden))["detail"]!.ToString().Should().Contain("non-exportable");
        await ApiClient.ShouldBeProblemAsync(asAdmin, HttpStatusCode.Forbidden, Problems.Forbidden);
    }
}
