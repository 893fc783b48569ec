using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.IntegrationTests.Signatures;

/// <summary>Every kind of bad sign or verify request gets a clear 400 problem, never a 500, and never echoes the input.</summary>
public sealed class SignatureBadInputTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string Digest32 = Convert.ToBase64String(SHA256.HashData("x"u8));

    private readonly ApiClient _api = factory.NewClient();

    public static TheoryData<string, string, string> BadSignRequests() => new()
    {
        { "no payload field", """{}""", "payload" },
        { "two payload fields", """{"payload":"a","payloadBase64":"YQ=="}""", "payload" },
        { "all three payload fields", $$"""{"payload":"a","payloadBase64":"YQ==","digestBase64":"{{Digest32}}","format":"raw"}""", "payload" },
        { "a digest with jws", $$"""{"digestBase64":"{{Digest32}}"}""", "digestBase64" },
        { "a digest with jws named", $$"""{"digestBase64":"{{Digest32}}","format":"jws"}""", "digestBase64" },
        { "a 31-byte digest", $$"""{"digestBase64":"{{Convert.ToBase64String(new byte[31])}}","format":"raw"}""", "digestBase64" },
        { "a 33-byte digest", $$"""{"digestBase64":"{{Convert.ToBase64String(new byte[33])}}","format":"raw"}""", "digestBase64" },
        { "a 64-byte (SHA-512) digest", $$"""{"digestBase64":"{{Convert.ToBase64String(new byte[64])}}","format":"raw"}""", "digestBase64" },
        { "a digest that is not base64", """{"digestBase64":"not base64!","format":"raw"}""", "digestBase64" },
        { "payloadBase64 that is not base64", """{"payloadBase64":"%%%"}""", "payloadBase64" },
        { "an unknown format", """{"payload":"a","format":"pgp"}""", "format" },
        { "an unknown algorithm", """{"payload":"a","algorithm":"HS256"}""", "algorithm" },
        { "alg none", """{"payload":"a","algorithm":"none"}""", "algorithm" },
        { "an algorithm in the wrong case", """{"payload":"a","algorithm":"ps256"}""", "algorithm" },
        { "an encryption algorithm", """{"payload":"a","algorithm":"RSA-OAEP-256"}""", "algorithm" },
    };

    [Theory]
    [MemberData(nameof(BadSignRequests))]
    public async Task A_bad_sign_request_is_a_400_validation_problem_naming_the_field(string why, string body, string field)
    {
        var owner = await _api.RegisterAsync();

        var response = await _api.PostRawAsync($"/api/v1/users/{owner.Email}/sign", body, apiKey: owner.ApiKey);

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(field, why);
    }

    public static TheoryData<string, string> BadVerifyRequests() => new()
    {
        { "no signature", """{}""" },
        { "an empty signature", """{"signature":""}""" },
        { "not a JWS (two parts)", """{"signature":"eyJhbGciOiJQUzI1NiJ9.e30"}""" },
        { "a JWE (five parts)", """{"signature":"a.b.c.d.e"}""" },
        { "a JWS header that is not JSON", """{"signature":"bm90IGpzb24.e30.AAAA"}""" },
        { "a JWS with alg none", """{"signature":"eyJhbGciOiJub25lIiwia2lkIjoiayJ9.e30."}""" },
        { "a JWS with alg HS256", """{"signature":"eyJhbGciOiJIUzI1NiIsImtpZCI6ImsifQ.e30.AAAA"}""" },
        { "a JWS without kid", """{"signature":"eyJhbGciOiJQUzI1NiJ9.e30.AAAA"}""" },
        { "a raw signature that is not base64", """{"signature":"not base64!","payload":"a"}""" },
        { "a raw signature with two payload fields", """{"signature":"AAAA","payload":"a","payloadBase64":"YQ=="}""" },
        { "a raw signature over a 31-byte digest", $$"""{"signature":"AAAA","digestBase64":"{{Convert.ToBase64String(new byte[31])}}"}""" },
        { "a raw signature with an unknown algorithm", """{"signature":"AAAA","payload":"a","algorithm":"ES256"}""" },
        { "an algorithm given with a JWS", """{"signature":"a.b.c","algorithm":"PS256"}""" },
    };

    [Theory]
    [MemberData(nameof(BadVerifyRequests))]
    public async Task A_bad_verify_request_is_a_400_validation_problem(string why, string body)
    {
        var owner = await _api.RegisterAsync();
        await _api.SignAsync(owner, new { payload = "so that there is a signing key to check against" });

        var response = await _api.PostRawAsync($"/api/v1/users/{owner.Email}/verify", body);

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        problem["errors"].Should().NotBeNull(why);
    }

    [Theory]
    [InlineData("sign")]
    [InlineData("verify")]
    public async Task A_body_that_is_not_JSON_is_a_400_and_another_media_type_a_415(string route)
    {
        var owner = await _api.RegisterAsync();

        await ApiClient.ShouldBeProblemAsync(await _api.PostRawAsync($"/api/v1/users/{owner.Email}/{route}", "{not json", apiKey: owner.ApiKey), HttpStatusCode.BadRequest);
        await ApiClient.ShouldBeProblemAsync(await _api.PostRawAsync($"/api/v1/users/{owner.Email}/{route}", "payload=a", "text/plain", owner.ApiKey), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_payload_over_the_plaintext_limit_is_refused_with_the_limit_in_the_message()
    {
        var owner = await _api.RegisterAsync();
        var limit = factory.Services.GetRequiredService<IOptions<EncryptionOptions>>().Value.MaxPlaintextBytes;

        var response = await _api.PostAsync($"/api/v1/users/{owner.Email}/sign", new { payloadBase64 = Convert.ToBase64String(new byte[limit + 1]) }, owner.ApiKey);

        var status = response.StatusCode;
        status.Should().BeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge);
        var text = await response.Content.ReadAsStringAsync();
        if (status == HttpStatusCode.BadRequest)
        {
            text.Should().Contain(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task A_malformed_signature_problem_does_not_echo_the_signature()
    {
        var owner = await _api.RegisterAsync();
        var marker = "eyJhbGciOiJub25lIiwia2lkIjoibWFya2VyLTEyMzQ1Njc4OSJ9";

        var response = await _api.PostAsync($"/api/v1/users/{owner.Email}/verify", new { signature = marker + ".e30." });

        var text = (await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest)).ToJsonString();
        text.Should().NotContain(marker).And.NotContain("marker-123456789");
    }

    [Fact]
    public async Task Signing_or_verifying_for_an_unknown_identity_is_a_404()
    {
        var nobody = ApiClient.NewEmail("nobody");

        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{nobody}/verify", new { signature = "a.b.c" }), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{nobody}/sign", new { payload = "a" }, factory.AdminKey), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Export_with_an_unknown_use_is_a_400()
    {
        var owner = await _api.RegisterAsync();

        var response = await _api.GetAsync($"/api/v1/users/{owner.Email}/keys/private?use=both", owner.ApiKey);

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(k => k.Equals("use", StringComparison.OrdinalIgnoreCase));
    }
}
