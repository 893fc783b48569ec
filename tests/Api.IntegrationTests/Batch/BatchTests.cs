using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.Errors;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Exceptions;

namespace CryptoSecure.Api.IntegrationTests.Batch;

/// <summary>The batch routes, as ARCHITECTURE.md "Batch" specifies them: order kept, per-item errors, limits, access and audit as for the single routes.</summary>
public sealed class BatchTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task Encrypt_batch_answers_in_order_and_bad_items_fail_alone()
    {
        var owner = await _api.RegisterAsync();

        var items = await ItemsAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/encrypt/batch", new
        {
            items = new object[]
            {
                new { plaintext = "first" },
                new { plaintextBase64 = "not base64!" },
                new { plaintext = "third", format = "rsa-oaep" },
                new { plaintext = "fourth", format = "rot13" },
                new { plaintext = "fifth" },
            },
        }));

        items.Should().HaveCount(5);
        ((string)items[1]["error"]!["type"]!, (int)items[1]["error"]!["status"]!).Should().Be((Problems.Validation, 400));
        ((string)items[3]["error"]!["type"]!).Should().Be(Problems.Validation);
        ((string)items[3]["error"]!["detail"]!).Should().Contain("format");
        items[2]["format"]!.GetValue<string>().Should().Be("rsa-oaep");
        foreach (var (index, expected) in new[] { (0, "first"), (2, "third"), (4, "fifth") })
        {
            items[index].ContainsKey("error").Should().BeFalse();
            var opened = await ApiClient.JsonAsync(await _api.DecryptAsync(owner.Email, (string)items[index]["ciphertext"]!, owner.ApiKey));
            ((string)opened["plaintext"]!).Should().Be(expected);
        }
    }

    [Fact]
    public async Task Decrypt_batch_keeps_order_and_every_failure_is_the_same_error()
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        var first = await _api.EncryptAsync(owner.Email, "one");
        var second = await _api.EncryptAsync(owner.Email, "two", "rsa-oaep");
        var tampered = first[..^6] + (first[^6] == 'A' ? "B" : "A") + first[^5..];
        var othersCiphertext = await _api.EncryptAsync(other.Email, "not yours");

        var items = await ItemsAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/decrypt/batch", new
        {
            items = new object[] { new { ciphertext = second }, new { ciphertext = tampered }, new { ciphertext = "garbage" }, new { ciphertext = othersCiphertext }, new { ciphertext = first } },
        }, owner.ApiKey));

        items.Select(i => (string?)i["plaintext"]).Should().Equal("two", null, null, null, "one");
        var failures = items.Skip(1).Take(3).Select(i => i["error"]!.ToJsonString()).ToList();
        failures.Should().OnlyContain(f => f == failures[0], "an item's decryption failure tells nothing of its cause");
        ((string)items[1]["error"]!["type"]!).Should().Be(Problems.DecryptionFailed);
        items[1].Select(p => p.Key).Should().Equal("error");
    }

    [Fact]
    public async Task Sign_batch_signatures_verify_in_a_verify_batch_that_says_valid_per_item()
    {
        var owner = await _api.RegisterAsync();
        var signed = await ItemsAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/sign/batch", new
        {
            items = new object[] { new { payload = "a" }, new { digestBase64 = "AAAA", format = "raw" }, new { payload = "c", format = "raw", algorithm = "RS256" } },
        }, owner.ApiKey));
        ((string)signed[1]["error"]!["type"]!).Should().Be(Problems.Validation, "a digest is 32 bytes");
        var jws = (string)signed[0]["signature"]!;
        var raw = (string)signed[2]["signature"]!;
        var tampered = jws[..^6] + (jws[^6] == 'A' ? "B" : "A") + jws[^5..];

        var verified = await ItemsAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/verify/batch", new
        {
            items = new object[]
            {
                new { signature = jws },
                new { signature = tampered },
                new { signature = raw, payload = "c", algorithm = "RS256" },
                new { signature = raw, payload = "not c", algorithm = "RS256" },
                new { signature = raw, payload = "c", algorithm = "XS999" },
            },
        }));

        verified.Take(4).Select(i => (bool)i["valid"]!).Should().Equal(true, false, true, false);
        ((int)verified[0]["keyVersion"]!).Should().Be(1);
        ((string)verified[4]["error"]!["type"]!).Should().Be(Problems.Validation);
    }

    [Theory]
    [InlineData("encrypt")]
    [InlineData("decrypt")]
    [InlineData("sign")]
    [InlineData("verify")]
    public async Task No_items_array_or_an_empty_one_is_a_400_problem(string operation)
    {
        var owner = await _api.RegisterAsync();

        var missing = await _api.PostAsync($"/api/v1/users/{owner.Email}/{operation}/batch", new { }, owner.ApiKey);
        var empty = await _api.PostAsync($"/api/v1/users/{owner.Email}/{operation}/batch", new { items = Array.Empty<object>() }, owner.ApiKey);
        var notArray = await _api.PostRawAsync($"/api/v1/users/{owner.Email}/{operation}/batch", "{\"items\":\"x\"}", apiKey: owner.ApiKey);

        (await ApiClient.ShouldBeProblemAsync(missing, HttpStatusCode.BadRequest, Problems.Validation))["errors"]!["items"].Should().NotBeNull();
        (await ApiClient.ShouldBeProblemAsync(empty, HttpStatusCode.BadRequest, Problems.Validation))["errors"]!["items"].Should().NotBeNull();
        await ApiClient.ShouldBeProblemAsync(notArray, HttpStatusCode.BadRequest, Problems.Validation);
    }

    [Fact]
    public async Task More_than_Batch_MaxItems_is_a_400_and_exactly_that_many_is_answered()
    {
        using var limited = ApiFactory.With(new Dictionary<string, string?> { ["Batch:MaxItems"] = "3" });
        using var api = limited.NewClient();
        var owner = await api.RegisterAsync();

        var tooMany = await api.PostAsync($"/api/v1/users/{owner.Email}/encrypt/batch", new { items = Enumerable.Repeat(new { plaintext = "x" }, 4) });
        var enough = await api.PostAsync($"/api/v1/users/{owner.Email}/encrypt/batch", new { items = Enumerable.Repeat(new { plaintext = "x" }, 3) });

        var problem = await ApiClient.ShouldBeProblemAsync(tooMany, HttpStatusCode.BadRequest, Problems.Validation);
        problem["errors"]!["items"]![0]!.GetValue<string>().Should().Contain("3");
        (await ItemsAsync(enough)).Should().HaveCount(3);
    }

    [Theory]
    [InlineData("decrypt", "{\"items\":[{\"ciphertext\":\"x\"}]}")]
    [InlineData("sign", "{\"items\":[{\"payload\":\"x\"}]}")]
    public async Task A_stranger_is_refused_the_whole_owner_only_batch(string operation, string body)
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();

        var anonymous = await _api.PostRawAsync($"/api/v1/users/{owner.Email}/{operation}/batch", body);
        var stranger = await _api.PostRawAsync($"/api/v1/users/{owner.Email}/{operation}/batch", body, apiKey: other.ApiKey);

        await ApiClient.ShouldBeProblemAsync(anonymous, HttpStatusCode.Unauthorized, Problems.Unauthorized);
        await ApiClient.ShouldBeProblemAsync(stranger, HttpStatusCode.Forbidden, Problems.Forbidden);
    }

    [Fact]
    public async Task An_unknown_identity_is_a_404_for_the_whole_batch()
    {
        var response = await _api.PostAsync($"/api/v1/users/{ApiClient.NewEmail()}/encrypt/batch", new { items = new[] { new { plaintext = "x" } } });

        await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Fact]
    public async Task Each_item_is_one_audit_event_failures_included()
    {
        var owner = await _api.RegisterAsync();
        var ciphertext = await _api.EncryptAsync(owner.Email, "audited");

        await _api.PostAsync($"/api/v1/users/{owner.Email}/encrypt/batch", new { items = new[] { new { plaintext = "a" }, new { plaintext = "b" }, new { plaintext = "c" } } });
        await _api.PostAsync($"/api/v1/users/{owner.Email}/decrypt/batch", new { items = new[] { new { ciphertext }, new { ciphertext = "garbage" } } }, owner.ApiKey);

        var trail = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", owner.ApiKey));
        trail["events"]!.AsArray().Select(e => ((string)e!["action"]!, (string)e["outcome"]!)).Should().Equal(
            ("decrypted", "failure"),
            ("decrypted", "success"),
            ("encrypted", "success"),
            ("encrypted", "success"),
            ("encrypted", "success"),
            ("encrypted", "success"),
            ("registered", "success"));
    }

    [Fact]
    public void An_item_refused_by_a_full_private_key_gate_gets_the_single_routes_503_problem()
    {
        var error = BatchItemErrors.Of(new ServiceBusyException("All private-key slots are busy; try again shortly.", TimeSpan.FromSeconds(1)));

        (error.Type, error.Status, error.Title).Should().Be((Problems.Unavailable, 503, "Service busy"));
    }

    private static async Task<List<JsonObject>> ItemsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }
}
