using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

public sealed class ConcurrencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Concurrent_registrations_of_one_address_give_exactly_one_201_and_409s()
    {
        var email = ApiClient.NewEmail("race");
        using var api = factory.NewClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            api.PostAsync("/api/v1/users", new { email = i % 2 == 0 ? email : email.ToUpperInvariant() })));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(11);
        var winner = await ApiClient.JsonAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Created));
        var exported = await api.GetAsync($"/api/v1/users/{email}/keys/private", (string)winner["apiKey"]!);
        exported.StatusCode.Should().Be(HttpStatusCode.OK, "the winner's API key owns the one stored identity");
    }
}
