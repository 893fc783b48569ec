using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Mail;

namespace CryptoSecure.Api.IntegrationTests.EmailOwnership;

/// <summary>
/// Email ownership over HTTP with <c>Registration:EmailVerification=Required</c>: registration
/// mails a code, the owner's API key plus that code verify the address, and until then the identity
/// is invisible to everyone else. Codes come from a recording mailer (the mailbox).
/// </summary>
public sealed class EmailOwnershipTests(VerificationFactory factory) : IClassFixture<VerificationFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    private RecordingMailer Mailbox => factory.Mailer;

    [Fact]
    public async Task Register_read_the_mailed_code_verify_and_the_identity_becomes_public()
    {
        var email = ApiClient.NewEmail("flow");

        var response = await _api.PostAsync("/api/v1/users", new { email });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await ApiClient.JsonAsync(response);
        ((bool)body["emailVerified"]!).Should().BeFalse();
        var expiresAt = DateTimeOffset.Parse((string)body["verificationExpiresAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        expiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(24), TimeSpan.FromMinutes(1), "Registration:VerificationHours is 24");
        var apiKey = (string)body["apiKey"]!;
        var mail = Mailbox.To(email).Should().ContainSingle().Subject;
        mail.Code.Should().MatchRegex("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$", "10 characters, no 0/O/1/I/L");
        mail.ExpiresAt.Should().Be(expiresAt);

        (await _api.GetAsync($"/api/v1/users/{email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound, "pending: invisible to the public");
        var own = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{email}/keys", apiKey));
        ((bool)own["emailVerified"]!).Should().BeFalse("its owner sees it, unverified");

        var verified = await _api.PostAsync($"/api/v1/users/{email}/email-verification", new { code = mail.Code.ToLowerInvariant() }, apiKey);

        verified.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ApiClient.JsonAsync(verified)).ToJsonString().Should().Be("""{"emailVerified":true}""");
        var published = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{email}/keys"));
        ((bool)published["emailVerified"]!).Should().BeTrue();
        await _api.EncryptAsync(email, "now anyone may encrypt to it");
        (await _api.PostAsync($"/api/v1/users/{email}/sign", new { payload = "signed" }, apiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        var again = await _api.PostAsync($"/api/v1/users/{email}/email-verification", new { code = mail.Code }, apiKey);
        await ApiClient.ShouldBeProblemAsync(again, HttpStatusCode.Conflict, Problems.Conflict);
    }

    [Fact]
    public async Task The_mailbox_owner_verifies_first_and_the_squatters_registration_and_key_are_gone()
    {
        var email = ApiClient.NewEmail("squat");
        var squatter = await _api.RegisterAsync(email);
        var owner = await _api.RegisterAsync(email);
        Mailbox.To(email).Should().HaveCount(2, "both registrations mailed the mailbox, not the squatter");
        var ownersCode = Mailbox.To(email)[1].Code;

        var guessed = await _api.PostAsync($"/api/v1/users/{email}/email-verification", new { code = ownersCode.Replace(ownersCode[0], ownersCode[0] == 'A' ? 'B' : 'A') }, squatter.ApiKey);
        await ApiClient.ShouldBeProblemAsync(guessed, HttpStatusCode.BadRequest, Problems.WrongCode);
        var stolenCode = await _api.PostAsync($"/api/v1/users/{email}/email-verification", new { code = ownersCode }, squatter.ApiKey);
        await ApiClient.ShouldBeProblemAsync(stolenCode, HttpStatusCode.BadRequest, Problems.WrongCode);

        (await _api.PostAsync($"/api/v1/users/{email}/email-verification", new { code = ownersCode }, owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        var keys = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{email}/keys"));
        ((string)keys["keys"]![0]!["publicKeyPem"]!).Should().Be(owner.PublicKeyPem, "the address now publishes the owner's key");
        (await _api.GetAsync($"/api/v1/users/{email}/audit", squatter.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the squatter's key died with its registration");
        var squattersCode = Mailbox.To(email)[0].Code;
        (await _api.PostAsync($"/api/v1/users/{email}/email-verification", new { code = squattersCode }, squatter.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _api.PostAsync("/api/v1/users", new { email })).StatusCode.Should().Be(HttpStatusCode.Conflict, "a verified address is held");
    }

    [Fact]
    public async Task Five_wrong_codes_end_the_code_even_the_right_one_then_fails_and_a_resent_code_works()
    {
        var owner = await _api.RegisterAsync(ApiClient.NewEmail("brute"));
        var code = Mailbox.LatestCode(owner.Email);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code = $"WRONGCODE{i + 2}" }, owner.ApiKey);
            var problem = await ApiClient.ShouldBeProblemAsync(wrong, HttpStatusCode.BadRequest, Problems.WrongCode);
            problem.ToJsonString().Should().NotContain(code);
        }

        var right = await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code }, owner.ApiKey);
        await ApiClient.ShouldBeProblemAsync(right, HttpStatusCode.BadRequest, Problems.WrongCode);

        var resent = await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification/resend", null, owner.ApiKey);
        resent.StatusCode.Should().Be(HttpStatusCode.OK);
        var fresh = Mailbox.LatestCode(owner.Email);
        fresh.Should().NotBe(code);
        (await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code }, owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.BadRequest, "the old code is replaced");
        (await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code = fresh }, owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Mails_to_one_address_are_limited_per_hour_with_a_429_and_Retry_After_even_with_rate_limiting_off()
    {
        factory.Setting("RateLimiting:Enabled").Should().Be("false");
        var owner = await _api.RegisterAsync(ApiClient.NewEmail("limit"));

        (await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification/resend", null, owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification/resend", null, owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        var fourth = await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification/resend", null, owner.ApiKey);
        var another = await _api.PostAsync("/api/v1/users", new { email = owner.Email.ToUpperInvariant() });

        await ApiClient.ShouldBeProblemAsync(fourth, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
        int.Parse(fourth.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(3500, 3600);
        await ApiClient.ShouldBeProblemAsync(another, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
        Mailbox.To(owner.Email).Should().HaveCount(3, "Registration:MailsPerAddressPerHour is 3");
    }

    [Fact]
    public async Task A_pending_identity_answers_every_public_route_exactly_as_an_unknown_address_and_cannot_sign()
    {
        var pending = await _api.RegisterAsync(ApiClient.NewEmail("hidden"));
        var stranger = await _api.RegisterAsync(ApiClient.NewEmail("stranger"));
        var unknown = ApiClient.NewEmail("nobody");
        (string Method, string Path, object? Body)[] routes =
        [
            ("GET", "/api/v1/users/{0}/keys", null),
            ("GET", "/api/v1/users/{0}/jwks", null),
            ("POST", "/api/v1/users/{0}/encrypt", new { plaintext = "hi" }),
            ("POST", "/api/v1/users/{0}/encrypt/batch", new { items = new[] { new { plaintext = "hi" } } }),
            ("POST", "/api/v1/users/{0}/datakey", new { }),
            ("POST", "/api/v1/users/{0}/verify", new { signature = "eyJhbGciOiJQUzI1NiJ9.aGk.AAAA" }),
            ("POST", "/api/v1/users/{0}/verify/batch", new { items = new[] { new { signature = "eyJhbGciOiJQUzI1NiJ9.aGk.AAAA" } } }),
            ("GET", "/get_keys/{0}", null),
            ("POST", "/encrypt/{0}", new { plaintext = "hi" }),
        ];

        foreach (var (method, path, body) in routes)
        {
            foreach (var key in new string?[] { null, stranger.ApiKey, factory.AdminKey })
            {
                var hidden = await Send(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, pending.Email), body, key);
                var missing = await Send(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, unknown), body, key);

                hidden.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{method} {path} with {(key is null ? "no key" : "another key")}");
                (await Normalized(hidden, pending.Email)).Should().Be(await Normalized(missing, unknown), $"{method} {path} must not tell a pending registration from no registration");
            }
        }

        var sign = await _api.PostAsync($"/api/v1/users/{pending.Email}/sign", new { payload = "vouch" }, pending.ApiKey);
        await ApiClient.ShouldBeProblemAsync(sign, HttpStatusCode.Forbidden, Problems.Forbidden);
        (await _api.GetAsync($"/api/v1/users/{pending.Email}/keys/private", pending.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "its owner can read it");
        (await _api.PostAsync($"/api/v1/users/{pending.Email}/keys/rotate", new { }, pending.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "and rotate it");
        (await _api.DeleteAsync($"/api/v1/users/{pending.Email}", pending.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Accepted, "and delete it (after Keys:DeletionWaitingDays)");

        // Both rules at once: its owner still finds it, and is told its deletion is pending; the public still gets 404.
        var afterDelete = await _api.PostAsync($"/api/v1/users/{pending.Email}/keys/rotate", new { }, pending.ApiKey);
        await ApiClient.ShouldBeProblemAsync(afterDelete, HttpStatusCode.Conflict, Problems.PendingDeletion);
        (await _api.GetAsync($"/api/v1/users/{pending.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_owner_verifies_an_admin_key_is_refused_and_a_stranger_gets_403()
    {
        var owner = await _api.RegisterAsync(ApiClient.NewEmail("adminverify"));
        var stranger = await _api.RegisterAsync(ApiClient.NewEmail("strangerverify"));
        var code = Mailbox.LatestCode(owner.Email);

        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code }, factory.AdminKey), HttpStatusCode.Forbidden);
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code }, stranger.ApiKey), HttpStatusCode.Forbidden);
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code }), HttpStatusCode.Unauthorized);
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { }, owner.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);
        (await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code }, owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Rotating_the_api_key_kills_the_old_one_at_once()
    {
        var owner = await Verified("rotatekey");

        var rotated = await _api.PostAsync($"/api/v1/users/{owner.Email}/api-key/rotate", null, owner.ApiKey);

        rotated.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await ApiClient.JsonAsync(rotated);
        body.Select(p => p.Key).Should().Equal("apiKey");
        var newKey = (string)body["apiKey"]!;
        newKey.Should().MatchRegex("^csk_").And.NotBe(owner.ApiKey);
        (await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", newKey));
        audit["events"]!.AsArray().Select(e => (string)e!["action"]!).Should().Contain(["apiKeyReplaced", "emailVerified", "verificationCodeSent"]);
        audit.ToJsonString().Should().NotContain(newKey).And.NotContain(owner.ApiKey);
    }

    [Fact]
    public async Task Recovery_answers_202_for_any_address_mails_only_a_verified_one_and_the_code_replaces_the_lost_key()
    {
        var owner = await Verified("recover");
        var pending = await _api.RegisterAsync(ApiClient.NewEmail("recover-pending"));
        var unknown = ApiClient.NewEmail("recover-nobody");

        (await _api.PostAsync($"/api/v1/users/{unknown}/recovery", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await _api.PostAsync($"/api/v1/users/{pending.Email}/recovery", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var asked = await _api.PostAsync($"/api/v1/users/{owner.Email}/recovery", null);
        asked.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await asked.Content.ReadAsStringAsync()).Should().BeEmpty();

        var mail = await Mailbox.WaitForAsync(owner.Email, VerificationPurpose.Recovery);
        Mailbox.To(unknown, VerificationPurpose.Recovery).Should().BeEmpty();
        Mailbox.To(pending.Email, VerificationPurpose.Recovery).Should().BeEmpty("only a verified address can be recovered");

        for (var i = 0; i < 5; i++)
        {
            await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/recovery/complete", new { code = $"BADCODE{i + 2}XY" }), HttpStatusCode.BadRequest, Problems.WrongCode);
        }

        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/recovery/complete", new { code = mail.Code }), HttpStatusCode.BadRequest, Problems.WrongCode);
        await ApiClient.ShouldBeProblemAsync(await _api.PostAsync($"/api/v1/users/{unknown}/recovery/complete", new { code = mail.Code }), HttpStatusCode.BadRequest, Problems.WrongCode);

        (await _api.PostAsync($"/api/v1/users/{owner.Email}/recovery", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var second = await Mailbox.WaitForAsync(owner.Email, VerificationPurpose.Recovery, count: 2);
        var completed = await _api.PostAsync($"/api/v1/users/{owner.Email}/recovery/complete", new { code = second.Code });

        completed.StatusCode.Should().Be(HttpStatusCode.OK);
        var newKey = (string)(await ApiClient.JsonAsync(completed))["apiKey"]!;
        (await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the lost key stops working");
        (await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", newKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _api.PostAsync($"/api/v1/users/{owner.Email}/recovery/complete", new { code = second.Code })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a code works once");
    }

    [Fact]
    public async Task The_prototype_takeuser_registers_a_pending_identity_and_mails_its_code()
    {
        var email = ApiClient.NewEmail("proto");

        var response = await _api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = email });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var apiKey = (string)(await ApiClient.JsonAsync(response))["api_key"]!;
        (await _api.GetAsync($"/get_keys/{email}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _api.PostAsync($"/api/v1/users/{email}/email-verification", new { code = Mailbox.LatestCode(email) }, apiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _api.GetAsync($"/get_keys/{email}")).StatusCode.Should().Be(HttpStatusCode.OK, "an old client verifies through the v1 route, then works as before");
    }

    [Fact]
    public async Task No_api_key_or_code_ever_reaches_a_log_line()
    {
        var owner = await _api.RegisterAsync(ApiClient.NewEmail("logs"));
        var code = Mailbox.LatestCode(owner.Email);
        await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code = "WRONGWRONG" }, owner.ApiKey);
        await _api.PostAsync($"/api/v1/users/{owner.Email}/email-verification", new { code }, owner.ApiKey);
        var rotated = (string)(await ApiClient.JsonAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/api-key/rotate", null, owner.ApiKey)))["apiKey"]!;
        await _api.PostAsync($"/api/v1/users/{owner.Email}/recovery", null);
        var recovery = await Mailbox.WaitForAsync(owner.Email, VerificationPurpose.Recovery);
        var recovered = (string)(await ApiClient.JsonAsync(await _api.PostAsync($"/api/v1/users/{owner.Email}/recovery/complete", new { code = recovery.Code })))["apiKey"]!;

        foreach (var secret in new[] { owner.ApiKey, code, rotated, recovery.Code, recovered })
        {
            factory.Logs.Lines.Should().NotContain(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    private async Task<Registered> Verified(string prefix)
    {
        var registered = await _api.RegisterAsync(ApiClient.NewEmail(prefix));
        var response = await _api.PostAsync($"/api/v1/users/{registered.Email}/email-verification", new { code = Mailbox.LatestCode(registered.Email) }, registered.ApiKey);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return registered;
    }

    private Task<HttpResponseMessage> Send(string method, string path, object? body, string? key) =>
        method == "GET" ? _api.GetAsync(path, key) : _api.PostAsync(path, body, key);

    // The answer with the address and the per-request fields taken out: what is left must not differ.
    private static async Task<string> Normalized(HttpResponseMessage response, string email)
    {
        var text = (await response.Content.ReadAsStringAsync()).Replace(email, "{email}", StringComparison.OrdinalIgnoreCase);
        if (JsonNode.Parse(text) is JsonObject json)
        {
            json.Remove("traceId");
            json.Remove("requestId");
            json.Remove("instance");
            text = json.ToJsonString();
        }

        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {text}";
    }
}
