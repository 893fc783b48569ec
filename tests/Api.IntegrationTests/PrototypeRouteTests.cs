using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>The Flask prototype's four routes, byte-compatible for old clients.</summary>
public sealed class PrototypeRouteTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    private async Task<(string Email, string PublicKey, string? PrivateKey, string ApiKey)> TakeUserAsync(string? email = null)
    {
        email ??= ApiClient.NewEmail("proto");
        var response = await _api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = email });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await ApiClient.JsonAsync(response);
        return (email, (string)body["public_key"]!, (string?)body["private_key"], (string)body["api_key"]!);
    }

    [Fact]
    public async Task Takeuser_answers_201_with_exactly_the_prototype_fields()
    {
        var email = ApiClient.NewEmail("proto");

        var response = await _api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = email });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await ApiClient.JsonAsync(response);
        body.Select(p => p.Key).Should().Equal("email", "public_key", "private_key", "api_key");
        ((string)body["email"]!).Should().Be(email);
        ((string)body["public_key"]!).Should().StartWith("-----BEGIN PUBLIC KEY-----");
        ((string)body["private_key"]!).Should().StartWith("-----BEGIN PRIVATE KEY-----");
        ((string)body["api_key"]!).Should().StartWith("csk_");
    }

    [Fact]
    public async Task Takeuser_leaves_out_the_private_key_when_the_server_makes_keys_non_exportable()
    {
        using var nonExportable = ApiFactory.With(new Dictionary<string, string?> { ["Keys:ExportableByDefault"] = "false" });
        using var api = nonExportable.NewClient();

        var response = await api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = ApiClient.NewEmail() });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await ApiClient.JsonAsync(response);
        body.Select(p => p.Key).Should().Equal("email", "public_key", "api_key");
    }

    [Fact]
    public async Task Get_keys_gives_the_public_key_to_anyone_and_the_private_key_only_to_its_owner()
    {
        var user = await TakeUserAsync();
        var other = await TakeUserAsync();

        var anonymous = await ApiClient.JsonAsync(await _api.GetAsync($"/get_keys/{user.Email}"));
        var foreign = await ApiClient.JsonAsync(await _api.GetAsync($"/get_keys/{user.Email}", other.ApiKey));
        var owner = await ApiClient.JsonAsync(await _api.GetAsync($"/get_keys/{user.Email}", user.ApiKey));

        anonymous.Select(p => p.Key).Should().Equal("email", "public_key");
        ((string)anonymous["public_key"]!).Should().Be(user.PublicKey);
        foreign.Select(p => p.Key).Should().Equal("email", "public_key");
        owner.Select(p => p.Key).Should().Equal("email", "public_key", "private_key");
        ((string)owner["private_key"]!).Should().Be(user.PrivateKey);
    }

    [Fact]
    public async Task Get_keys_never_returns_a_non_exportable_private_key_even_to_its_owner_or_an_admin()
    {
        var registered = await _api.RegisterAsync(exportable: false);

        var owner = await ApiClient.JsonAsync(await _api.GetAsync($"/get_keys/{registered.Email}", registered.ApiKey));
        var admin = await ApiClient.JsonAsync(await _api.GetAsync($"/get_keys/{registered.Email}", factory.AdminKey));

        owner.Select(p => p.Key).Should().Equal("email", "public_key");
        admin.Select(p => p.Key).Should().Equal("email", "public_key");
    }

    [Fact]
    public async Task Encrypt_gives_hex_RSA_OAEP_SHA256_that_the_exported_PEM_decrypts_like_the_prototype()
    {
        var user = await TakeUserAsync();

        var response = await _api.PostAsync($"/encrypt/{user.Email}", new { plaintext = "legacy secret" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await ApiClient.JsonAsync(response);
        body.Select(p => p.Key).Should().Equal("ciphertext");
        var hex = (string)body["ciphertext"]!;
        hex.Should().MatchRegex("^[0-9a-f]+$").And.HaveLength(2 * 256);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(user.PrivateKey);
        Encoding.UTF8.GetString(rsa.Decrypt(Convert.FromHexString(hex), RSAEncryptionPadding.OaepSHA256)).Should().Be("legacy secret");
    }

    [Fact]
    public async Task Decrypt_takes_the_hex_ciphertext_with_the_owners_key()
    {
        var user = await TakeUserAsync();
        var hex = (string)(await ApiClient.JsonAsync(await _api.PostAsync($"/encrypt/{user.Email}", new { plaintext = "round trip" })))["ciphertext"]!;

        var response = await _api.PostAsync($"/decrypt/{user.Email}", new { ciphertext = hex }, user.ApiKey);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await ApiClient.JsonAsync(response);
        body.Select(p => p.Key).Should().Equal("plaintext");
        ((string)body["plaintext"]!).Should().Be("round trip");
    }

    [Fact]
    public async Task Prototype_errors_use_the_error_shape_and_the_right_codes()
    {
        var user = await TakeUserAsync();
        var other = await TakeUserAsync();
        var hex = (string)(await ApiClient.JsonAsync(await _api.PostAsync($"/encrypt/{user.Email}", new { plaintext = "x" })))["ciphertext"]!;

        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostAsync($"/decrypt/{user.Email}", new { ciphertext = hex }), HttpStatusCode.Unauthorized);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostAsync($"/decrypt/{user.Email}", new { ciphertext = hex }, other.ApiKey), HttpStatusCode.Forbidden);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.GetAsync($"/get_keys/{ApiClient.NewEmail()}"), HttpStatusCode.NotFound);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = user.Email }), HttpStatusCode.Conflict);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = "nope" }), HttpStatusCode.BadRequest);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostRawAsync("/takeuser", "{\"Email\":"), HttpStatusCode.BadRequest);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostRawAsync("/takeuser", "Email=x", "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType);
        var tooLong = await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostAsync($"/encrypt/{user.Email}", new { plaintext = new string('a', 191) }), HttpStatusCode.BadRequest);
        tooLong.Should().Contain("190 bytes");
    }

    [Fact]
    public async Task Requests_routing_refuses_before_any_action_keep_the_shape_of_the_route_group_they_were_for()
    {
        // 405 and 415 come from routing with endpoints that carry no metadata, a 404 with none at all.
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.GetAsync("/takeuser"), HttpStatusCode.MethodNotAllowed);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.DeleteAsync($"/encrypt/{ApiClient.NewEmail()}"), HttpStatusCode.MethodNotAllowed);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostRawAsync($"/decrypt/{ApiClient.NewEmail()}", "00", "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.GetAsync("/get_keys/a/b"), HttpStatusCode.NotFound);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.GetAsync("/TAKEUSER/x"), HttpStatusCode.NotFound);

        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync("/api/v1/users"), HttpStatusCode.MethodNotAllowed, Problems.ClientError);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync("/takeusers"), HttpStatusCode.NotFound, Problems.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync("/encrypted/x"), HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Fact]
    public async Task Every_bad_hex_ciphertext_gets_the_same_prototype_error()
    {
        var user = await TakeUserAsync();
        var hex = (string)(await ApiClient.JsonAsync(await _api.PostAsync($"/encrypt/{user.Email}", new { plaintext = "x" })))["ciphertext"]!;
        // Also what would be a valid v1 ciphertext: the base64 of this very ciphertext, and a JWE.
        var base64 = Convert.ToBase64String(Convert.FromHexString(hex));
        var jwe = await _api.EncryptAsync(user.Email, "x");
        string[] bad = ["zz", "abc", "zzzz", hex[..^2], hex[..^2] + (hex[^2..] == "00" ? "01" : "00"), hex + "00", "00", base64, jwe];

        var answers = new List<string>();
        foreach (var ciphertext in bad)
        {
            answers.Add(await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostAsync($"/decrypt/{user.Email}", new { ciphertext }, user.ApiKey), HttpStatusCode.BadRequest));
        }

        answers.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Bad_hex_is_judged_like_any_bad_ciphertext_after_the_identity_is_found_and_is_audited()
    {
        var user = await TakeUserAsync();

        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostAsync($"/decrypt/{ApiClient.NewEmail()}", new { ciphertext = "zz" }, factory.AdminKey), HttpStatusCode.NotFound);
        await ApiClient.ShouldBePrototypeErrorAsync(await _api.PostAsync($"/decrypt/{user.Email}", new { ciphertext = "zz" }, user.ApiKey), HttpStatusCode.BadRequest);

        var trail = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{user.Email}/audit", user.ApiKey));
        var newest = trail["events"]![0]!;
        ((string)newest["action"]!, (string)newest["outcome"]!).Should().Be(("decrypted", "failure"));
    }

    [SkippableFact]
    public async Task A_ciphertext_from_encrypt_decrypts_with_Pythons_cryptography_and_the_exported_PEM()
    {
        Skip.IfNot(PythonCryptography.IsAvailable, "python3 with the 'cryptography' package is not installed: the Python interoperability check did not run.");
        var user = await TakeUserAsync();
        var hex = (string)(await ApiClient.JsonAsync(await _api.PostAsync($"/encrypt/{user.Email}", new { plaintext = "from the prototype era" })))["ciphertext"]!;

        var plaintext = await PythonCryptography.OaepSha256DecryptAsync(user.PrivateKey!, hex);

        plaintext.Should().Be("from the prototype era");
    }
}

/// <summary>Runs Python's 'cryptography' package, as the prototype's clients would.</summary>
internal static class PythonCryptography
{
    private const string Script = """
        import os, sys
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        key = serialization.load_pem_private_key(os.environ["PEM"].encode(), password=None)
        oaep = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
        sys.stdout.write(key.decrypt(bytes.fromhex(os.environ["HEX"]), oaep).decode("utf-8"))
        """;

    // The first Python that has the package: the one on PATH, else Debian's (python3-cryptography).
    private static readonly string? Interpreter = new[] { "python3", "/usr/bin/python3" }
        .FirstOrDefault(python => Run(python, "import cryptography", new Dictionary<string, string>()).GetAwaiter().GetResult().ExitCode == 0);

    public static bool IsAvailable => Interpreter is not null;

    public static async Task<string> OaepSha256DecryptAsync(string pem, string hex)
    {
        var (exitCode, output, error) = await Run(Interpreter!, Script, new Dictionary<string, string> { ["PEM"] = pem, ["HEX"] = hex });
        exitCode.Should().Be(0, error);
        return output;
    }

    private const string VerifyScript = """
        import base64, os, sys
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        key = serialization.load_pem_public_key(os.environ["PEM"].encode())
        scheme = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32) if os.environ["ALG"] == "PS256" else padding.PKCS1v15()
        try:
            key.verify(base64.b64decode(os.environ["SIGNATURE"]), base64.b64decode(os.environ["PAYLOAD"]), scheme, hashes.SHA256())
            sys.stdout.write("valid")
        except InvalidSignature:
            sys.stdout.write("invalid")
        """;

    /// <summary>Whether Python verifies a raw signature (base64) of <paramref name="payload"/> with the SPKI PEM.</summary>
    public static async Task<bool> VerifiesAsync(string publicPem, byte[] payload, string signatureBase64, string algorithm)
    {
        var (exitCode, output, error) = await Run(Interpreter!, VerifyScript, new Dictionary<string, string>
        {
            ["PEM"] = publicPem, ["PAYLOAD"] = Convert.ToBase64String(payload), ["SIGNATURE"] = signatureBase64, ["ALG"] = algorithm,
        });
        exitCode.Should().Be(0, error);
        return output == "valid";
    }

    private static async Task<(int ExitCode, string Output, string Error)> Run(string python, string script, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(python, ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output, error);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, string.Empty, "python3 not found");
        }
    }
}
