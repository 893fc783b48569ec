using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Client.Tests.Infrastructure;

namespace CryptoSecure.Client.Tests;

/// <summary>Every v1 operation through the generated client, against the real server in memory.</summary>
public sealed class TypedClientTests(CryptoSecureServer server) : IClassFixture<CryptoSecureServer>
{
    private const string ValidationType = "urn:cryptosecure:problem:validation";
    private const string ConflictType = "urn:cryptosecure:problem:conflict";
    private const string UnauthorizedType = "urn:cryptosecure:problem:unauthorized";
    private const string ForbiddenType = "urn:cryptosecure:problem:forbidden";
    private const string NotFoundType = "urn:cryptosecure:problem:not-found";
    private const string DecryptionFailedType = "urn:cryptosecure:problem:decryption-failed";

    private static string NewEmail(string prefix = "client") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    private CryptoSecureClient NewClient(string? apiKey = null) => new(server.CreateClient()) { ApiKey = apiKey };

    private async Task<(CryptoSecureClient Owner, RegisteredUserResponse Registered)> RegisterAsync(bool? exportable = null)
    {
        var registered = await NewClient().RegisterUserAsync(new RegisterUserRequest { Email = NewEmail(), Exportable = exportable });
        return (NewClient(registered.ApiKey), registered);
    }

    [Fact]
    public async Task Register_returns_the_first_key_and_an_api_key()
    {
        var email = NewEmail();

        var registered = await NewClient().RegisterUserAsync(new RegisterUserRequest { Email = email, KeySize = 2048 });

        registered.Email.Should().Be(email);
        registered.KeyVersion.Should().Be(1);
        registered.KeySize.Should().Be(2048);
        registered.PublicKeyPem.Should().StartWith("-----BEGIN PUBLIC KEY-----");
        registered.ApiKey.Should().StartWith("csk_");
        registered.CreatedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Get_public_keys_needs_no_api_key()
    {
        var (_, registered) = await RegisterAsync();

        var ring = await NewClient().GetPublicKeysAsync(registered.Email);

        ring.Email.Should().Be(registered.Email);
        ring.LatestVersion.Should().Be(1);
        ring.MinDecryptionVersion.Should().Be(1);
        ring.Keys.Should().ContainSingle();
        ring.Keys[0].PublicKeyPem.Should().Be(registered.PublicKeyPem);
        ring.Keys[0].PublicKeyJwk.Kty.Should().Be("RSA");
        ring.Keys[0].PublicKeyJwk.Alg.Should().Be("RSA-OAEP-256");
    }

    [Fact]
    public async Task Export_private_key_returns_the_pkcs8_pem_that_matches_the_public_key()
    {
        var (owner, registered) = await RegisterAsync(exportable: true);

        var exported = await owner.ExportPrivateKeyAsync(registered.Email, version: 1);

        exported.Version.Should().Be(1);
        exported.PrivateKeyPem.Should().StartWith("-----BEGIN PRIVATE KEY-----");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(exported.PrivateKeyPem);
        rsa.ExportSubjectPublicKeyInfoPem().Should().Be(registered.PublicKeyPem.Trim());
    }

    [Fact]
    public async Task Export_of_a_non_exportable_key_is_forbidden()
    {
        var (owner, registered) = await RegisterAsync(exportable: false);

        var failure = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => owner.ExportPrivateKeyAsync(registered.Email));

        failure.StatusCode.Should().Be(403);
        failure.Problem!.Type.Should().Be(ForbiddenType);
    }

    [Theory]
    [InlineData("jwe")]
    [InlineData("rsa-oaep")]
    public async Task Encrypt_then_decrypt_round_trips_text(string format)
    {
        var (owner, registered) = await RegisterAsync();

        var encrypted = await NewClient().EncryptAsync(registered.Email, new EncryptRequest { Plaintext = "Grüße, Alice", Format = format });
        var decrypted = await owner.DecryptAsync(registered.Email, new CiphertextRequest { Ciphertext = encrypted.Ciphertext });

        encrypted.Format.Should().Be(format);
        encrypted.KeyVersion.Should().Be(1);
        if (format == "jwe")
        {
            encrypted.Ciphertext.Split('.').Should().HaveCount(5);
        }
        else
        {
            Convert.FromBase64String(encrypted.Ciphertext).Should().HaveCount(256);
        }

        decrypted.Plaintext.Should().Be("Grüße, Alice");
        decrypted.PlaintextBase64.Should().Be(Convert.ToBase64String(Encoding.UTF8.GetBytes("Grüße, Alice")));
        decrypted.KeyVersion.Should().Be(1);
    }

    [Fact]
    public async Task Binary_plaintext_decrypts_to_base64_only()
    {
        var (owner, registered) = await RegisterAsync();
        byte[] binary = [0xff, 0xfe, 0x00, 0x80];

        var encrypted = await NewClient().EncryptAsync(registered.Email, new EncryptRequest { PlaintextBase64 = Convert.ToBase64String(binary) });
        var decrypted = await owner.DecryptAsync(registered.Email, new CiphertextRequest { Ciphertext = encrypted.Ciphertext });

        decrypted.Plaintext.Should().BeNull();
        Convert.FromBase64String(decrypted.PlaintextBase64).Should().Equal(binary);
    }

    [Fact]
    public async Task Rotate_rewrap_and_minimum_decryption_version_retire_the_old_key()
    {
        var (owner, registered) = await RegisterAsync();
        var old = await owner.EncryptAsync(registered.Email, new EncryptRequest { Plaintext = "before rotation" });

        var rotated = await owner.RotateKeyAsync(registered.Email, new RotateKeyRequest { KeySize = 2048 });
        var rewrapped = await owner.RewrapAsync(registered.Email, new CiphertextRequest { Ciphertext = old.Ciphertext });
        var configured = await owner.ConfigureKeysAsync(registered.Email, new KeyConfigRequest { MinDecryptionVersion = 2 });

        rotated.LatestVersion.Should().Be(2);
        rotated.Keys.Select(k => k.Version).Should().Equal(1, 2);
        rewrapped.KeyVersion.Should().Be(2);
        rewrapped.Format.Should().Be("jwe");
        configured.MinDecryptionVersion.Should().Be(2);
        (await owner.DecryptAsync(registered.Email, new CiphertextRequest { Ciphertext = rewrapped.Ciphertext })).Plaintext.Should().Be("before rotation");
        var retired = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(
            () => owner.DecryptAsync(registered.Email, new CiphertextRequest { Ciphertext = old.Ciphertext }));
        retired.StatusCode.Should().Be(400);
        retired.Problem!.Type.Should().Be(DecryptionFailedType);
    }

    [Fact]
    public async Task Rotate_without_a_body_uses_the_default_key_size()
    {
        var (owner, registered) = await RegisterAsync();

        var rotated = await owner.RotateKeyAsync(registered.Email);

        rotated.LatestVersion.Should().Be(2);
        rotated.Keys[^1].KeySize.Should().Be(2048);
    }

    [Fact]
    public async Task Audit_trail_lists_the_operations_newest_first()
    {
        var (owner, registered) = await RegisterAsync();
        var encrypted = await owner.EncryptAsync(registered.Email, new EncryptRequest { Plaintext = "audited" });
        await owner.DecryptAsync(registered.Email, new CiphertextRequest { Ciphertext = encrypted.Ciphertext });

        var trail = await owner.GetAuditTrailAsync(registered.Email, limit: 10);

        trail.Email.Should().Be(registered.Email);
        trail.Events.Select(e => e.Action).Should().ContainInOrder(AuditAction.Decrypted, AuditAction.Encrypted, AuditAction.Registered);
        trail.Events.Should().OnlyContain(e => e.Outcome == AuditOutcome.Success);
        trail.Events.First(e => e.Action == AuditAction.Decrypted).Actor.Should().Be(AuditActor.Owner);
    }

    [Fact]
    public async Task Audit_trail_reads_one_kind_with_counts()
    {
        var (owner, registered) = await RegisterAsync();
        var (stranger, _) = await RegisterAsync();
        await NewClient().EncryptAsync(registered.Email, new EncryptRequest { Plaintext = "public" });
        await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => stranger.GetAuditTrailAsync(registered.Email));

        var ownerEvents = await owner.GetAuditTrailAsync(registered.Email, kind: "owner");
        var publicEvents = await owner.GetAuditTrailAsync(registered.Email, kind: "public");
        var denied = await owner.GetAuditTrailAsync(registered.Email, kind: "denied");

        ownerEvents.Events.Should().ContainSingle().Which.Action.Should().Be(AuditAction.Registered);
        ownerEvents.Events.Should().OnlyContain(e => e.Kind == AuditKind.Owner && e.Count == 1);
        publicEvents.Events.Should().ContainSingle().Which.Action.Should().Be(AuditAction.Encrypted);
        denied.Events.Should().ContainSingle().Which.Kind.Should().Be(AuditKind.Denied);
    }

    [Fact]
    public async Task Delete_schedules_the_deletion_and_restore_cancels_it()
    {
        var (owner, registered) = await RegisterAsync();

        var scheduled = await owner.DeleteUserAsync(registered.Email);

        scheduled.Email.Should().Be(registered.Email);
        scheduled.DeletesAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(7), TimeSpan.FromMinutes(5));
        var hidden = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => NewClient().GetPublicKeysAsync(registered.Email));
        hidden.StatusCode.Should().Be(404);
        var pending = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => owner.RotateKeyAsync(registered.Email, new RotateKeyRequest()));
        pending.StatusCode.Should().Be(409);
        pending.Problem!.Type.Should().Be("urn:cryptosecure:problem:pending-deletion");
        (await owner.GetPublicKeysAsync(registered.Email)).DeletesAt.Should().Be(scheduled.DeletesAt);
        (await owner.DeleteIdentityAsync(registered.Email))!.DeletesAt.Should().Be(scheduled.DeletesAt, "deleting again answers the same time");

        var restored = await owner.RestoreUserAsync(registered.Email);

        restored.DeletesAt.Should().BeNull();
        (await NewClient().GetPublicKeysAsync(registered.Email)).LatestVersion.Should().Be(1);
    }

    [Fact]
    public async Task A_purge_by_an_admin_destroys_at_once_and_an_owners_purge_is_refused()
    {
        var (owner, registered) = await RegisterAsync();

        var refused = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => owner.DeleteIdentityAsync(registered.Email, purge: true));
        refused.StatusCode.Should().Be(403);

        (await NewClient(server.AdminKey).DeleteIdentityAsync(registered.Email, purge: true)).Should().BeNull("destroyed at once: 204");

        var gone = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => NewClient(server.AdminKey).GetPublicKeysAsync(registered.Email));
        gone.StatusCode.Should().Be(404);
    }

    [Fact]
    public async Task Configure_keys_sets_the_automatic_rotation_period_and_the_summary_shows_the_next_rotation()
    {
        var (owner, registered) = await RegisterAsync();

        var ring = await owner.ConfigureKeysAsync(registered.Email, new KeyConfigRequest { AutoRotatePeriodSeconds = 86_400 });

        ring.AutoRotatePeriodSeconds.Should().Be(86_400);
        ring.MinDecryptionVersion.Should().Be(1);
        ring.NextRotationAt.Should().Be(ring.Keys[0].CreatedAt.AddDays(1));
        var tooShort = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => owner.ConfigureKeysAsync(registered.Email, new KeyConfigRequest { AutoRotatePeriodSeconds = 60 }));
        tooShort.StatusCode.Should().Be(400);
        tooShort.ValidationErrors.Values.SelectMany(v => v).Should().Contain(m => m.Contains("Keys:AutoRotation:MinimumPeriodSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_key_may_act_for_any_identity()
    {
        var (_, registered) = await RegisterAsync();
        var admin = NewClient(server.AdminKey);

        var trail = await admin.GetAuditTrailAsync(registered.Email);

        trail.Events.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Duplicate_registration_is_a_409_conflict()
    {
        var (_, registered) = await RegisterAsync();

        var failure = await Assert.ThrowsAsync<CryptoSecureApiException<ProblemDetails>>(
            () => NewClient().RegisterUserAsync(new RegisterUserRequest { Email = registered.Email.ToUpperInvariant() }));

        failure.StatusCode.Should().Be(409);
        failure.Result.Type.Should().Be(ConflictType);
        failure.Problem.Should().BeSameAs(failure.Result);
    }

    [Fact]
    public async Task An_owner_operation_without_an_api_key_is_a_401()
    {
        var (_, registered) = await RegisterAsync();

        var failure = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(
            () => NewClient().DecryptAsync(registered.Email, new CiphertextRequest { Ciphertext = "x" }));

        failure.StatusCode.Should().Be(401);
        failure.Problem!.Type.Should().Be(UnauthorizedType);
        failure.Headers["WWW-Authenticate"].Should().ContainSingle().Which.Should().StartWith("Bearer");
    }

    [Fact]
    public async Task Another_identitys_api_key_is_a_403()
    {
        var (_, alice) = await RegisterAsync();
        var (mallory, _) = await RegisterAsync();

        var failure = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => mallory.GetAuditTrailAsync(alice.Email));

        failure.StatusCode.Should().Be(403);
        failure.Problem!.Type.Should().Be(ForbiddenType);
        failure.ToString().Should().NotContain(mallory.ApiKey!);
    }

    [Fact]
    public async Task An_unknown_identity_is_a_404()
    {
        var failure = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(
            () => NewClient().EncryptAsync(NewEmail("nobody"), new EncryptRequest { Plaintext = "hello" }));

        failure.StatusCode.Should().Be(404);
        failure.Problem!.Type.Should().Be(NotFoundType);
    }

    [Fact]
    public async Task An_invalid_email_is_a_validation_problem_with_the_field_error()
    {
        var failure = await Assert.ThrowsAsync<CryptoSecureApiException<ValidationProblemDetails>>(
            () => NewClient().RegisterUserAsync(new RegisterUserRequest { Email = "not-an-email" }));

        failure.StatusCode.Should().Be(400);
        failure.Result.Type.Should().Be(ValidationType);
        failure.Result.Errors.Should().ContainKey("email");
        failure.ValidationErrors["email"].Should().NotBeEmpty();
    }

    [Fact]
    public async Task Too_much_plaintext_for_rsa_oaep_is_a_validation_problem_naming_the_limit()
    {
        var (_, registered) = await RegisterAsync();

        var failure = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(
            () => NewClient().EncryptAsync(registered.Email, new EncryptRequest { Plaintext = new string('a', 191), Format = "rsa-oaep" }));

        failure.StatusCode.Should().Be(400);
        failure.ValidationErrors["plaintext"].Should().ContainSingle().Which.Should().Contain("190 bytes");
    }

    [Fact]
    public async Task Field_errors_of_an_operation_documented_with_plain_problem_details_are_read_too()
    {
        var (owner, registered) = await RegisterAsync();

        var failure = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(
            () => owner.DecryptAsync(registered.Email, new CiphertextRequest { Ciphertext = null }));

        failure.StatusCode.Should().Be(400);
        failure.Problem!.Type.Should().Be(ValidationType);
        failure.ValidationErrors.Should().ContainKey("ciphertext");
    }

    [Fact]
    public async Task The_cancellation_token_reaches_the_transport()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var transport = new TokenRecordingHandler();
        using var http = new HttpClient(transport) { BaseAddress = new Uri("http://localhost/") };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new CryptoSecureClient(http).GetPublicKeysAsync(NewEmail(), cancelled.Token));

        transport.Token.IsCancellationRequested.Should().BeTrue("the caller's token is linked into the request's");
    }

    private sealed class TokenRecordingHandler : HttpMessageHandler
    {
        public CancellationToken Token { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException("Not reached: the token is cancelled.");
        }
    }
}
