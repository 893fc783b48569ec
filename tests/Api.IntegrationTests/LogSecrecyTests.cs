using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>Everything the server logs during a full session, searched for secrets.</summary>
public sealed class LogSecrecyTests
{
    [Fact]
    public async Task No_plaintext_ciphertext_api_key_private_key_or_master_key_is_ever_logged()
    {
        // Every level of every category, so that a secret in a Debug line fails too.
        using var factory = ApiFactory.With(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        using var api = factory.NewClient();
        var plaintext = "PLAINTEXT-" + Guid.NewGuid().ToString("N");

        var alice = await api.RegisterAsync();
        var jwe = await api.EncryptAsync(alice.Email, plaintext);
        var raw = await api.EncryptAsync(alice.Email, plaintext, "rsa-oaep");
        (await api.DecryptAsync(alice.Email, jwe, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.DecryptAsync(alice.Email, raw + "AAAA", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var privateKeyPem = (string)(await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{alice.Email}/keys/private", alice.ApiKey)))["privateKeyPem"]!;
        (await api.PostAsync($"/api/v1/users/{alice.Email}/rewrap", new { ciphertext = jwe }, alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.GetAsync($"/api/v1/users/{alice.Email}/keys/private", "csk_wrong-" + alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await api.GetAsync($"/api/v1/users/{alice.Email}/audit", factory.AdminKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        var takeuser = await ApiClient.JsonAsync(await api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = ApiClient.NewEmail() }));
        (await api.PostRawAsync("/api/v1/users", "{\"email\":\"" + plaintext + "\"")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var logs = factory.Logs.All;
        logs.Should().Contain("/api/v1/users", "request logging must be on, or this test proves nothing");
        logs.Should().MatchRegex("decryption failed, cause (WrongLength|RsaDecryptionFailed|Malformed)", "the decryption failure is logged, by cause code only");

        string[] secrets =
        [
            plaintext,
            jwe,
            jwe.Split('.')[1],
            raw,
            alice.ApiKey,
            alice.ApiKey["csk_".Length..],
            (string)takeuser["api_key"]!,
            factory.AdminKey,
            factory.Setting("Security:MasterKey")!,
            PemBody(privateKeyPem),
            PemBody((string)takeuser["private_key"]!),
        ];
        foreach (var secret in secrets)
        {
            logs.Should().NotContain(secret);
        }
    }

    // A line from the middle of the PEM body: long enough to be unique, independent of line wrapping.
    private static string PemBody(string pem) => pem.Split('\n')[5];
}
