using System.Net;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

public sealed class EncryptionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Theory]
    [InlineData("jwe")]
    [InlineData("rsa-oaep")]
    public async Task Text_encrypted_to_an_identity_decrypts_for_its_owner(string format)
    {
        var registered = await _api.RegisterAsync();

        var encrypt = await _api.PostAsync($"/api/v1/users/{registered.Email}/encrypt", new { plaintext = "héllo wörld ✓", format });
        encrypt.StatusCode.Should().Be(HttpStatusCode.OK);
        var encrypted = await ApiClient.JsonAsync(encrypt);
        ((string)encrypted["format"]!).Should().Be(format);
        ((int)encrypted["keyVersion"]!).Should().Be(1);
        var decrypt = await _api.DecryptAsync(registered.Email, (string)encrypted["ciphertext"]!, registered.ApiKey);

        decrypt.StatusCode.Should().Be(HttpStatusCode.OK);
        var decrypted = await ApiClient.JsonAsync(decrypt);
        ((string)decrypted["plaintext"]!).Should().Be("héllo wörld ✓");
        ((string)decrypted["plaintextBase64"]!).Should().Be(Convert.ToBase64String(Encoding.UTF8.GetBytes("héllo wörld ✓")));
        ((int)decrypted["keyVersion"]!).Should().Be(1);
    }

    [Fact]
    public async Task The_default_format_is_a_JWE_naming_RSA_OAEP_256_A256GCM_and_the_key_version()
    {
        var registered = await _api.RegisterAsync();

        var jwe = await _api.EncryptAsync(registered.Email, "x");

        jwe.Split('.').Should().HaveCount(5);
        var header = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(jwe.Split('.')[0]));
        header.Should().Contain("\"alg\":\"RSA-OAEP-256\"").And.Contain("\"enc\":\"A256GCM\"").And.MatchRegex("\"kid\":\"[0-9a-f]{32}-v1\"");
        header.Should().NotContain(registered.Email, "the readable header must not reveal whom the ciphertext is for");
    }

    [Fact]
    public async Task Binary_data_round_trips_as_base64_and_is_not_forced_into_text()
    {
        var registered = await _api.RegisterAsync();
        var data = new byte[] { 0xff, 0xfe, 0x00, 0x80, 0xc3 };

        var encrypt = await _api.PostAsync($"/api/v1/users/{registered.Email}/encrypt", new { plaintextBase64 = Convert.ToBase64String(data) });
        var ciphertext = (string)(await ApiClient.JsonAsync(encrypt))["ciphertext"]!;
        var decrypted = await ApiClient.JsonAsync(await _api.DecryptAsync(registered.Email, ciphertext, registered.ApiKey));

        decrypted["plaintext"].Should().BeNull("the bytes are not UTF-8");
        Convert.FromBase64String((string)decrypted["plaintextBase64"]!).Should().Equal(data);
    }

    [Fact]
    public async Task One_MiB_round_trips_as_JWE()
    {
        var registered = await _api.RegisterAsync();
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);

        var encrypt = await _api.PostAsync($"/api/v1/users/{registered.Email}/encrypt", new { plaintextBase64 = Convert.ToBase64String(data) });
        encrypt.StatusCode.Should().Be(HttpStatusCode.OK, await encrypt.Content.ReadAsStringAsync());
        var ciphertext = (string)(await ApiClient.JsonAsync(encrypt))["ciphertext"]!;
        var decrypt = await _api.DecryptAsync(registered.Email, ciphertext, registered.ApiKey);

        decrypt.StatusCode.Should().Be(HttpStatusCode.OK);
        Convert.FromBase64String((string)(await ApiClient.JsonAsync(decrypt))["plaintextBase64"]!).Should().Equal(data);
    }

    [Fact]
    public async Task A_plaintext_over_the_limit_is_refused_with_the_limit_in_the_message()
    {
        var registered = await _api.RegisterAsync();

        var response = await _api.PostAsync($"/api/v1/users/{registered.Email}/encrypt", new { plaintextBase64 = Convert.ToBase64String(new byte[(1024 * 1024) + 1]) });

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        problem["errors"]!["plaintextBase64"]![0]!.ToString().Should().Contain("1048576 bytes");
    }

    [Theory]
    [InlineData(2048, 190)]
    [InlineData(3072, 318)]
    public async Task Raw_RSA_OAEP_takes_exactly_k_minus_66_bytes_and_says_so_beyond(int keySize, int limit)
    {
        var registered = await _api.RegisterAsync(keySize: keySize);
        var path = $"/api/v1/users/{registered.Email}/encrypt";

        var fits = await _api.PostAsync(path, new { plaintext = new string('a', limit), format = "rsa-oaep" });
        var tooLong = await _api.PostAsync(path, new { plaintext = new string('a', limit + 1), format = "rsa-oaep" });

        fits.StatusCode.Should().Be(HttpStatusCode.OK);
        var problem = await ApiClient.ShouldBeProblemAsync(tooLong, HttpStatusCode.BadRequest, Problems.Validation);
        problem["errors"]!["plaintext"]![0]!.ToString().Should().Contain($"at most {limit} bytes");
    }

    [Fact]
    public async Task Encrypting_needs_exactly_one_plaintext_and_a_known_format()
    {
        var registered = await _api.RegisterAsync();
        var path = $"/api/v1/users/{registered.Email}/encrypt";

        var neither = await _api.PostAsync(path, new { format = "jwe" });
        var both = await _api.PostAsync(path, new { plaintext = "a", plaintextBase64 = "YQ==" });
        var unknown = await _api.PostAsync(path, new { plaintext = "a", format = "RSA1_5" });

        (await ApiClient.ShouldBeProblemAsync(neither, HttpStatusCode.BadRequest, Problems.Validation))["errors"]!["plaintext"].Should().NotBeNull();
        (await ApiClient.ShouldBeProblemAsync(both, HttpStatusCode.BadRequest, Problems.Validation))["errors"]!["plaintext"].Should().NotBeNull();
        (await ApiClient.ShouldBeProblemAsync(unknown, HttpStatusCode.BadRequest, Problems.Validation))["errors"]!["format"].Should().NotBeNull();
    }

    [Fact]
    public async Task Encrypting_to_an_unknown_identity_is_404()
    {
        var response = await _api.PostAsync($"/api/v1/users/{ApiClient.NewEmail()}/encrypt", new { plaintext = "x" });

        await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Fact]
    public async Task Every_kind_of_bad_ciphertext_gets_the_identical_400_body()
    {
        var registered = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        var jwe = await _api.EncryptAsync(registered.Email, "secret");
        var raw = await _api.EncryptAsync(registered.Email, "secret", "rsa-oaep");
        var forOther = await _api.EncryptAsync(other.Email, "secret");
        var parts = jwe.Split('.');
        var rawBytes = Convert.FromBase64String(raw);
        rawBytes[^1] ^= 1;
        string[] bad =
        [
            "not a ciphertext",
            "AAAA",
            Convert.ToBase64String(rawBytes),
            Convert.ToBase64String(rawBytes[..^1]),
            forOther,
            string.Join('.', parts[0], parts[1], parts[2], parts[3], Flip(parts[4])),
            string.Join('.', parts[0], Flip(parts[1]), parts[2], parts[3], parts[4]),
            string.Join('.', parts[0], parts[1], parts[2], Flip(parts[3]), parts[4]),
            string.Join('.', Header("{\"alg\":\"RSA1_5\",\"enc\":\"A256GCM\"}"), parts[1], parts[2], parts[3], parts[4]),
            string.Join('.', Header("{\"alg\":\"none\",\"enc\":\"A256GCM\"}"), parts[1], parts[2], parts[3], parts[4]),
            string.Join('.', parts[0], parts[1], parts[2], parts[3]) + ".",
            jwe + "x",
            jwe.Replace('.', '!'),
        ];

        var bodies = new List<string>();
        foreach (var ciphertext in bad)
        {
            var response = await _api.DecryptAsync(registered.Email, ciphertext, registered.ApiKey);
            await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.DecryptionFailed);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        bodies.Distinct().Should().ContainSingle("nothing in the answer may tell the causes apart");
    }

    private static string Flip(string part) => (part[0] == 'A' ? 'B' : 'A') + part[1..];

    private static string Header(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
