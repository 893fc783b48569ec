using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Two real server processes started together on one SQLite file with one master key, as two
/// nodes behind a load balancer: whatever one changes, the other sees within
/// <c>Cache:CoherenceSeconds</c>, and the one that made the change sees it at once. Node B has
/// read the identity (and its key) before each change, so it answers from its cache until it hears.
/// </summary>
public sealed class TwoNodeCoherenceTests(TwoNodeCoherenceTests.Nodes nodes) : IClassFixture<TwoNodeCoherenceTests.Nodes>
{
    private const double CoherenceSeconds = 1;

    /// <summary>How long B is given before the test fails: ten bounds, so a loaded machine does not fail it, a missing eviction does.</summary>
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10 * CoherenceSeconds);

    private ApiClient A => nodes.A;

    private ApiClient B => nodes.B;

    [Fact]
    public async Task A_rotation_through_node_A_is_used_by_A_at_once_and_by_B_within_the_bound()
    {
        var alice = await A.RegisterAsync();
        (await EncryptedVersionAsync(B, alice.Email)).Should().Be(1);

        (await A.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", null, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await EncryptedVersionAsync(A, alice.Email)).Should().Be(2, "the node that rotated encrypts with the new version at once");
        await EventuallyAsync(async () => await EncryptedVersionAsync(B, alice.Email) == 2, "B encrypts with version 2");
    }

    [Fact]
    public async Task A_minimum_decryption_version_raised_on_A_is_refused_by_B_within_the_bound()
    {
        var bob = await A.RegisterAsync();
        var old = await B.EncryptAsync(bob.Email, "written under version 1");
        (await A.PostAsync($"/api/v1/users/{bob.Email}/keys/rotate", null, bob.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        await EventuallyAsync(async () => await EncryptedVersionAsync(B, bob.Email) == 2, "B has heard of the rotation");
        (await B.DecryptAsync(bob.Email, old, bob.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "version 1 still decrypts, on B from its cache");

        (await A.PutAsync($"/api/v1/users/{bob.Email}/keys/config", new { minDecryptionVersion = 2 }, bob.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await A.DecryptAsync(bob.Email, old, bob.ApiKey)).StatusCode.Should().Be(HttpStatusCode.BadRequest, "A refuses the retired version at once");
        await EventuallyAsync(async () => (await B.DecryptAsync(bob.Email, old, bob.ApiKey)).StatusCode == HttpStatusCode.BadRequest, "B refuses version 1");
    }

    [Fact]
    public async Task A_deletion_scheduled_on_A_disables_the_identity_on_B_within_the_bound_and_a_restore_on_A_brings_it_back_on_B()
    {
        var dave = await A.RegisterAsync();
        (await B.GetAsync($"/api/v1/users/{dave.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await A.DeleteAsync($"/api/v1/users/{dave.Email}", dave.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        (await A.GetAsync($"/api/v1/users/{dave.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound, "A hides it from the public at once");
        await EventuallyAsync(async () => (await B.GetAsync($"/api/v1/users/{dave.Email}/keys")).StatusCode == HttpStatusCode.NotFound, "B hides it");
        (await B.PostAsync($"/api/v1/users/{dave.Email}/keys/rotate", null, dave.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Conflict, "B refuses its owner's changes");

        (await A.PostAsync($"/api/v1/users/{dave.Email}/restore", null, dave.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await A.GetAsync($"/api/v1/users/{dave.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK, "A serves it again at once");
        await EventuallyAsync(async () => (await B.GetAsync($"/api/v1/users/{dave.Email}/keys")).StatusCode == HttpStatusCode.OK, "B serves it again");
    }

    [Fact]
    public async Task A_purge_on_A_makes_the_identity_unknown_and_its_api_key_useless_on_B_within_the_bound()
    {
        var carol = await A.RegisterAsync();
        (await B.GetAsync($"/api/v1/users/{carol.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await B.GetAsync($"/api/v1/users/{carol.Email}/audit", carol.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await A.DeleteAsync($"/api/v1/users/{carol.Email}?purge=true", Nodes.AdminKey)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await A.GetAsync($"/api/v1/users/{carol.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound, "A forgets at once");
        (await A.GetAsync($"/api/v1/users/{carol.Email}/audit", carol.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await EventuallyAsync(async () => (await B.GetAsync($"/api/v1/users/{carol.Email}/keys")).StatusCode == HttpStatusCode.NotFound, "B answers 404");
        await EventuallyAsync(async () => (await B.GetAsync($"/api/v1/users/{carol.Email}/audit", carol.ApiKey)).StatusCode == HttpStatusCode.Unauthorized, "B refuses the old key");
    }

    private static async Task<int> EncryptedVersionAsync(ApiClient node, string email)
    {
        var response = await node.PostAsync($"/api/v1/users/{email}/encrypt", new { plaintext = "hello" });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (int)(await ApiClient.JsonAsync(response))["keyVersion"]!;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            waited.Elapsed.Should().BeLessThan(GiveUp, $"{what} within the coherence bound ({CoherenceSeconds} s; the test gives it ten)");
            await Task.Delay(50);
        }
    }

    /// <summary>The two server processes on one data directory, started at once (both migrate the new file).</summary>
    public sealed class Nodes : IAsyncLifetime
    {
        private readonly string _dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-two-nodes-").FullName;
        private ServerProcess? _a;
        private ServerProcess? _b;

        /// <summary>An admin key both nodes accept (for purges).</summary>
        public static readonly string AdminKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

        public ApiClient A { get; private set; } = null!;

        public ApiClient B { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var settings = new Dictionary<string, string>
            {
                ["Keys__DefaultKeySize"] = "2048",
                ["RateLimiting__Enabled"] = "false",
                ["Cache__CoherenceSeconds"] = CoherenceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Security__AdminApiKeys__0"] = AdminKey,
            };
            var starting = new[]
            {
                ServerProcess.StartAsync("Production", _dataDirectory, masterKey, settings, umask: "077"),
                ServerProcess.StartAsync("Production", _dataDirectory, masterKey, settings, umask: "077"),
            };
            var started = await Task.WhenAll(starting);
            (_a, A) = (started[0].Server, new ApiClient(started[0].Http));
            (_b, B) = (started[1].Server, new ApiClient(started[1].Http));
        }

        public async Task DisposeAsync()
        {
            A?.Dispose();
            B?.Dispose();
            if (_a is not null)
            {
                await _a.DisposeAsync();
            }

            if (_b is not null)
            {
                await _b.DisposeAsync();
            }

            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
