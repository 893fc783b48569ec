using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>The admin routes answer admins only: 401 without a key, 403 with an identity's own key.</summary>
public sealed class AdminRouteTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _factory;

    public AdminRouteTests(ApiFactory factory) => _factory = factory;

    [Fact]
    public async Task The_master_key_status_answers_an_admin_and_refuses_anyone_else()
    {
        using var api = _factory.NewClient();
        var owner = await api.RegisterAsync();

        await ApiClient.ShouldBeProblemAsync(await api.GetAsync("/api/v1/admin/master-key"), HttpStatusCode.Unauthorized, Problems.Unauthorized);
        var forbidden = await ApiClient.ShouldBeProblemAsync(await api.GetAsync("/api/v1/admin/master-key", owner.ApiKey), HttpStatusCode.Forbidden, Problems.Forbidden);
        ((string)forbidden["detail"]!).Should().Contain("admin");

        var status = await ApiClient.JsonAsync(await api.GetAsync("/api/v1/admin/master-key", _factory.AdminKey));
        ((string)status["currentKeyId"]!).Should().Be(MasterKeyIds.Of(_factory.Setting("Security:MasterKey")!));
        ((bool)status["complete"]!).Should().BeTrue("one master key, nothing to move");
        ((long)status["recordsByKeyId"]![(string)status["currentKeyId"]!]!).Should().BeGreaterThanOrEqualTo(2, "the registration's encryption and signing keys");
    }
}
