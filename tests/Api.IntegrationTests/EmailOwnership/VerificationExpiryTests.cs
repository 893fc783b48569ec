using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Identities.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Api.IntegrationTests.EmailOwnership;

/// <summary>
/// Unverified registrations live <c>Registration:VerificationHours</c> (24): on a fake clock, the code
/// works until then; after, the registration is gone even for its owner, and the sweep destroys it.
/// </summary>
public sealed class VerificationExpiryTests(FakeClockVerificationFactory factory) : IClassFixture<FakeClockVerificationFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task A_registration_verifies_until_its_hours_run_out_then_is_gone_for_its_owner_and_swept_from_the_store()
    {
        var late = await _api.RegisterAsync(ApiClient.NewEmail("expires"));
        var inTime = await _api.RegisterAsync(ApiClient.NewEmail("intime"));

        factory.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        (await _api.PostAsync($"/api/v1/users/{inTime.Email}/email-verification", new { code = factory.Mailer.LatestCode(inTime.Email) }, inTime.ApiKey))
            .StatusCode.Should().Be(HttpStatusCode.OK, "a second before the end it still works");

        factory.Clock.Advance(TimeSpan.FromSeconds(2));
        (await _api.GetAsync($"/api/v1/users/{late.Email}/keys", late.ApiKey)).StatusCode.Should().Be(HttpStatusCode.NotFound, "expired: gone even for its owner");
        (await _api.PostAsync($"/api/v1/users/{late.Email}/email-verification", new { code = factory.Mailer.LatestCode(late.Email) }, late.ApiKey))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await RowsOfAsync(late.Email)).Should().Be(1, "not swept yet");

        var swept = await factory.Services.GetRequiredService<PendingRegistrationSweep>().SweepOnceAsync(CancellationToken.None);

        swept.Should().BeGreaterThanOrEqualTo(1);
        (await RowsOfAsync(late.Email)).Should().Be(0, "the sweep destroyed it with its keys");
        (await RowsOfAsync(inTime.Email)).Should().Be(1, "a verified identity is never swept");
        (await _api.PostAsync("/api/v1/users", new { email = late.Email })).StatusCode.Should().Be(HttpStatusCode.Created, "the address is free for a new registration");
    }

    private async Task<long> RowsOfAsync(string email)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM identities WHERE email_normalized = $email;";
        command.Parameters.AddWithValue("$email", email.ToLowerInvariant());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>With <c>Registration:EmailVerification=Off</c> identities are usable at once and may still be verified through the same routes.</summary>
public sealed class VerificationOffTests
{
    [Fact]
    public async Task Off_identities_are_usable_at_once_unverified_and_the_same_routes_verify_them()
    {
        var mailer = new RecordingMailer();
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Registration:EmailVerification"] = "Off" }, services => services.AddSingleton<CryptoSecure.Application.Common.Mail.IVerificationMailer>(mailer));
        using var api = factory.NewClient();

        var registered = await api.RegisterAsync(ApiClient.NewEmail("off"));

        ((bool)registered.Body["emailVerified"]!).Should().BeFalse();
        registered.Body["verificationExpiresAt"].Should().BeNull();
        mailer.Sent.Should().BeEmpty("nothing is mailed with verification off");
        var ring = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{registered.Email}/keys"));
        ((bool)ring["emailVerified"]!).Should().BeFalse("usable at once, not proven");
        (await api.PostAsync($"/api/v1/users/{registered.Email}/sign", new { payload = "usable" }, registered.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await api.PostAsync($"/api/v1/users/{registered.Email}/email-verification/resend", null, registered.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.PostAsync($"/api/v1/users/{registered.Email}/email-verification", new { code = mailer.LatestCode(registered.Email) }, registered.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        ((bool)(await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{registered.Email}/keys")))["emailVerified"]!).Should().BeTrue();
    }
}
