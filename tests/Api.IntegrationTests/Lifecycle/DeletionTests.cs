using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Api.IntegrationTests.Lifecycle;

/// <summary>
/// Deletion with a waiting period over HTTP (issue 14, point 1): 202 with deletesAt, the identity
/// disabled for its owner (409) and gone for everyone else (404), restore, an admin's purge,
/// immediate deletion with no waiting period, and the shredding by the background worker when the
/// (fake) clock reaches deletesAt, also after a restart.
/// </summary>
public sealed class DeletionTests(DeletionTests.Server server) : IClassFixture<DeletionTests.Server>
{
    private static readonly TimeSpan WaitingPeriod = TimeSpan.FromDays(7);

    private readonly ApiClient _api = server.Api;

    /// <summary>The default settings (7 days), a fake clock.</summary>
    public sealed class Server : IDisposable
    {
        private readonly LifecycleServer _server = new();

        public ApiClient Api => _server.Api;

        public FakeTimeProvider Clock => _server.Clock;

        public ApiFactory Factory => _server.Factory;

        public void Dispose() => _server.Dispose();
    }

    [Fact]
    public async Task A_delete_answers_202_with_the_time_of_shredding_and_the_owner_still_reads_its_state_and_trail()
    {
        var alice = await _api.RegisterAsync();
        var now = server.Clock.GetUtcNow();

        var response = await _api.DeleteAsync($"/api/v1/users/{alice.Email}", alice.ApiKey);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var body = await ApiClient.JsonAsync(response);
        ((string)body["email"]!).Should().Be(alice.Email);
        ((DateTimeOffset)body["deletesAt"]!).Should().Be(now + WaitingPeriod);
        var ring = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys", alice.ApiKey));
        ((DateTimeOffset)ring["deletesAt"]!).Should().Be(now + WaitingPeriod, "the owner reads its own state, with the time");
        var adminView = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys", server.Factory.AdminKey));
        ((DateTimeOffset)adminView["deletesAt"]!).Should().Be(now + WaitingPeriod);
        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey));
        var latest = audit["events"]!.AsArray()[0]!;
        ((string)latest["action"]!).Should().Be("deletionScheduled");
        ((string)latest["actor"]!).Should().Be("owner");
    }

    [Fact]
    public async Task Deleting_again_changes_nothing_and_answers_the_same_time()
    {
        var alice = await _api.RegisterAsync();
        var first = await ApiClient.JsonAsync(await _api.DeleteAsync($"/api/v1/users/{alice.Email}", alice.ApiKey));
        server.Clock.Advance(TimeSpan.FromSeconds(1));

        var again = await _api.DeleteAsync($"/api/v1/users/{alice.Email}", server.Factory.AdminKey);

        again.StatusCode.Should().Be(HttpStatusCode.Accepted);
        ((DateTimeOffset)(await ApiClient.JsonAsync(again))["deletesAt"]!).Should().Be((DateTimeOffset)first["deletesAt"]!, "a second request neither delays nor hastens the shredding");
        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey));
        audit["events"]!.AsArray().Count(e => (string)e!["action"]! == "deletionScheduled").Should().Be(1);
    }

    public static TheoryData<string> BlockedOwnerRoutes
    {
        get
        {
            var routes = new TheoryData<string>();
            foreach (var row in (IEnumerable<object[]>)OwnerRoutes.All)
            {
                if ((string)row[0] is not ("audit" or "delete") and var route)
                {
                    routes.Add(route);
                }
            }

            return routes;
        }
    }

    [Theory]
    [MemberData(nameof(BlockedOwnerRoutes))]
    public async Task While_pending_every_owner_operation_but_state_audit_and_restore_answers_409_pending_deletion(string route)
    {
        var alice = await _api.RegisterAsync();
        var ciphertext = await OwnerRoutes.CiphertextForAsync(_api, route, alice.Email);
        await Schedule(alice);

        foreach (var key in new[] { alice.ApiKey, server.Factory.AdminKey })
        {
            var response = await OwnerRoutes.CallAsync(_api, route, alice.Email, ciphertext, key);
            if (route == OwnerRoutes.PrototypeDecrypt)
            {
                (await ApiClient.ShouldBePrototypeErrorAsync(response, HttpStatusCode.Conflict)).Should().Contain("scheduled for deletion");
            }
            else
            {
                var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.Conflict, Problems.PendingDeletion);
                ((string)problem["detail"]!).Should().Contain("restore");
            }
        }
    }

    [Fact]
    public async Task While_pending_the_owners_public_operations_answer_409_too()
    {
        var alice = await _api.RegisterAsync();
        await Schedule(alice);

        // All but the first, GET .../keys: that is the owner's read of its own state.
        foreach (var call in PublicCalls(alice.Email, "eyJ4IjoxfQ.e30.c2ln").Skip(1))
        {
            var response = await call(alice.ApiKey);
            if (response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal))
            {
                await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.Conflict, Problems.PendingDeletion);
            }
            else
            {
                await ApiClient.ShouldBePrototypeErrorAsync(response, HttpStatusCode.Conflict);
            }
        }
    }

    [Fact]
    public async Task While_pending_the_public_sees_404_exactly_as_for_an_unknown_address()
    {
        var alice = await _api.RegisterAsync();
        var signature = (string)(await ApiClient.JsonAsync(await _api.PostAsync($"/api/v1/users/{alice.Email}/sign", new { payload = "p" }, alice.ApiKey)))["signature"]!;
        var stranger = await _api.RegisterAsync();
        await Schedule(alice);
        var unknown = ApiClient.NewEmail();

        var calls = PublicCalls(alice.Email, signature);
        var unknownCalls = PublicCalls(unknown, signature);
        for (var i = 0; i < calls.Count; i++)
        {
            foreach (var key in new string?[] { null, stranger.ApiKey })
            {
                var pending = await calls[i](key);
                var none = await unknownCalls[i](key);
                pending.StatusCode.Should().Be(HttpStatusCode.NotFound, pending.RequestMessage!.RequestUri!.ToString());
                var pendingBody = await pending.Content.ReadAsStringAsync();
                var noneBody = await none.Content.ReadAsStringAsync();
                Normalize(pendingBody, alice.Email).Should().Be(Normalize(noneBody, unknown), "nothing tells a pending identity from none");
            }
        }
    }

    [Fact]
    public async Task While_pending_the_address_cannot_be_registered_again()
    {
        var alice = await _api.RegisterAsync();
        await Schedule(alice);

        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync("/api/v1/users", new { email = alice.Email }), HttpStatusCode.Conflict, Problems.Conflict);
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync("/api/v1/users", new { email = alice.Email.ToUpperInvariant() }), HttpStatusCode.Conflict, Problems.Conflict);
    }

    [Fact]
    public async Task A_restore_cancels_the_deletion_and_everything_works_again_with_the_same_keys()
    {
        var alice = await _api.RegisterAsync();
        var ciphertext = await _api.EncryptAsync(alice.Email, "kept");
        await Schedule(alice);

        var restored = await _api.PostAsync($"/api/v1/users/{alice.Email}/restore", null, alice.ApiKey);

        restored.StatusCode.Should().Be(HttpStatusCode.OK);
        var ring = await ApiClient.JsonAsync(restored);
        ring["deletesAt"].Should().BeNull();
        ((int)ring["latestVersion"]!).Should().Be(1);
        var decrypted = await ApiClient.JsonAsync(await _api.DecryptAsync(alice.Email, ciphertext, alice.ApiKey));
        ((string)decrypted["plaintext"]!).Should().Be("kept");
        (await _api.GetAsync($"/api/v1/users/{alice.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK, "the public sees it again");
        (await _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", new { }, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey));
        audit["events"]!.AsArray().Select(e => (string)e!["action"]!).Should().ContainInOrder("rotated", "decrypted", "deletionCancelled", "deletionScheduled");

        (await _api.PostAsync($"/api/v1/users/{alice.Email}/restore", null, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "restoring what is not pending is harmless");
        var stranger = await _api.RegisterAsync();
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{alice.Email}/restore", null, stranger.ApiKey), HttpStatusCode.Forbidden);
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{alice.Email}/restore", null), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_restores_too()
    {
        var alice = await _api.RegisterAsync();
        await Schedule(alice);

        (await _api.PostAsync($"/api/v1/users/{alice.Email}/restore", null, server.Factory.AdminKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await _api.GetAsync($"/api/v1/users/{alice.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_purge_is_for_admins_only_and_destroys_at_once_even_a_pending_identity()
    {
        var alice = await _api.RegisterAsync();
        var ciphertext = await _api.EncryptAsync(alice.Email, "erased");

        var byOwner = await _api.DeleteAsync($"/api/v1/users/{alice.Email}?purge=true", alice.ApiKey);
        var problem = await ApiClient.ShouldBeProblemAsync(byOwner, HttpStatusCode.Forbidden, Problems.Forbidden);
        ((string)problem["detail"]!).Should().Contain("administrator");
        (await _api.GetAsync($"/api/v1/users/{alice.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK, "a refused purge changes nothing");

        await Schedule(alice);
        (await _api.DeleteAsync($"/api/v1/users/{alice.Email}?purge=true", server.Factory.AdminKey)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await _api.GetAsync($"/api/v1/users/{alice.Email}/keys", server.Factory.AdminKey)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var again = await _api.RegisterAsync(alice.Email);
        await ApiClient.ShouldBeProblemAsync(await _api.DecryptAsync(alice.Email, ciphertext, again.ApiKey), HttpStatusCode.BadRequest, Problems.DecryptionFailed);
    }

    [Fact]
    public async Task With_no_waiting_period_a_delete_destroys_at_once_with_204()
    {
        using var immediate = new LifecycleServer(new Dictionary<string, string?> { ["Keys:DeletionWaitingDays"] = "0" });
        var alice = await immediate.Api.RegisterAsync();

        var response = await immediate.Api.DeleteAsync($"/api/v1/users/{alice.Email}", alice.ApiKey);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await immediate.Api.GetAsync($"/api/v1/users/{alice.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await immediate.Api.RegisterAsync(alice.Email)).Email.Should().Be(alice.Email, "the address is free at once");
    }

    [Fact]
    public async Task When_the_time_comes_the_worker_shreds_the_identity_audited_as_done_by_the_service()
    {
        using var own = new LifecycleServer();
        var alice = await own.Api.RegisterAsync();
        var ciphertext = await own.Api.EncryptAsync(alice.Email, "shredded later");
        var id = (await LifecycleServer.StoredIdAsync(own.Factory.DatabasePath, alice.Email))!.Value;
        (await own.Api.DeleteAsync($"/api/v1/users/{alice.Email}", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        own.Clock.Advance(WaitingPeriod - TimeSpan.FromMinutes(2));
        await Task.Delay(500);
        (await own.Api.GetAsync($"/api/v1/users/{alice.Email}/keys", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "not due yet");

        own.Clock.Advance(TimeSpan.FromMinutes(3));
        await own.EventuallyAsync(
            async () => (await own.Api.GetAsync($"/api/v1/users/{alice.Email}/keys", own.Factory.AdminKey)).StatusCode == HttpStatusCode.NotFound,
            "the worker shreds the identity once its time has passed");

        (await LifecycleServer.StoredAuditAsync(own.Factory.DatabasePath, id)).Should().EndWith(("Deleted", "Service"));
        await ApiClient.ShouldBeProblemAsync(await own.Api.DecryptAsync(alice.Email, ciphertext, alice.ApiKey), HttpStatusCode.Unauthorized, Problems.Unauthorized);
        var again = await own.Api.RegisterAsync(alice.Email);
        await ApiClient.ShouldBeProblemAsync(await own.Api.DecryptAsync(alice.Email, ciphertext, again.ApiKey), HttpStatusCode.BadRequest, Problems.DecryptionFailed);
    }

    [Fact]
    public async Task A_restore_just_before_the_time_wins_and_the_worker_leaves_the_identity_alone()
    {
        using var own = new LifecycleServer();
        var alice = await own.Api.RegisterAsync();
        await own.Api.DeleteAsync($"/api/v1/users/{alice.Email}", alice.ApiKey);
        own.Clock.Advance(WaitingPeriod - TimeSpan.FromSeconds(1));
        (await own.Api.PostAsync($"/api/v1/users/{alice.Email}/restore", null, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        own.Clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(1000);

        (await own.Api.GetAsync($"/api/v1/users/{alice.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_schedule_is_in_the_store_a_restarted_server_still_disables_the_identity_and_shreds_it_when_due()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-restart-").FullName;
        try
        {
            var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
            var masterKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory, ["Security:MasterKey"] = masterKey };
            Registered alice;
            using (var before = new LifecycleServer(settings, new FakeTimeProvider(start)))
            {
                alice = await before.Api.RegisterAsync();
                (await before.Api.DeleteAsync($"/api/v1/users/{alice.Email}", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            }

            // A new process on the same store, started a day later: still pending, and nothing in memory carried over.
            using (var after = new LifecycleServer(settings, new FakeTimeProvider(start.AddDays(1))))
            {
                (await after.Api.GetAsync($"/api/v1/users/{alice.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound);
                var ring = await ApiClient.JsonAsync(await after.Api.GetAsync($"/api/v1/users/{alice.Email}/keys", alice.ApiKey));
                ((DateTimeOffset)ring["deletesAt"]!).Should().Be(start + WaitingPeriod);

                after.Clock.Advance(WaitingPeriod);
                await after.EventuallyAsync(
                    async () => (await after.Api.GetAsync($"/api/v1/users/{alice.Email}/keys", after.Factory.AdminKey)).StatusCode == HttpStatusCode.NotFound,
                    "the restarted server's worker shreds it");
                await ApiClient.ShouldBeProblemAsync(
                    await after.Api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey), HttpStatusCode.Unauthorized, Problems.Unauthorized);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private async Task Schedule(Registered identity) =>
        (await _api.DeleteAsync($"/api/v1/users/{identity.Email}", identity.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Accepted);

    // Every operation open to the public that names an identity, and the prototype's.
    private List<Func<string?, Task<HttpResponseMessage>>> PublicCalls(string email, string signature) =>
    [
        key => _api.GetAsync($"/api/v1/users/{email}/keys", key),
        key => _api.GetAsync($"/api/v1/users/{email}/jwks", key),
        key => _api.PostAsync($"/api/v1/users/{email}/encrypt", new { plaintext = "x" }, key),
        key => _api.PostAsync($"/api/v1/users/{email}/datakey", new { }, key),
        key => _api.PostAsync($"/api/v1/users/{email}/verify", new { signature }, key),
        key => _api.PostAsync($"/api/v1/users/{email}/encrypt/batch", new { items = new[] { new { plaintext = "x" } } }, key),
        key => _api.PostAsync($"/api/v1/users/{email}/verify/batch", new { items = new[] { new { signature } } }, key),
        key => _api.GetAsync($"/get_keys/{email}", key),
        key => _api.PostAsync($"/encrypt/{email}", new { plaintext = "x" }, key),
    ];

    // The address and the request id differ by construction; everything else must be the same.
    private static string Normalize(string body, string email)
    {
        var text = body.Replace(email, "<email>", StringComparison.OrdinalIgnoreCase);
        if (JsonNode.Parse(text) is JsonObject json)
        {
            json.Remove("traceId");
            json.Remove("requestId");
            return json.ToJsonString();
        }

        return text;
    }
}
