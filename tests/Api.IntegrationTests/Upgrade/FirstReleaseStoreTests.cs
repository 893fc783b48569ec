using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Api.IntegrationTests.Upgrade;

/// <summary>
/// The store written by the first release (tests/Fixtures/v0.1.0) opens with the current code and
/// everything in it keeps working: identities, API keys, key versions, ciphertexts of every
/// format, exports, deletion and the audit trail. Each test runs on its own copy. A schema change
/// adds its own checks here (what the migration must have produced), it never relaxes these.
/// </summary>
public sealed class FirstReleaseStoreTests
{
    private static FixtureManifest Manifest => FirstReleaseStore.Manifest;

    [Fact]
    public void The_fixture_is_the_first_releases_store()
    {
        Manifest.Release.Should().Be("v0.1.0");
        Manifest.SqliteUserVersion.Should().Be(1);
        Manifest.Identities.Should().Contain(i => i.Deleted).And.Contain(i => !i.Exportable).And.Contain(i => i.Route == "POST /takeuser");
        Manifest.Identities.SelectMany(i => i.Ciphertexts).Select(c => c.Format).Distinct().Should().BeEquivalentTo("jwe", "rsa-oaep", "prototype-hex");
    }

    [Fact]
    public async Task Every_audit_trail_reads_back_as_the_first_release_wrote_it()
    {
        using var factory = FirstReleaseStore.OpenCopy();
        using var api = factory.NewClient();

        foreach (var identity in Manifest.Live)
        {
            var events = await ReadWholeTrailAsync(api, identity.Email, identity.ApiKey);

            events.Select(e => new FixtureAuditEvent(
                    (DateTimeOffset)e["occurredAt"]!, (string)e["action"]!, (string)e["outcome"]!, (string)e["actor"]!, (int?)e["keyVersion"]))
                .Should().Equal(identity.Audit!, $"the trail of {identity.Email} is the one the first release wrote");
        }

        var alice = Manifest.Identities.Single(i => i.Email == "alice@example.com");
        (await ReadWholeTrailAsync(api, alice.Email, Manifest.AdminApiKey)).Should().HaveCount(alice.Audit!.Count, "an admin reads the same trail");
    }

    [Fact]
    public async Task Schema_2_the_store_is_migrated_at_start_and_the_first_releases_events_are_sorted_into_kinds()
    {
        using var factory = FirstReleaseStore.OpenCopy();
        using var api = factory.NewClient();

        foreach (var identity in Manifest.Live)
        {
            var all = await ReadWholeTrailAsync(api, identity.Email, identity.ApiKey);
            all.Should().OnlyContain(e => (int)e["count"]! == 1 && (DateTimeOffset)e["lastOccurredAt"]! == (DateTimeOffset)e["occurredAt"]!);
            all.Select(e => (string)e["kind"]!).Should().Equal(identity.Audit!.Select(ExpectedKind), $"{identity.Email}'s events keep their order and get their kinds");
            foreach (var kind in new[] { "owner", "public", "denied" })
            {
                var part = await ReadWholeTrailAsync(api, identity.Email, identity.ApiKey, kind, limit: 2);
                part.Select(e => (DateTimeOffset)e["occurredAt"]!).Should().Equal(
                    identity.Audit!.Where(e => ExpectedKind(e) == kind).Select(e => e.OccurredAt), $"?kind={kind} pages through {identity.Email}'s {kind} events only");
            }
        }

        (await UserVersionAsync(factory.DatabasePath)).Should().BeGreaterThanOrEqualTo(2, "schema 2 is applied (and any later step after it)");
        var alice = Manifest.Identities.Single(i => i.Email == "alice@example.com");
        (await ReadWholeTrailAsync(api, alice.Email, alice.ApiKey, "denied")).Should().HaveCount(2, "mallory's two refusals from the first release stay two events");
    }

    [Fact]
    public async Task Every_identity_keeps_its_public_keys_versions_and_settings()
    {
        using var factory = FirstReleaseStore.OpenCopy();
        using var api = factory.NewClient();

        foreach (var identity in Manifest.Live)
        {
            var ring = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{identity.Email}/keys"));

            ((string)ring["email"]!).Should().Be(identity.Email);
            ((int)ring["latestVersion"]!).Should().Be(identity.LatestVersion);
            ((int)ring["minDecryptionVersion"]!).Should().Be(identity.MinDecryptionVersion);
            ((bool)ring["exportable"]!).Should().Be(identity.Exportable);
            ring["keys"]!.AsArray().Select(k => new FixturePublicKey((int)k!["version"]!, (int)k["keySize"]!, (string)k["publicKeyPem"]!))
                .Should().Equal(identity.PublicKeys!);
        }
    }

    [Fact]
    public async Task Every_ciphertext_decrypts_to_its_plaintext_with_its_owners_api_key()
    {
        using var factory = FirstReleaseStore.OpenCopy();
        using var api = factory.NewClient();

        await EveryCiphertextDecryptsAsync(api);
    }

    /// <summary>Every ciphertext of the fixture decrypts to its plaintext with its owner's key (or is refused where the fixture expects it).</summary>
    internal static async Task EveryCiphertextDecryptsAsync(ApiClient api)
    {
        foreach (var identity in Manifest.Live)
        {
            foreach (var ciphertext in identity.Ciphertexts)
            {
                if (ciphertext.Format == "prototype-hex")
                {
                    var response = await api.PostAsync($"/decrypt/{identity.Email}", new { ciphertext = ciphertext.Ciphertext }, identity.ApiKey);
                    response.StatusCode.Should().Be(HttpStatusCode.OK, $"{identity.Email}'s prototype ciphertext under version {ciphertext.KeyVersion}");
                    ((string)(await ApiClient.JsonAsync(response))["plaintext"]!).Should().Be(ciphertext.Plaintext);
                    continue;
                }

                var decrypted = await api.DecryptAsync(identity.Email, ciphertext.Ciphertext, identity.ApiKey);
                if (!ciphertext.Decrypts)
                {
                    await ApiClient.ShouldBeProblemAsync(decrypted, HttpStatusCode.BadRequest);
                    continue;
                }

                decrypted.StatusCode.Should().Be(HttpStatusCode.OK, $"{identity.Email}'s {ciphertext.Format} ciphertext under version {ciphertext.KeyVersion}");
                var body = await ApiClient.JsonAsync(decrypted);
                ((string)body["plaintextBase64"]!).Should().Be(ciphertext.PlaintextBase64);
                ((string?)body["plaintext"]).Should().Be(ciphertext.Plaintext);
                ((int)body["keyVersion"]!).Should().Be(ciphertext.KeyVersion);
            }
        }
    }

    [Fact]
    public async Task Private_keys_export_where_exportable_and_still_pair_with_their_public_keys()
    {
        using var factory = FirstReleaseStore.OpenCopy();
        using var api = factory.NewClient();

        foreach (var identity in Manifest.Live)
        {
            foreach (var key in identity.PublicKeys!.Where(k => k.Version >= identity.MinDecryptionVersion))
            {
                var response = await api.GetAsync($"/api/v1/users/{identity.Email}/keys/private?version={key.Version}", identity.ApiKey);
                if (!identity.Exportable)
                {
                    await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden);
                    continue;
                }

                response.StatusCode.Should().Be(HttpStatusCode.OK, $"{identity.Email} version {key.Version} is exportable");
                using var exported = RSA.Create();
                exported.ImportFromPem((string)(await ApiClient.JsonAsync(response))["privateKeyPem"]!);
                exported.KeySize.Should().Be(key.KeySize);
                exported.ExportSubjectPublicKeyInfoPem().Should().Be(key.PublicKeyPem.TrimEnd());
            }
        }

        var carol = Manifest.Identities.Single(i => i.Route == "POST /takeuser");
        var prototype = await ApiClient.JsonAsync(await api.GetAsync($"/get_keys/{carol.Email}", carol.ApiKey));
        ((string)prototype["private_key"]!).Should().Contain("BEGIN PRIVATE KEY");
    }

    [Fact]
    public async Task The_deleted_identity_stays_deleted_and_its_api_key_opens_nothing()
    {
        using var factory = FirstReleaseStore.OpenCopy();
        using var api = factory.NewClient();
        var dave = Manifest.Identities.Single(i => i.Deleted);

        await ApiClient.ShouldBeProblemAsync(await api.GetAsync($"/api/v1/users/{dave.Email}/keys"), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await api.PostAsync($"/api/v1/users/{dave.Email}/encrypt", new { plaintext = "x" }), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await api.GetAsync($"/api/v1/users/{dave.Email}/audit", Manifest.AdminApiKey), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await api.DecryptAsync(dave.Email, dave.Ciphertexts[0].Ciphertext, dave.ApiKey), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_upgraded_store_takes_new_registrations_rotations_and_refusals()
    {
        using var factory = FirstReleaseStore.OpenCopy(new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var api = factory.NewClient();
        var alice = Manifest.Identities.Single(i => i.Email == "alice@example.com");
        var mallory = Manifest.Identities.Single(i => i.Email == "mallory@example.com");

        var rotated = await ApiClient.JsonAsync(await api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", new { keySize = 2048 }, alice.ApiKey));
        ((int)rotated["latestVersion"]!).Should().Be(alice.LatestVersion + 1);
        var ciphertext = await api.EncryptAsync(alice.Email, "after the upgrade");
        (await api.DecryptAsync(alice.Email, ciphertext, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        await ApiClient.ShouldBeProblemAsync(await api.DecryptAsync(alice.Email, ciphertext, mallory.ApiKey), HttpStatusCode.Forbidden);
        await ApiClient.ShouldBeProblemAsync(await api.PostAsync("/api/v1/users", new { email = alice.Email, keySize = 2048 }), HttpStatusCode.Conflict);
        var newcomer = await api.RegisterAsync(keySize: 2048);
        (await api.DecryptAsync(newcomer.Email, await api.EncryptAsync(newcomer.Email, "new"), newcomer.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        var trail = await ReadWholeTrailAsync(api, alice.Email, alice.ApiKey);
        trail.Should().HaveCount(alice.Audit!.Count + 4, "the new rotation, encryption, decryption and refusal follow the first release's events");
        await ApiClient.ShouldBeProblemAsync(await api.DecryptAsync(alice.Email, ciphertext, mallory.ApiKey), HttpStatusCode.Forbidden);
        var denied = await ReadWholeTrailAsync(api, alice.Email, alice.ApiKey, "denied");
        denied.Select(e => (int)e["count"]!).Should().Equal([2, 1, 1], "refusals after the upgrade are counted into one event; the first release's stay as they were");
    }

    [Fact]
    public async Task Schema_3_the_store_gains_an_empty_change_feed_and_changes_after_the_upgrade_are_recorded_in_it()
    {
        using var factory = FirstReleaseStore.OpenCopy();
        using var api = factory.NewClient();
        var alice = Manifest.Identities.Single(i => i.Email == "alice@example.com");
        var ring = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{alice.Email}/keys"));

        (await UserVersionAsync(factory.DatabasePath)).Should().BeGreaterThanOrEqualTo(3, "schema 3 is applied (and any later step after it)");
        (await ChangeCountAsync(factory.DatabasePath)).Should().Be(0, "nothing the first release did is back-filled");
        (await api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", new { keySize = 2048 }, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.DeleteAsync($"/api/v1/users/{alice.Email}?purge=true", Manifest.AdminApiKey)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await ChangeCountAsync(factory.DatabasePath)).Should().Be(2, "the rotation and the deletion of a first-release identity each tell the other nodes");
        (await api.GetAsync($"/api/v1/users/{alice.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        ((int)ring["latestVersion"]!).Should().Be(3, "the identity read before the changes was the first release's");
    }

    [Fact]
    public async Task Lifecycle_schema_nothing_is_pending_nothing_rotates_by_itself_and_every_ciphertext_still_decrypts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = FirstReleaseStore.OpenCopy(clock);
        using var api = factory.NewClient();

        foreach (var identity in Manifest.Live)
        {
            var ring = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{identity.Email}/keys", identity.ApiKey));
            ((long)ring["autoRotatePeriodSeconds"]!).Should().Be(0, $"{identity.Email} had no automatic rotation");
            ring["nextRotationAt"].Should().BeNull();
            ring["deletesAt"].Should().BeNull($"nothing of {identity.Email} was pending");
            foreach (var ciphertext in identity.Ciphertexts.Where(c => c.Decrypts && c.Format != "prototype-hex"))
            {
                var decrypted = await api.DecryptAsync(identity.Email, ciphertext.Ciphertext, identity.ApiKey);
                decrypted.StatusCode.Should().Be(HttpStatusCode.OK, $"{identity.Email}'s {ciphertext.Format} ciphertext under version {ciphertext.KeyVersion}");
            }
        }

        // The checks at start found nothing to shred or rotate: every identity is as it was.
        clock.Advance(TimeSpan.FromMinutes(2));
        var alice = Manifest.Identities.Single(i => i.Email == "alice@example.com");
        var aliceRing = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{alice.Email}/keys"));
        ((int)aliceRing["latestVersion"]!).Should().Be(alice.LatestVersion);

        // A first-release identity takes a waiting period and a restore like a new one, and keeps its keys through them.
        var scheduled = await api.DeleteAsync($"/api/v1/users/{alice.Email}", alice.ApiKey);
        scheduled.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await ApiClient.ShouldBeProblemAsync(await api.GetAsync($"/api/v1/users/{alice.Email}/keys"), HttpStatusCode.NotFound, Problems.NotFound);
        (await api.PostAsync($"/api/v1/users/{alice.Email}/restore", null, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var ciphertext in alice.Ciphertexts.Where(c => c.Decrypts && c.Format != "prototype-hex"))
        {
            (await api.DecryptAsync(alice.Email, ciphertext.Ciphertext, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "restored with every key");
        }
    }

    [Fact]
    public async Task Schema_7_the_first_releases_keys_are_adopted_under_the_fixtures_master_key_id_and_a_master_key_rotation_reseals_them_all()
    {
        // Alice 3 versions, bob 1, carol 1, mallory 1: six sealed private keys, no signing keys yet.
        var sealedKeys = Manifest.Live.Sum(i => i.LatestVersion ?? 1);
        var fixtureKeyId = MasterKeyIds.Of(FirstReleaseStore.MasterKey);
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var rotated = ApiFactory.With(new Dictionary<string, string?>
        {
            ["Security:MasterKey"] = newKey,
            ["Security:PreviousMasterKeys:0"] = FirstReleaseStore.MasterKey,
            ["Security:AdminApiKeys:0"] = Manifest.AdminApiKey,
            ["Keys:Pool:2048"] = "0",
            ["MasterKeyRotation:PauseMilliseconds"] = "0",
        });
        File.Copy(Path.Combine(FirstReleaseStore.Directory, Manifest.StoreFile), rotated.DatabasePath);

        // First the fixture's own key: the migration left the ids NULL, the start adopted them as its.
        using (var original = ApiFactory.With(new Dictionary<string, string?>
        {
            ["Security:MasterKey"] = FirstReleaseStore.MasterKey,
            ["Security:AdminApiKeys:0"] = Manifest.AdminApiKey,
            ["Keys:Pool:2048"] = "0",
            ["KeyStore:Sqlite:Path"] = rotated.DatabasePath,
        }))
        {
            using var api = original.NewClient();
            var status = await ApiClient.JsonAsync(await api.GetAsync("/api/v1/admin/master-key", Manifest.AdminApiKey));
            ((string)status["currentKeyId"]!).Should().Be(fixtureKeyId);
            status["recordsByKeyId"]!.AsObject().Select(p => (p.Key, (long)p.Value!)).Should().Equal((fixtureKeyId, (long)sealedKeys));
            ((bool)status["complete"]!).Should().BeTrue();
            (await UserVersionAsync(rotated.DatabasePath)).Should().BeGreaterThanOrEqualTo(7);
            await EveryCiphertextDecryptsAsync(api);
        }

        // Then a new master key with the fixture's as the previous one: the re-sealer moves every key.
        using (var api = rotated.NewClient())
        {
            var status = await MasterKeyIds.WaitUntilCompleteAsync(api.Http, Manifest.AdminApiKey);
            ((string)status["currentKeyId"]!).Should().Be(MasterKeyIds.Of(newKey)).And.NotBe(fixtureKeyId);
            status["recordsByKeyId"]!.AsObject().Select(p => (p.Key, (long)p.Value!)).Should().Equal((MasterKeyIds.Of(newKey), (long)sealedKeys));
            await EveryCiphertextDecryptsAsync(api);
            rotated.Logs.All.Should().NotContain(newKey).And.NotContain(FirstReleaseStore.MasterKey).And.Contain("Master key rotation complete");
        }

        // Once complete, the fixture's key can go: the store opens with the new key alone.
        using var newKeyOnly = ApiFactory.With(new Dictionary<string, string?>
        {
            ["Security:MasterKey"] = newKey,
            ["Security:AdminApiKeys:0"] = Manifest.AdminApiKey,
            ["Keys:Pool:2048"] = "0",
            ["KeyStore:Sqlite:Path"] = rotated.DatabasePath,
        });
        using var last = newKeyOnly.NewClient();
        await EveryCiphertextDecryptsAsync(last);
    }

    [Fact]
    public async Task Schema_4_a_first_release_identity_gets_its_signing_key_at_its_first_sign_and_its_old_ciphertexts_still_decrypt()
    {
        using var factory = FirstReleaseStore.OpenCopy();
        using var api = factory.NewClient();
        var alice = Manifest.Identities.Single(i => i.Email == "alice@example.com");

        (await UserVersionAsync(factory.DatabasePath)).Should().BeGreaterThanOrEqualTo(4, "schema 4 is applied (and any later step after it)");
        var before = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{alice.Email}/jwks"));
        before["keys"]!.AsArray().Should().OnlyContain(k => (string)k!["use"]! == "enc", "no first-release version has a signing key yet");
        await ApiClient.ShouldBeProblemAsync(
            await api.GetAsync($"/api/v1/users/{alice.Email}/keys/private?use=sig", alice.ApiKey), HttpStatusCode.NotFound);

        var signed = await api.PostAsync($"/api/v1/users/{alice.Email}/sign", new { payload = "signed after the upgrade" }, alice.ApiKey);
        signed.StatusCode.Should().Be(HttpStatusCode.OK, await signed.Content.ReadAsStringAsync());
        var signature = (string)(await ApiClient.JsonAsync(signed))["signature"]!;
        var again = await ApiClient.JsonAsync(await api.PostAsync($"/api/v1/users/{alice.Email}/sign", new { payload = "and again", format = "raw" }, alice.ApiKey));

        var verified = await ApiClient.JsonAsync(await api.PostAsync($"/api/v1/users/{alice.Email}/verify", new { signature }));
        ((bool)verified["valid"]!).Should().BeTrue();
        ((int)verified["keyVersion"]!).Should().Be(alice.LatestVersion, "the latest version signs");
        ((int)again["keyVersion"]!).Should().Be(alice.LatestVersion);
        var after = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{alice.Email}/jwks"));
        after["keys"]!.AsArray().Where(k => (string)k!["use"]! == "sig").Should().ContainSingle("only the latest version was given a signing key, once");
        var ring = await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{alice.Email}/keys"));
        ring["keys"]!.AsArray().Select(k => k!["signingKeyJwk"] is not null).Should().Equal(alice.PublicKeys!.Select(k => k.Version == alice.LatestVersion));
        ring["keys"]!.AsArray().Select(k => (string)k!["publicKeyPem"]!).Should().Equal(alice.PublicKeys!.Select(k => k.PublicKeyPem), "the encryption keys are untouched");

        foreach (var ciphertext in alice.Ciphertexts.Where(c => c.Decrypts && c.Format != "prototype-hex"))
        {
            var decrypted = await api.DecryptAsync(alice.Email, ciphertext.Ciphertext, alice.ApiKey);
            decrypted.StatusCode.Should().Be(HttpStatusCode.OK, $"alice's {ciphertext.Format} ciphertext under version {ciphertext.KeyVersion} still decrypts after her first sign");
            ((string)(await ApiClient.JsonAsync(decrypted))["plaintextBase64"]!).Should().Be(ciphertext.PlaintextBase64);
        }

        var trail = await ReadWholeTrailAsync(api, alice.Email, alice.ApiKey);
        trail.Select(e => (string)e["action"]!).Where(a => a is "payloadSigned" or "signingKeyAdded")
            .Should().Equal(["payloadSigned", "payloadSigned", "signingKeyAdded"], "newest first: the key was added once, audited, before the first sign");
    }

    private static async Task<long> ChangeCountAsync(string databasePath)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM identity_changes;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The kind schema 2 gives an event the first release wrote, spelled out here independently of
    /// the code: the owner's and admins' acts, and the registration with its key hand-out, are
    /// "owner"; anyone else's encryptions are "public"; anyone else's refusals are "denied".
    /// </summary>
    private static string ExpectedKind(FixtureAuditEvent e) => (e.Actor, e.Outcome, e.Action) switch
    {
        ("owner" or "admin", _, _) => "owner",
        (_, "denied", _) => "denied",
        (_, _, "encrypted") => "public",
        _ => "owner",
    };

    private static async Task<long> UserVersionAsync(string databasePath)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<JsonObject>> ReadWholeTrailAsync(ApiClient api, string email, string apiKey, string? kind = null, int limit = 200)
    {
        var events = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var query = $"?limit={limit}" + (kind is null ? string.Empty : "&kind=" + kind) + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            var response = await api.GetAsync($"/api/v1/users/{email}/audit{query}", apiKey);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var page = await ApiClient.JsonAsync(response);
            events.AddRange(page["events"]!.AsArray().Select(e => e!.AsObject()));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);

        return events;
    }
}
