using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Diagnostics.Metrics;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Infrastructure.KeyGeneration;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>Key versions, rotation, minimum decryption version, rewrap and deletion.</summary>
public sealed class KeyLifecycleTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task After_a_rotation_new_ciphertexts_use_the_new_version_and_old_ones_still_decrypt()
    {
        var alice = await _api.RegisterAsync();
        var oldJwe = await _api.EncryptAsync(alice.Email, "before");
        var oldRaw = await _api.EncryptAsync(alice.Email, "before raw", "rsa-oaep");

        var rotate = await _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", new { keySize = 3072 }, alice.ApiKey);

        rotate.StatusCode.Should().Be(HttpStatusCode.OK);
        var ring = await ApiClient.JsonAsync(rotate);
        ((int)ring["latestVersion"]!).Should().Be(2);
        ring["keys"]!.AsArray().Select(k => ((int)k!["version"]!, (int)k["keySize"]!)).Should().Equal((1, 2048), (2, 3072));
        var newJwe = await _api.EncryptAsync(alice.Email, "after");
        Header(newJwe).Should().EndWith("-v2\"}");
        (await DecryptedAsync(alice, oldJwe)).Should().Be(("before", 1));
        (await DecryptedAsync(alice, oldRaw)).Should().Be(("before raw", 1));
        (await DecryptedAsync(alice, newJwe)).Should().Be(("after", 2));
        var newRaw = await _api.EncryptAsync(alice.Email, "after raw", "rsa-oaep");
        Convert.FromBase64String(newRaw).Should().HaveCount(384, "raw RSA-OAEP uses the latest (3072-bit) version");
        (await DecryptedAsync(alice, newRaw)).Should().Be(("after raw", 2));
    }

    [Fact]
    public async Task Each_version_can_be_exported_and_unknown_versions_are_404()
    {
        var alice = await _api.RegisterAsync();
        await _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", null, alice.ApiKey);

        var v1 = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys/private?version=1", alice.ApiKey));
        var latest = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys/private", alice.ApiKey));

        ((int)v1["version"]!).Should().Be(1);
        ((int)latest["version"]!).Should().Be(2);
        ((string)v1["privateKeyPem"]!).Should().NotBe((string)latest["privateKeyPem"]!);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys/private?version=3", alice.ApiKey), HttpStatusCode.NotFound, Problems.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys/private?version=0", alice.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);
    }

    [Fact]
    public async Task Raising_the_minimum_decryption_version_retires_old_versions_until_it_is_lowered_again()
    {
        var alice = await _api.RegisterAsync();
        var oldJwe = await _api.EncryptAsync(alice.Email, "old");
        var oldRaw = await _api.EncryptAsync(alice.Email, "old raw", "rsa-oaep");
        await _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", null, alice.ApiKey);
        var garbage = await _api.DecryptAsync(alice.Email, "garbage", alice.ApiKey);

        var raise = await _api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { minDecryptionVersion = 2 }, alice.ApiKey);

        raise.StatusCode.Should().Be(HttpStatusCode.OK);
        ((int)(await ApiClient.JsonAsync(raise))["minDecryptionVersion"]!).Should().Be(2);
        var retired = await _api.DecryptAsync(alice.Email, oldJwe, alice.ApiKey);
        var retiredRaw = await _api.DecryptAsync(alice.Email, oldRaw, alice.ApiKey);
        (await retired.Content.ReadAsStringAsync()).Should().Be(await garbage.Content.ReadAsStringAsync(), "a retired version fails like any bad ciphertext");
        (await retiredRaw.Content.ReadAsStringAsync()).Should().Be(await garbage.Content.ReadAsStringAsync());
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys/private?version=1", alice.ApiKey), HttpStatusCode.Forbidden, Problems.Forbidden);

        var lower = await _api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { minDecryptionVersion = 1 }, alice.ApiKey);

        lower.StatusCode.Should().Be(HttpStatusCode.OK);
        (await DecryptedAsync(alice, oldJwe)).Should().Be(("old", 1));
    }

    [Theory]
    [InlineData("{\"minDecryptionVersion\":3}")]
    [InlineData("{\"minDecryptionVersion\":0}")]
    [InlineData("{}")]
    public async Task The_minimum_decryption_version_stays_between_1_and_the_latest_version(string body)
    {
        var alice = await _api.RegisterAsync();
        await _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", null, alice.ApiKey);

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await _api.SendAsync(HttpMethod.Put, $"/api/v1/users/{alice.Email}/keys/config", content, alice.ApiKey);

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        problem["errors"]!["minDecryptionVersion"].Should().NotBeNull();
    }

    [Theory]
    [InlineData("jwe")]
    [InlineData("rsa-oaep")]
    public async Task Rewrap_re_encrypts_under_the_latest_version_in_the_same_format(string format)
    {
        var alice = await _api.RegisterAsync();
        var old = await _api.EncryptAsync(alice.Email, "carried over", format);
        await _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", null, alice.ApiKey);

        var response = await _api.PostAsync($"/api/v1/users/{alice.Email}/rewrap", new { ciphertext = old }, alice.ApiKey);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var rewrapped = await ApiClient.JsonAsync(response);
        ((string)rewrapped["format"]!).Should().Be(format);
        ((int)rewrapped["keyVersion"]!).Should().Be(2);
        rewrapped.ToJsonString().Should().NotContain("carried over", "the plaintext never leaves the server");
        await _api.PutAsync($"/api/v1/users/{alice.Email}/keys/config", new { minDecryptionVersion = 2 }, alice.ApiKey);
        (await DecryptedAsync(alice, (string)rewrapped["ciphertext"]!)).Should().Be(("carried over", 2));
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{alice.Email}/rewrap", new { ciphertext = old }, alice.ApiKey), HttpStatusCode.BadRequest, Problems.DecryptionFailed);
    }

    [Fact]
    public async Task A_raw_ciphertext_too_long_for_the_latest_smaller_key_is_not_rewrapped_and_the_answer_reveals_no_length()
    {
        var alice = await _api.RegisterAsync(keySize: 3072);
        var old = await _api.EncryptAsync(alice.Email, new string('x', 300), "rsa-oaep");
        await _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", new { keySize = 2048 }, alice.ApiKey);

        var response = await _api.PostAsync($"/api/v1/users/{alice.Email}/rewrap", new { ciphertext = old }, alice.ApiKey);

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        var message = (string)problem["errors"]!["ciphertext"]![0]!;
        message.Should().Contain("encrypt it again as jwe").And.NotContain("300");
        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?limit=1", alice.ApiKey));
        ((string)audit["events"]![0]!["action"]!, (string)audit["events"]![0]!["outcome"]!).Should().Be(("rewrapped", "failure"));
    }

    [Fact]
    public async Task A_purge_destroys_the_identity_and_its_keys_and_frees_the_address_for_new_keys()
    {
        var alice = await _api.RegisterAsync();
        var ciphertext = await _api.EncryptAsync(alice.Email, "shredded");

        // Immediate deletion: an admin's purge (the owner's own delete waits; DeletionTests).
        var delete = await _api.DeleteAsync($"/api/v1/users/{alice.Email}?purge=true", factory.AdminKey);

        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys"), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{alice.Email}/encrypt", new { plaintext = "x" }), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.DecryptAsync(alice.Email, ciphertext, factory.AdminKey), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.DecryptAsync(alice.Email, ciphertext, alice.ApiKey), HttpStatusCode.Unauthorized, Problems.Unauthorized);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.GetAsync($"/get_keys/{alice.Email}"), HttpStatusCode.NotFound);

        var again = await _api.RegisterAsync(alice.Email);

        again.PublicKeyPem.Should().NotBe(alice.PublicKeyPem);
        await ApiClient.ShouldBeProblemAsync(await _api.DecryptAsync(alice.Email, ciphertext, again.ApiKey), HttpStatusCode.BadRequest, Problems.DecryptionFailed);
        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit", again.ApiKey));
        audit["events"]!.AsArray().Select(e => (string)e!["action"]!).Should().Equal(["decrypted", "registered"], "a new registration starts a new trail");
    }

    [Fact]
    public async Task Two_concurrent_rotations_make_versions_2_and_3_and_never_two_version_2s()
    {
        var alice = await _api.RegisterAsync();

        var responses = await Task.WhenAll(
            _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", null, alice.ApiKey),
            _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", null, alice.ApiKey));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        var ring = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys"));
        ring["keys"]!.AsArray().Select(k => (int)k!["version"]!).Should().Equal(1, 2, 3);
        ring["keys"]!.AsArray().Select(k => (string)k!["publicKeyPem"]!).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Rotations_racing_decryptions_never_make_a_decryption_fail()
    {
        var alice = await _api.RegisterAsync();
        var ciphertexts = new[] { await _api.EncryptAsync(alice.Email, "racing"), await _api.EncryptAsync(alice.Email, "racing", "rsa-oaep") };

        var rotations = Enumerable.Range(0, 3).Select(_ => _api.PostAsync($"/api/v1/users/{alice.Email}/keys/rotate", null, alice.ApiKey));
        var decryptions = Enumerable.Range(0, 30).Select(i => _api.DecryptAsync(alice.Email, ciphertexts[i % 2], alice.ApiKey));
        var responses = await Task.WhenAll(rotations.Concat(decryptions));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        ((int)(await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/keys")))["latestVersion"]!).Should().Be(4);
    }

    private async Task<(string Plaintext, int Version)> DecryptedAsync(Registered owner, string ciphertext)
    {
        var response = await _api.DecryptAsync(owner.Email, ciphertext, owner.ApiKey);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await ApiClient.JsonAsync(response);
        return ((string)body["plaintext"]!, (int)body["keyVersion"]!);
    }

    private static string Header(string jwe) => Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(jwe.Split('.')[0]));
}

/// <summary>Registration takes pre-generated keys from the pool instead of generating them.</summary>
public sealed class KeyPoolTests
{
    [Fact]
    public async Task With_a_warm_pool_registrations_take_pooled_keys_and_the_pool_refills()
    {
        // Each registration takes two key pairs: one to encrypt, one to sign.
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Keys:Pool:2048"] = "6" });
        using var api = factory.NewClient();
        await WaitForPoolAsync(api, factory.AdminKey, pool => (int)pool["available"]! == 6);

        for (var i = 0; i < 3; i++)
        {
            await api.RegisterAsync();
        }

        var pool = await WaitForPoolAsync(api, factory.AdminKey, pool => (int)pool["available"]! == 6);
        ((int)pool["takenFromPool"]!).Should().Be(6, "three registrations of two key pairs each");
        ((int)pool["generatedOnDemand"]!).Should().Be(0);
        ((int)pool["generated"]!).Should().Be(12, "six to fill the pool, six to refill it");
    }

    [Fact]
    public async Task With_no_pool_registrations_generate_on_demand()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Keys:Pool:2048"] = "0" });
        using var api = factory.NewClient();

        await api.RegisterAsync();

        var pool = await WaitForPoolAsync(api, factory.AdminKey, _ => true);
        ((int)pool["takenFromPool"]!).Should().Be(0);
        ((int)pool["generatedOnDemand"]!).Should().Be(2, "an encryption and a signing key pair");
    }

    [Fact]
    public async Task Pooled_keys_are_dropped_when_the_server_stops()
    {
        var factory = ApiFactory.With(new Dictionary<string, string?> { ["Keys:Pool:2048"] = "2" });
        using (var api = factory.NewClient())
        {
            await WaitForPoolAsync(api, factory.AdminKey, pool => (int)pool["available"]! == 2);
        }

        var pool = factory.Services.GetRequiredService<KeyPool>();
        await factory.DisposeAsync();

        pool.Status().Should().OnlyContain(s => s.Available == 0, "shutdown wipes and drops every pre-generated key");
        var take = async () => await pool.CreateAsync(CryptoSecure.Domain.Keys.KeySize.Rsa2048, "client", default);
        await take.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Pool_size_and_generation_time_are_published_as_metrics()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Keys:Pool:2048"] = "2" });
        using var api = factory.NewClient();
        var meter = factory.Services.GetRequiredService<KeyGenerationMetrics>().Meter;
        var measurements = new System.Collections.Concurrent.ConcurrentBag<(string Instrument, double Value, int KeySize)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, KeySizeTag(tags))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, KeySizeTag(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, KeySizeTag(tags))));
        listener.Start();

        await api.RegisterAsync();
        await WaitForPoolAsync(api, factory.AdminKey, pool => (int)pool["available"]! == 2);
        listener.RecordObservableInstruments();

        measurements.Should().Contain(m => m.Instrument == "cryptosecure.keygen.duration" && m.KeySize == 2048 && m.Value > 0);
        measurements.Should().Contain(m => m.Instrument == "cryptosecure.keypool.takes" && m.KeySize == 2048);
        measurements.Should().Contain(m => m.Instrument == "cryptosecure.keypool.available" && m.KeySize == 2048 && m.Value == 2);
    }

    private static int KeySizeTag(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "key_size")
            {
                return (int)tag.Value!;
            }
        }

        return 0;
    }

    private static async Task<JsonObject> WaitForPoolAsync(ApiClient api, string adminKey, Func<JsonObject, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var ready = JsonNode.Parse(await (await api.GetAsync("/health/ready", adminKey)).Content.ReadAsStringAsync())!;
            var pool = ready["checks"]!["keyPool"]!["data"]!["rsa2048"]!.AsObject();
            if (condition(pool))
            {
                return pool;
            }

            await Task.Delay(50, deadline.Token);
        }
    }
}
