using CryptoSecure.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Client.Tests;

/// <summary><c>services.AddCryptoSecureClient(baseUrl, apiKey)</c>: a typed client from IHttpClientFactory that sends the API key.</summary>
public sealed class ClientRegistrationTests(CryptoSecureServer server) : IClassFixture<CryptoSecureServer>
{
    [Fact]
    public async Task The_registered_client_sends_the_api_key_as_a_bearer_token()
    {
        var registered = await new CryptoSecureClient(server.CreateClient())
            .RegisterUserAsync(new RegisterUserRequest { Email = $"di-{Guid.NewGuid():N}@example.com" });
        var seen = new RequestRecorder();
        var services = new ServiceCollection();
        services.AddCryptoSecureClient(new Uri("http://localhost"), registered.ApiKey)
            .ConfigurePrimaryHttpMessageHandler(() => server.Server.CreateHandler())
            .AddHttpMessageHandler(() => seen);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<ICryptoSecureClient>();
        var trail = await client.GetAuditTrailAsync(registered.Email);

        trail.Email.Should().Be(registered.Email);
        var request = seen.Requests.Should().ContainSingle().Subject;
        request.Authorization.Should().Be($"Bearer {registered.ApiKey}");
        request.Uri.Should().Be(new Uri($"http://localhost/api/v1/users/{Uri.EscapeDataString(registered.Email)}/audit"));
    }

    [Fact]
    public async Task Without_an_api_key_no_authorization_header_is_sent()
    {
        var seen = new RequestRecorder();
        var services = new ServiceCollection();
        services.AddCryptoSecureClient(new Uri("http://localhost/"))
            .ConfigurePrimaryHttpMessageHandler(() => server.Server.CreateHandler())
            .AddHttpMessageHandler(() => seen);
        await using var provider = services.BuildServiceProvider();

        var failure = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(
            () => provider.GetRequiredService<ICryptoSecureClient>().GetAuditTrailAsync("someone@example.com"));

        failure.StatusCode.Should().Be(401);
        seen.Requests.Should().ContainSingle().Which.Authorization.Should().BeNull();
    }

    [Fact]
    public async Task A_base_url_with_a_path_keeps_its_path()
    {
        var seen = new RequestRecorder();
        var services = new ServiceCollection();
        services.AddCryptoSecureClient(new Uri("http://localhost/cryptosecure"))
            .ConfigurePrimaryHttpMessageHandler(() => server.Server.CreateHandler())
            .AddHttpMessageHandler(() => seen);
        await using var provider = services.BuildServiceProvider();

        await Assert.ThrowsAnyAsync<CryptoSecureApiException>(
            () => provider.GetRequiredService<ICryptoSecureClient>().GetPublicKeysAsync("someone@example.com"));

        seen.Requests.Should().ContainSingle().Which.Uri.AbsolutePath.Should().Be("/cryptosecure/api/v1/users/someone%40example.com/keys");
    }

    [Fact]
    public void A_relative_base_url_is_refused()
    {
        var services = new ServiceCollection();

        var act = () => services.AddCryptoSecureClient(new Uri("/relative", UriKind.Relative));

        act.Should().Throw<ArgumentException>().WithParameterName("baseUrl");
    }

    private sealed record SeenRequest(Uri Uri, string? Authorization);

    private sealed class RequestRecorder : DelegatingHandler
    {
        public List<SeenRequest> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new SeenRequest(request.RequestUri!, request.Headers.Authorization?.ToString()));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
