using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

public sealed class RegistrationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task Registration_answers_201_with_the_documented_shape_and_a_one_time_api_key()
    {
        var email = ApiClient.NewEmail("Reg");

        var response = await _api.PostAsync("/api/v1/users", new { email });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().EndWith($"/api/v1/users/{email}/keys");
        response.Headers.CacheControl!.NoStore.Should().BeTrue("the body holds the API key");
        var body = await ApiClient.JsonAsync(response);
        body.Select(p => p.Key).Should().BeEquivalentTo("email", "keyVersion", "keySize", "publicKeyPem", "createdAt", "apiKey", "exportable", "emailVerified", "verificationExpiresAt");
        ((bool)body["emailVerified"]!).Should().BeFalse("the test server runs with verification Off: usable at once, not proven");
        body["verificationExpiresAt"].Should().BeNull();
        ((string)body["email"]!).Should().Be(email);
        ((int)body["keyVersion"]!).Should().Be(1);
        ((int)body["keySize"]!).Should().Be(2048, "the test server's Keys:DefaultKeySize is 2048");
        ((bool)body["exportable"]!).Should().BeTrue("Keys:ExportableByDefault is true");
        var apiKey = (string)body["apiKey"]!;
        apiKey.Should().MatchRegex("^csk_[A-Za-z0-9_-]{43}$");
        using var rsa = RSA.Create();
        rsa.ImportFromPem((string)body["publicKeyPem"]!);
        rsa.KeySize.Should().Be(2048);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(3072)]
    public async Task A_registration_may_choose_its_key_size(int keySize)
    {
        var registered = await _api.RegisterAsync(keySize: keySize);

        ((int)registered.Body["keySize"]!).Should().Be(keySize);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(registered.PublicKeyPem);
        rsa.KeySize.Should().Be(keySize);
    }

    [Fact]
    public async Task Registering_an_address_twice_in_any_case_is_a_conflict()
    {
        var email = ApiClient.NewEmail("dup");
        await _api.RegisterAsync(email);

        var response = await _api.PostAsync("/api/v1/users", new { email = "  " + email.ToUpperInvariant() + " " });

        await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.Conflict, Problems.Conflict);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("")]
    [InlineData("a b@example.com")]
    [InlineData("Alice <alice@example.com>")]
    public async Task An_invalid_address_is_a_400_with_an_email_field_error(string email)
    {
        var response = await _api.PostAsync("/api/v1/users", new { email });

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        problem["errors"]!["email"]!.AsArray().Should().NotBeEmpty();
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2047)]
    [InlineData(8192)]
    public async Task An_unsupported_key_size_is_a_400_naming_the_sizes(int keySize)
    {
        var response = await _api.PostAsync("/api/v1/users", new { email = ApiClient.NewEmail(), keySize });

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
        ((string)problem["errors"]!["keySize"]![0]!).Should().Contain("2048, 3072 or 4096");
    }

    [Fact]
    public async Task An_address_longer_than_254_characters_is_refused()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        email.Length.Should().BeGreaterThan(254);

        var response = await _api.PostAsync("/api/v1/users", new { email });

        await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, Problems.Validation);
    }
}
