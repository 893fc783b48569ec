using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Master key rotation on the real server process: the re-sealer survives <c>kill -9</c> in the
/// middle (nothing it did is lost, nothing half-done is left, the next start finishes the work),
/// every ciphertext still decrypts afterwards, and a store that needs a key no longer configured
/// refuses to start, naming the key id it needs.
/// </summary>
public sealed class MasterKeyRotationProcessTests : IDisposable
{
    private const int Identities = 8;
    private static readonly string AdminKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-rotation-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task A_reseal_killed_midway_completes_at_the_next_start_and_every_ciphertext_still_decrypts()
    {
        var oldKey = NewMasterKey();
        var newKey = NewMasterKey();
        var written = new List<(string Email, string ApiKey, string Ciphertext, string Plaintext)>();

        // A store written under the old key: identities with encryption keys, some with a signing key and a second version.
        var (first, http) = await StartAsync(oldKey);
        await using (first)
        {
            using var api = new ApiClient(http);
            for (var i = 0; i < Identities; i++)
            {
                var identity = await api.RegisterAsync(keySize: 2048);
                if (i % 2 == 0)
                {
                    (await api.PostAsync($"/api/v1/users/{identity.Email}/keys/rotate", new { keySize = 2048 }, identity.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
                    (await api.PostAsync($"/api/v1/users/{identity.Email}/sign", new { payload = "signed" }, identity.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
                }

                var plaintext = $"secret {i}";
                written.Add((identity.Email, identity.ApiKey, await api.EncryptAsync(identity.Email, plaintext), plaintext));
            }

            var before = await MasterKeyIds.StatusAsync(http, AdminKey);
            ((string)before["currentKeyId"]!).Should().Be(MasterKeyIds.Of(oldKey));
            await first.TerminateAsync();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // The new key with the old one as previous, slowly (one identity a batch), killed when part-way.
        var rotation = new Dictionary<string, string>
        {
            ["Security__PreviousMasterKeys__0"] = oldKey,
            ["MasterKeyRotation__BatchSize"] = "1",
            ["MasterKeyRotation__PauseMilliseconds"] = "300",
        };
        var (second, secondHttp) = await StartAsync(newKey, rotation);
        await using (second)
        {
            while (true)
            {
                var status = await MasterKeyIds.StatusAsync(secondHttp, AdminKey);
                var byId = status["recordsByKeyId"]!.AsObject();
                ((bool)status["complete"]!).Should().BeFalse("the re-sealer was to be killed part-way, so it must not have finished");
                if (byId.ContainsKey(MasterKeyIds.Of(newKey)))
                {
                    break;
                }

                await Task.Delay(50);
            }

            await second.KillAsync();
        }

        // Started again: it goes on from what the store says is left, and completes.
        rotation["MasterKeyRotation__PauseMilliseconds"] = "0";
        var (third, thirdHttp) = await StartAsync(newKey, rotation);
        await using (third)
        {
            var done = await MasterKeyIds.WaitUntilCompleteAsync(thirdHttp, AdminKey);
            done["recordsByKeyId"]!.AsObject().Select(p => p.Key).Should().Equal(MasterKeyIds.Of(newKey));
            ((long)done["recordsByKeyId"]![MasterKeyIds.Of(newKey)]!).Should().Be((Identities + (Identities / 2)) * 2, "every version (one per identity, a second for half of them) has an encryption and a signing key");
            using var api = new ApiClient(thirdHttp);
            foreach (var (email, apiKey, ciphertext, plaintext) in written)
            {
                var decrypted = await api.DecryptAsync(email, ciphertext, apiKey);
                decrypted.StatusCode.Should().Be(HttpStatusCode.OK, email);
                ((string)(await ApiClient.JsonAsync(decrypted))["plaintext"]!).Should().Be(plaintext);
            }

            (third.Output + third.Error).Should().NotContain(newKey).And.NotContain(oldKey);
            await third.TerminateAsync();
            await third.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // The old key alone cannot open what is now sealed under the new one: refused, naming the id needed.
        var refused = await ServerProcess.RunUntilExitAsync("Production", _dataDirectory, oldKey, new Dictionary<string, string> { ["Security__AdminApiKeys__0"] = AdminKey });
        refused.ShouldBeOneLineRefusal(MasterKeyIds.Of(newKey), "Security:PreviousMasterKeys");
        (refused.Output + refused.Error).Should().NotContain(oldKey);
    }

    [Fact]
    public async Task A_store_with_keys_under_a_master_key_no_longer_configured_refuses_to_start_naming_its_id()
    {
        var oldKey = NewMasterKey();
        var newKey = NewMasterKey();
        var (first, http) = await StartAsync(oldKey);
        await using (first)
        {
            using var api = new ApiClient(http);
            await api.RegisterAsync(keySize: 2048);
            await first.TerminateAsync();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // The new key set, the old one forgotten: nothing could open the stored keys.
        var exit = await ServerProcess.RunUntilExitAsync("Production", _dataDirectory, newKey, new Dictionary<string, string> { ["Security__AdminApiKeys__0"] = AdminKey });

        exit.ShouldBeOneLineRefusal(MasterKeyIds.Of(oldKey), MasterKeyIds.Of(newKey), "Security:PreviousMasterKeys");
        (exit.Output + exit.Error).Should().NotContain(oldKey).And.NotContain(newKey);
    }

    private static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private Task<(ServerProcess, HttpClient)> StartAsync(string masterKey, IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Security__AdminApiKeys__0"] = AdminKey,
            ["Keys__DefaultKeySize"] = "2048",
            ["RateLimiting__Enabled"] = "false",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return ServerProcess.StartAsync("Production", _dataDirectory, masterKey, settings, umask: "077");
    }
}
