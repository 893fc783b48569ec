using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests.Lifecycle;

/// <summary>
/// Automatic rotation over HTTP (issue 14, point 2): the period set with PUT .../keys/config, the
/// server's minimum, the summary's nextRotationAt, and a rotation by the service once per period
/// when the (fake) clock gets there.
/// </summary>
public sealed class AutoRotationTests
{
    private const int Hour = 3600;

    [Theory]
    [InlineData(1)]
    [InlineData(3599)]
    [InlineData(-1)]
    [InlineData(315_360_001L)]
    public async Task A_period_below_the_servers_minimum_or_out_of_range_is_a_400_naming_the_minimum(long seconds)
    {
        using var server = new LifecycleServer();
        var alice = await server.Api.RegisterAsync();

        var response = await server.Api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { autoRotatePeriodSeconds = seconds }, alice.ApiKey);

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        problem.ToJsonString().Should().Contain("3600").And.Contain("Keys:AutoRotation:MinimumPeriodSeconds");
        var ring = await ApiClient.JsonAsync(await server.Api.GetAsync($"/api/v1/users/{alice.Email}/keys"));
        ((long)ring["autoRotatePeriodSeconds"]!).Should().Be(0, "a refused setting changes nothing");
    }

    [Fact]
    public async Task A_config_with_neither_setting_is_a_400()
    {
        using var server = new LifecycleServer();
        var alice = await server.Api.RegisterAsync();

        await ApiClient.ShouldBeProblemAsync(await server.Api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { }, alice.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);
    }

    [Fact]
    public async Task The_summary_shows_the_period_and_the_next_rotation_and_0_turns_it_off_keeping_the_minimum()
    {
        using var server = new LifecycleServer();
        var alice = await server.Api.RegisterAsync();
        await server.Api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", new { }, alice.ApiKey);
        await server.Api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { minDecryptionVersion = 2 }, alice.ApiKey);

        var configured = await ApiClient.JsonAsync(await server.Api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { autoRotatePeriodSeconds = 2 * Hour }, alice.ApiKey));

        ((long)configured["autoRotatePeriodSeconds"]!).Should().Be(2 * Hour);
        ((int)configured["minDecryptionVersion"]!).Should().Be(2, "a config without the minimum keeps it");
        var latestCreated = (DateTimeOffset)configured["keys"]!.AsArray()[^1]!["createdAt"]!;
        ((DateTimeOffset)configured["nextRotationAt"]!).Should().Be(latestCreated.AddHours(2));
        var publicView = await ApiClient.JsonAsync(await server.Api.GetAsync($"/api/v1/users/{alice.Email}/keys"));
        ((DateTimeOffset)publicView["nextRotationAt"]!).Should().Be(latestCreated.AddHours(2));

        var off = await ApiClient.JsonAsync(await server.Api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { autoRotatePeriodSeconds = 0 }, alice.ApiKey));
        ((long)off["autoRotatePeriodSeconds"]!).Should().Be(0);
        off["nextRotationAt"].Should().BeNull();
        ((int)off["minDecryptionVersion"]!).Should().Be(2);
    }

    [Fact]
    public async Task The_service_rotates_once_per_period_from_the_pool_and_audits_it_as_its_own_rotation()
    {
        // Pairs enough in the pool for two registrations and two rotations, so the service's
        // rotations are taken from the pool as an owner's would be.
        using var server = new LifecycleServer(new Dictionary<string, string?> { ["Keys:Pool:2048"] = "8" });
        var alice = await server.Api.RegisterAsync();
        var other = await server.Api.RegisterAsync();
        (await server.Api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { autoRotatePeriodSeconds = Hour }, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        server.Clock.Advance(TimeSpan.FromMinutes(58));
        await Task.Delay(500);
        (await LatestVersionAsync(server, alice.Email)).Should().Be(1, "not an hour old yet");

        server.Clock.Advance(TimeSpan.FromMinutes(2));
        await server.EventuallyAsync(async () => await LatestVersionAsync(server, alice.Email) == 2, "the service rotates once the latest version is an hour old");

        // Several more checks within the hour: no second rotation.
        for (var i = 0; i < 5; i++)
        {
            server.Clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(100);
        }

        (await LatestVersionAsync(server, alice.Email)).Should().Be(2, "once per period");
        (await LatestVersionAsync(server, other.Email)).Should().Be(1, "an identity without a period is never rotated");
        var ring = await ApiClient.JsonAsync(await server.Api.GetAsync($"/api/v1/users/{alice.Email}/keys"));
        var v2Created = (DateTimeOffset)ring["keys"]!.AsArray()[1]!["createdAt"]!;
        ((DateTimeOffset)ring["nextRotationAt"]!).Should().Be(v2Created.AddHours(1), "the period restarts from the new version");
        ring["keys"]!.AsArray()[1]!["signingKeyJwk"].Should().NotBeNull("a rotation by the service makes a whole version, signing key included");

        var audit = await ApiClient.JsonAsync(await server.Api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey));
        var rotated = audit["events"]!.AsArray().Single(e => (string)e!["action"]! == "rotated")!;
        ((string)rotated["actor"]!).Should().Be("service");
        ((string)rotated["kind"]!).Should().Be("owner", "the service acts on the owner's standing instruction");
        ((int)rotated["keyVersion"]!).Should().Be(2);
        rotated["clientAddress"].Should().BeNull();

        // The old version still decrypts; new encryptions use the new one.
        var encrypted = await ApiClient.JsonAsync(await server.Api.PostAsync($"/api/v1/users/{alice.Email}/encrypt", new { plaintext = "x" }));
        ((int)encrypted["keyVersion"]!).Should().Be(2);

        server.Clock.Advance(TimeSpan.FromMinutes(59));
        await server.EventuallyAsync(async () => await LatestVersionAsync(server, alice.Email) == 3, "and again after the next hour");
    }

    [Fact]
    public async Task A_pending_deletion_stops_automatic_rotation()
    {
        using var server = new LifecycleServer();
        var alice = await server.Api.RegisterAsync();
        await server.Api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { autoRotatePeriodSeconds = Hour }, alice.ApiKey);
        (await server.Api.DeleteAsync($"/api/v1/users/{alice.Email}", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        server.Clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(1000);

        var ring = await ApiClient.JsonAsync(await server.Api.GetAsync($"/api/v1/users/{alice.Email}/keys", alice.ApiKey));
        ((int)ring["latestVersion"]!).Should().Be(1, "a disabled identity is not rotated");
    }

    private static async Task<int> LatestVersionAsync(LifecycleServer server, string email) =>
        (int)(await ApiClient.JsonAsync(await server.Api.GetAsync($"/api/v1/users/{email}/keys", server.Factory.AdminKey)))["latestVersion"]!;
}
