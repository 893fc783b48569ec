using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

public sealed class AuditTrailTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task Every_operation_is_recorded_newest_first_with_version_outcome_actor_and_request_id_but_no_data()
    {
        var alice = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        var ciphertext = await _api.EncryptAsync(alice.Email, "audited secret");
        var decrypt = await _api.DecryptAsync(alice.Email, ciphertext, alice.ApiKey);
        await _api.DecryptAsync(alice.Email, "garbage", alice.ApiKey);
        await _api.GetAsync($"/api/v1/users/{alice.Email}/keys/private", factory.AdminKey);
        await _api.GetAsync($"/api/v1/users/{alice.Email}/keys/private", other.ApiKey);

        var response = await _api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        text.Should().NotContain("audited secret").And.NotContain(ciphertext[..40]).And.NotContain(alice.ApiKey);
        var events = JsonNode.Parse(text)!["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        events.Select(e => ((string)e["action"]!, (string)e["outcome"]!, (string)e["actor"]!)).Should().Equal(
            ("denied", "denied", "other"),
            ("exported", "success", "admin"),
            ("decrypted", "failure", "owner"),
            ("decrypted", "success", "owner"),
            ("encrypted", "success", "anonymous"),
            ("registered", "success", "anonymous"));
        ((int)events[3]["keyVersion"]!).Should().Be(1);
        ((string)events[3]["requestId"]!).Should().Be(decrypt.Headers.GetValues("X-Request-Id").Single());
        events.Select(e => (DateTimeOffset)e["occurredAt"]!).Should().BeInDescendingOrder();
        events[0].Select(p => p.Key).Should().BeEquivalentTo("occurredAt", "action", "outcome", "actor", "keyVersion", "clientAddress", "requestId", "kind", "count", "lastOccurredAt");
        events.Select(e => (string)e["kind"]!).Should().Equal("denied", "owner", "owner", "owner", "public", "owner");
        events.Should().OnlyContain(e => (int)e["count"]! == 1 && (DateTimeOffset)e["lastOccurredAt"]! == (DateTimeOffset)e["occurredAt"]!);
    }

    [Fact]
    public async Task The_trail_pages_with_a_cursor_and_refuses_bad_paging_input()
    {
        var alice = await _api.RegisterAsync();
        for (var i = 0; i < 4; i++)
        {
            await _api.EncryptAsync(alice.Email, "x");
        }

        var first = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?limit=3", alice.ApiKey));
        var second = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?limit=3&cursor={(string)first["nextCursor"]!}", alice.ApiKey));

        first["events"]!.AsArray().Should().HaveCount(3);
        second["events"]!.AsArray().Select(e => (string)e!["action"]!).Should().Equal("encrypted", "registered");
        second["nextCursor"].Should().BeNull();
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?limit=0", alice.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?limit=201", alice.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?cursor=abc", alice.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?limit=abc", alice.ApiKey), HttpStatusCode.BadRequest);
    }
}
