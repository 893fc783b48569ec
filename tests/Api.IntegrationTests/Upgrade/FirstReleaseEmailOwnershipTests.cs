using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Api.IntegrationTests.Upgrade;

/// <summary>
/// Schema 5 (email ownership) on the first release's store: an upgrade takes no one's keys away.
/// With verification Required, every identity from before stays usable (emailVerified false) and
/// every ciphertext still decrypts with its owner's API key; with
/// <c>Registration:ExistingIdentities=RequireVerification</c> they are hidden until their owners verify.
/// </summary>
public sealed class FirstReleaseEmailOwnershipTests
{
    private static FixtureManifest Manifest => FirstReleaseStore.Manifest;

    [Fact]
    public async Task Schema_5_with_verification_required_every_old_identity_stays_usable_unverified_and_decrypts_with_its_api_key()
    {
        using var factory = FirstReleaseStore.OpenCopy(settings: new Dictionary<string, string?> { ["Registration:EmailVerification"] = "Required" }, mailer: new RecordingMailer());
        using var api = factory.NewClient();

        foreach (var identity in Manifest.Live)
        {
            var ring = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{identity.Email}/keys"));
            ((bool)ring["emailVerified"]!).Should().BeFalse($"{identity.Email} was registered before verification existed");
            foreach (var ciphertext in identity.Ciphertexts.Where(c => c.Decrypts && c.Format != "prototype-hex"))
            {
                var decrypted = await api.DecryptAsync(identity.Email, ciphertext.Ciphertext, identity.ApiKey);
                decrypted.StatusCode.Should().Be(HttpStatusCode.OK, $"{identity.Email}'s {ciphertext.Format} ciphertext under version {ciphertext.KeyVersion}");
                ((string)(await ApiClient.JsonAsync(decrypted))["plaintextBase64"]!).Should().Be(ciphertext.PlaintextBase64);
            }
        }

        (await UserVersionAsync(factory.DatabasePath)).Should().BeGreaterThanOrEqualTo(5);
        var alice = Manifest.Live.First();
        (await api.PostAsync("/api/v1/users", new { email = alice.Email })).StatusCode.Should().Be(HttpStatusCode.Conflict, "an old identity still holds its address");
    }

    [Fact]
    public async Task Schema_5_RequireVerification_hides_old_identities_until_their_owners_verify_through_the_same_routes()
    {
        var mailer = new RecordingMailer();
        using var factory = FirstReleaseStore.OpenCopy(
            settings: new Dictionary<string, string?> { ["Registration:EmailVerification"] = "Required", ["Registration:ExistingIdentities"] = "RequireVerification" },
            mailer: mailer);
        using var api = factory.NewClient();

        foreach (var identity in Manifest.Live)
        {
            (await api.GetAsync($"/api/v1/users/{identity.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound, $"{identity.Email} is hidden until verified");
            (await api.GetAsync($"/api/v1/users/{identity.Email}/keys", identity.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "its owner still sees it");
            var ciphertext = identity.Ciphertexts.First(c => c.Decrypts && c.Format != "prototype-hex");
            (await api.DecryptAsync(identity.Email, ciphertext.Ciphertext, identity.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "and its keys are not taken away");
        }

        var alice = Manifest.Live.First();
        (await api.PostAsync($"/api/v1/users/{alice.Email}/email-verification/resend", null, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        var verified = await api.PostAsync($"/api/v1/users/{alice.Email}/email-verification", new { code = mailer.LatestCode(alice.Email) }, alice.ApiKey);

        verified.StatusCode.Should().Be(HttpStatusCode.OK);
        var ring = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{alice.Email}/keys"));
        ((bool)ring["emailVerified"]!).Should().BeTrue("verified, it is public again");
        var other = Manifest.Live.Skip(1).First();
        (await api.GetAsync($"/api/v1/users/{other.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the others stay hidden");
    }

    private static async Task<long> UserVersionAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
