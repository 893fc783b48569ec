using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>POST /api/v1/users/{email}/datakey, as ARCHITECTURE.md "Data keys (envelope encryption)" specifies it.</summary>
public sealed class DataKeyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task The_owner_decrypts_the_wrapped_key_to_the_same_bytes_the_caller_was_given()
    {
        var owner = await _api.RegisterAsync();

        var response = await _api.PostAsync($"/api/v1/users/{owner.Email}/datakey", new { });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await ApiClient.JsonAsync(response);
        var key = Convert.FromBase64String((string)body["plaintextKeyBase64"]!);
        key.Should().HaveCount(32, "the default is an AES-256 key");
        ((int)body["keyVersion"]!).Should().Be(1);
        var opened = await ApiClient.JsonAsync(await _api.DecryptAsync(owner.Email, (string)body["ciphertext"]!, owner.ApiKey));
        Convert.FromBase64String((string)opened["plaintextBase64"]!).Should().Equal(key);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    public async Task Each_AES_length_is_honoured_and_every_key_is_fresh(int bytes)
    {
        var owner = await _api.RegisterAsync();

        var first = await ApiClient.JsonAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/datakey", new { bytes }));
        var second = await ApiClient.JsonAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/datakey", new { bytes }));

        Convert.FromBase64String((string)first["plaintextKeyBase64"]!).Should().HaveCount(bytes);
        ((string)first["plaintextKeyBase64"]!).Should().NotBe((string)second["plaintextKeyBase64"]!);
    }

    [Fact]
    public async Task Without_includePlaintext_the_answer_has_no_key_field_and_only_the_owner_can_open_it()
    {
        var owner = await _api.RegisterAsync();

        var response = await _api.PostAsync($"/api/v1/users/{owner.Email}/datakey", new { bytes = 16, includePlaintext = false });

        var body = await ApiClient.JsonAsync(response);
        body.ContainsKey("plaintextKeyBase64").Should().BeFalse();
        var opened = await ApiClient.JsonAsync(await _api.DecryptAsync(owner.Email, (string)body["ciphertext"]!, owner.ApiKey));
        Convert.FromBase64String((string)opened["plaintextBase64"]!).Should().HaveCount(16);
    }

    [Theory]
    [InlineData("{\"bytes\":0}")]
    [InlineData("{\"bytes\":33}")]
    [InlineData("{\"bytes\":-16}")]
    [InlineData("{\"includePlaintext\":\"yes\"}")]
    [InlineData("[]")]
    public async Task Bad_input_is_a_400_problem(string body)
    {
        var owner = await _api.RegisterAsync();

        var response = await _api.PostRawAsync($"/api/v1/users/{owner.Email}/datakey", body);

        await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
    }

    [Fact]
    public async Task An_unknown_identity_is_404_and_each_key_is_a_public_audit_event()
    {
        var owner = await _api.RegisterAsync();
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{ApiClient.NewEmail()}/datakey", new { }), HttpStatusCode.NotFound, Problems.NotFound);

        await _api.PostAsync($"/api/v1/users/{owner.Email}/datakey", new { });

        var trail = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", owner.ApiKey));
        var latest = trail["events"]!.AsArray()[0]!.AsObject();
        ((string)latest["action"]!, (string)latest["kind"]!, (int)latest["keyVersion"]!).Should().Be(("dataKeyGenerated", "public", 1));
    }
}
