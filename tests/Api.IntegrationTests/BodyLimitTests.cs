using System.Net;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Jose;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Encryption:MaxPlaintextBytes is the limit a client sees, whatever JSON encoder it uses; the body
/// limit (one value, for chunked and Content-Length bodies alike) only stops what could never fit.
/// </summary>
public sealed class BodyLimitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int MiB = 1024 * 1024;
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task A_MiB_of_e_acute_sent_as_ASCII_escaped_JSON_encrypts_and_decrypts_back()
    {
        var registered = await _api.RegisterAsync();
        var text = new string('é', MiB / 2); // 2 UTF-8 bytes each: exactly the limit

        // Python's json.dumps writes every non-ASCII character as \u00e9: 3 MiB of JSON.
        var body = "{\"plaintext\":\"" + Escape(text) + "\"}";
        var response = await _api.PostRawAsync($"/api/v1/users/{registered.Email}/encrypt", body);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var ciphertext = (string)(await ApiClient.JsonAsync(response))["ciphertext"]!;
        var decrypted = await _api.DecryptAsync(registered.Email, ciphertext, registered.ApiKey);
        ((string)(await ApiClient.JsonAsync(decrypted))["plaintext"]!).Should().Be(text);
    }

    [Fact]
    public async Task The_largest_plaintext_is_accepted_with_every_character_escaped_as_text_or_as_base64()
    {
        var registered = await _api.RegisterAsync();
        var bytes = RandomNumberGenerator.GetBytes(MiB);

        var asText = await _api.PostRawAsync(
            $"/api/v1/users/{registered.Email}/encrypt", "{\"plaintext\":\"" + Escape(new string('a', MiB)) + "\"}");
        var asBase64 = await _api.PostRawAsync(
            $"/api/v1/users/{registered.Email}/encrypt", "{\"plaintextBase64\":\"" + Escape(Convert.ToBase64String(bytes)) + "\"}");

        asText.StatusCode.Should().Be(HttpStatusCode.OK, "6 MiB of \\u0061 escapes still hold 1 MiB of text");
        asBase64.StatusCode.Should().Be(HttpStatusCode.OK, "base64 of 1 MiB with every character escaped is the worst case, 8 MiB");
        var ciphertext = (string)(await ApiClient.JsonAsync(asBase64))["ciphertext"]!;
        var decrypted = await _api.DecryptAsync(registered.Email, ciphertext, registered.ApiKey);
        Convert.FromBase64String((string)(await ApiClient.JsonAsync(decrypted))["plaintextBase64"]!).Should().Equal(bytes);
    }

    [Fact]
    public async Task One_byte_over_the_plaintext_limit_is_a_400_that_names_the_limit_however_it_is_encoded()
    {
        var registered = await _api.RegisterAsync();

        var plain = await _api.PostAsync($"/api/v1/users/{registered.Email}/encrypt", new { plaintext = new string('a', MiB + 1) });
        var escaped = await _api.PostRawAsync(
            $"/api/v1/users/{registered.Email}/encrypt", "{\"plaintext\":\"" + Escape(new string('é', (MiB / 2) + 1)) + "\"}");

        foreach (var response in new[] { plain, escaped })
        {
            var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
            problem["errors"]!["plaintext"]![0]!.ToString().Should().Contain($"{MiB} bytes");
        }
    }

    [Fact]
    public async Task A_JWE_made_elsewhere_decrypts_up_to_the_plaintext_limit_and_is_refused_with_a_clear_400_beyond_it()
    {
        var registered = await _api.RegisterAsync();
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(registered.PublicKeyPem);

        var atLimit = JWT.EncodeBytes(RandomNumberGenerator.GetBytes(MiB), publicKey, JweAlgorithm.RSA_OAEP_256, JweEncryption.A256GCM);
        var overLimit = JWT.EncodeBytes(RandomNumberGenerator.GetBytes(MiB + 1), publicKey, JweAlgorithm.RSA_OAEP_256, JweEncryption.A256GCM);

        (await _api.DecryptAsync(registered.Email, atLimit, registered.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = await ApiClient.ShouldBeProblemAsync(
            await _api.DecryptAsync(registered.Email, overLimit, registered.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);
        refused["errors"]!["ciphertext"]![0]!.ToString().Should().Contain("Encryption:MaxPlaintextBytes");
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length * 6);
        foreach (var c in text)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }

        return builder.ToString();
    }
}

/// <summary>The body limit on the real server (Kestrel): one value for declared and chunked lengths.</summary>
public sealed class BodyLimitOnKestrelTests
{
    private const int MaxPlaintext = 4096;
    private const int Limit = (8 * MaxPlaintext) + (64 * 1024);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_of_exactly_the_limit_is_read_and_one_byte_more_is_413_chunked_or_not(bool chunked)
    {
        using var factory = ApiFactory.OnKestrel(new Dictionary<string, string?> { ["Encryption:MaxPlaintextBytes"] = MaxPlaintext.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var api = new ApiClient(factory.CreateClient());
        var registered = await api.RegisterAsync();
        var path = $"/api/v1/users/{registered.Email}/encrypt";

        var atLimit = await SendPaddedAsync(api, path, Limit, chunked);
        var overLimit = await SendPaddedAsync(api, path, Limit + 1, chunked);

        atLimit.StatusCode.Should().Be(HttpStatusCode.OK, await atLimit.Content.ReadAsStringAsync());
        await ApiClient.ShouldBeProblemAsync(overLimit, HttpStatusCode.RequestEntityTooLarge, Problems.PayloadTooLarge);
    }

    /// <summary>A valid encrypt body of exactly <paramref name="size"/> bytes (JSON whitespace as padding).</summary>
    private static async Task<HttpResponseMessage> SendPaddedAsync(ApiClient api, string path, int size, bool chunked)
    {
        const string Json = "{\"plaintext\":\"hello\"}";
        var body = Encoding.UTF8.GetBytes("{" + new string(' ', size - Json.Length) + Json[1..]);
        body.Length.Should().Be(size);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = chunked ? new StreamContent(new NonSeekableStream(body)) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = chunked;
        return await api.Http.SendAsync(request);
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
