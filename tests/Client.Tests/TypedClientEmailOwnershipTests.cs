using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Mail;

namespace CryptoSecure.Client.Tests;

/// <summary>
/// Email verification, API-key rotation and recovery through the generated client, against the
/// real server in memory with verification Required and a recording mailer as the mailbox.
/// </summary>
public sealed class TypedClientEmailOwnershipTests(VerificationFactory server) : IClassFixture<VerificationFactory>
{
    private static string NewEmail(string prefix) => $"{prefix}-{Guid.NewGuid():N}@example.com";

    private CryptoSecureClient NewClient(string? apiKey = null) => new(server.CreateClient()) { ApiKey = apiKey };

    [Fact]
    public async Task A_registration_is_verified_with_the_mailed_code_and_a_wrong_code_is_a_wrong_code_problem()
    {
        var email = NewEmail("client-verify");
        var registered = await NewClient().RegisterUserAsync(new RegisterUserRequest { Email = email });
        var owner = NewClient(registered.ApiKey);

        registered.EmailVerified.Should().BeFalse();
        registered.VerificationExpiresAt.Should().NotBeNull();
        var wrong = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => owner.VerifyEmailAsync(email, new EmailVerificationRequest { Code = "WRONGWRONG" }));
        wrong.StatusCode.Should().Be(400);
        wrong.Problem!.Type.Should().Be("urn:cryptosecure:problem:wrong-code");
        var resent = await owner.ResendEmailVerificationAsync(email);
        resent.EmailVerified.Should().BeFalse();
        resent.VerificationExpiresAt.Should().BeCloseTo(registered.VerificationExpiresAt!.Value, TimeSpan.FromMilliseconds(1), "a pending registration's new code lives as long as the registration (stored to the millisecond)");

        var verified = await owner.VerifyEmailAsync(email, new EmailVerificationRequest { Code = server.Mailer.LatestCode(email) });

        verified.EmailVerified.Should().BeTrue();
        (await NewClient().GetPublicKeysAsync(email)).EmailVerified.Should().BeTrue();
    }

    [Fact]
    public async Task The_api_key_is_rotated_and_recovered_and_each_time_the_old_one_stops_working()
    {
        var email = NewEmail("client-keys");
        var registered = await NewClient().RegisterUserAsync(new RegisterUserRequest { Email = email });
        await NewClient(registered.ApiKey).VerifyEmailAsync(email, new EmailVerificationRequest { Code = server.Mailer.LatestCode(email) });

        var rotated = await NewClient(registered.ApiKey).RotateApiKeyAsync(email);

        rotated.ApiKey.Should().StartWith("csk_").And.NotBe(registered.ApiKey);
        (await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => NewClient(registered.ApiKey).GetAuditTrailAsync(email))).StatusCode.Should().Be(401);

        await NewClient().RequestRecoveryAsync(email);
        var mail = await server.Mailer.WaitForAsync(email, VerificationPurpose.Recovery);
        var recovered = await NewClient().CompleteRecoveryAsync(email, new RecoveryCompleteRequest { Code = mail.Code });

        recovered.ApiKey.Should().StartWith("csk_").And.NotBe(rotated.ApiKey);
        (await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => NewClient(rotated.ApiKey).GetAuditTrailAsync(email))).StatusCode.Should().Be(401);
        (await NewClient(recovered.ApiKey).GetAuditTrailAsync(email)).Events.Should().NotBeEmpty();
    }
}
