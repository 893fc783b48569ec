using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CryptoSecure.Api.IntegrationTests.Signatures;

/// <summary>
/// Signing is a private-key operation like decryption: it waits for a slot of the private-key
/// gate, and a gate at capacity answers 503 with Retry-After instead of letting it run.
/// </summary>
public sealed class SignUnderLoadTests : IDisposable
{
    private readonly SwitchableGate _gate = new();
    private readonly ApiFactory _factory;
    private readonly ApiClient _api;

    public SignUnderLoadTests()
    {
        _factory = new ApiFactory { TestServices = services => services.Replace(ServiceDescriptor.Singleton<IPrivateKeyGate>(_gate)) };
        _api = _factory.NewClient();
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task A_sign_at_capacity_is_a_503_with_Retry_After_and_signs_once_there_is_room()
    {
        var owner = await _api.RegisterAsync();
        _gate.Busy = true;

        var refused = await _api.PostAsync($"/api/v1/users/{owner.Email}/sign", new { payload = "at capacity" }, owner.ApiKey);

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
        refused.Headers.RetryAfter.Should().NotBeNull();
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        _gate.Asked.Should().BePositive("sign must ask the gate before using the private key");

        _gate.Busy = false;
        var signed = await _api.SignAsync(owner, new { payload = "room again" });
        signed["signature"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }
}
