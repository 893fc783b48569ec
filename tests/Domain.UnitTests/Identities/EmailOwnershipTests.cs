using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.UnitTests.Keys;

namespace CryptoSecure.Domain.UnitTests.Identities;

/// <summary>The aggregate's email-ownership rules: pending registrations, one-time codes, verification, key replacement, recovery.</summary>
public class EmailOwnershipTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly EmailAddress Alice = EmailAddress.Parse("alice@example.com");
    private static readonly ApiKeyHash Hash = new(new byte[ApiKeyHash.Length]);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = Now.AddHours(24);

    [Fact]
    public void Codes_are_ten_characters_of_the_unambiguous_alphabet_and_differ_each_time()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => OneTimeCode.Generate()).ToList();

        codes.Should().OnlyContain(c => c.Length == 10 && c.All(ch => OneTimeCode.Alphabet.Contains(ch)));
        OneTimeCode.Alphabet.Should().NotContainAny("0", "O", "1", "I", "L");
        codes.Distinct().Should().HaveCount(200);
    }

    [Fact]
    public void A_code_is_kept_only_as_a_hash_bound_to_its_identity_and_forgives_case_spaces_and_dashes()
    {
        var hash = OneTimeCode.HashOf(Id, "ABCDE-FGHJK");

        hash.Should().HaveCount(32);
        OneTimeCode.HashOf(Id, " abcde fghjk ").Should().Equal(hash);
        OneTimeCode.HashOf(Guid.NewGuid(), "ABCDEFGHJK").Should().NotEqual(hash, "the same code of another identity hashes apart");
        new OneTimeCode(CodePurpose.Registration, hash, 0, Until).ToString().Should().NotContain(Convert.ToHexString(hash));
    }

    [Fact]
    public void A_pending_registration_verifies_with_its_code_once_and_then_holds_its_address()
    {
        var pending = Pending("ABCDEFGHJK");

        var verified = pending.Verify(OneTimeCode.HashOf(Id, "ABCDEFGHJK"), Now.AddHours(1));

        pending.Standing.Should().Be(AddressStanding.Pending);
        verified.Revision.Should().Be(pending.Revision + 1);
        verified.EmailVerified.Should().BeTrue();
        verified.VerifiedAt.Should().Be(Now.AddHours(1));
        verified.PendingUntil.Should().BeNull();
        verified.Code.Should().BeNull("a code works once");
        var again = () => verified.Verify(OneTimeCode.HashOf(Id, "ABCDEFGHJK"), Now.AddHours(1));
        again.Should().Throw<AlreadyVerifiedException>();
    }

    [Fact]
    public void Five_wrong_codes_end_the_code_and_the_right_one_then_fails_too()
    {
        var identity = Pending("ABCDEFGHJK");
        var right = OneTimeCode.HashOf(Id, "ABCDEFGHJK");

        for (var i = 0; i < OneTimeCode.MaxFailures; i++)
        {
            identity.AcceptsCode(CodePurpose.Registration, OneTimeCode.HashOf(Id, "WRONGCODE" + i), Now).Should().BeFalse();
            identity = identity.RecordWrongCode();
        }

        identity.Code!.Failures.Should().Be(5);
        var late = () => identity.Verify(right, Now);
        late.Should().Throw<WrongCodeException>();
        identity.RecordWrongCode().Code!.Failures.Should().Be(5, "the count stops at the limit");
    }

    [Fact]
    public void A_code_past_its_expiry_or_of_another_purpose_is_refused()
    {
        var identity = Pending("ABCDEFGHJK");
        var right = OneTimeCode.HashOf(Id, "ABCDEFGHJK");

        identity.AcceptsCode(CodePurpose.Registration, right, Until.AddTicks(-1)).Should().BeTrue();
        identity.AcceptsCode(CodePurpose.Registration, right, Until).Should().BeFalse();
        identity.IsExpiredPending(Until).Should().BeTrue();
        identity.AcceptsCode(CodePurpose.Recovery, right, Now).Should().BeFalse();
    }

    [Fact]
    public void Recovery_is_only_for_a_verified_address_and_replaces_the_api_key_with_its_code_once()
    {
        var pending = Pending("ABCDEFGHJK");
        var recoveryCode = new OneTimeCode(CodePurpose.Recovery, OneTimeCode.HashOf(Id, "RECOVERY22"), 0, Now.AddHours(2));
        var forPending = () => pending.AwaitCode(recoveryCode);
        forPending.Should().Throw<ArgumentException>();

        var verified = pending.Verify(OneTimeCode.HashOf(Id, "ABCDEFGHJK"), Now);
        var waiting = verified.AwaitCode(recoveryCode);
        var next = new ApiKeyHash(Enumerable.Repeat((byte)7, ApiKeyHash.Length).ToArray());

        var recovered = waiting.Recover(OneTimeCode.HashOf(Id, "RECOVERY22"), next, Now.AddMinutes(5));

        recovered.ApiKeyHash.Should().Be(next);
        recovered.Code.Should().BeNull();
        recovered.EmailVerified.Should().BeTrue();
        var twice = () => recovered.Recover(OneTimeCode.HashOf(Id, "RECOVERY22"), next, Now.AddMinutes(6));
        twice.Should().Throw<WrongCodeException>();
        var registrationCode = () => verified.AwaitCode(new OneTimeCode(CodePurpose.Registration, OneTimeCode.HashOf(Id, "X"), 0, Until));
        registrationCode.Should().Throw<AlreadyVerifiedException>();
    }

    [Fact]
    public void Replacing_the_api_key_keeps_everything_else()
    {
        var pending = Pending("ABCDEFGHJK");
        var next = new ApiKeyHash(Enumerable.Repeat((byte)9, ApiKeyHash.Length).ToArray());

        var replaced = pending.ReplaceApiKey(next);

        replaced.ApiKeyHash.Should().Be(next);
        replaced.Revision.Should().Be(pending.Revision + 1);
        replaced.Standing.Should().Be(AddressStanding.Pending);
        replaced.Code.Should().BeSameAs(pending.Code);
        replaced.PendingUntil.Should().Be(Until);
    }

    [Fact]
    public void Every_change_carries_the_standing_code_deletion_and_rotation_schedule_and_a_scheduled_deletion_refuses_the_ownership_changes()
    {
        var pending = Pending("ABCDEFGHJK").Configure(1, TimeSpan.FromDays(30)).Rotate(TestKeyVersions.Numbered(2));

        pending.Standing.Should().Be(AddressStanding.Pending);
        pending.PendingUntil.Should().Be(Until);
        pending.Code.Should().NotBeNull();
        pending.AutoRotatePeriod.Should().Be(TimeSpan.FromDays(30));

        var scheduled = pending.ScheduleDeletion(Now.AddDays(7));
        scheduled.Revision.Should().Be(pending.Revision + 1);
        scheduled.Standing.Should().Be(AddressStanding.Pending);
        scheduled.Code.Should().BeSameAs(pending.Code);
        scheduled.AutoRotatePeriod.Should().Be(TimeSpan.FromDays(30));
        scheduled.Keys.Should().BeSameAs(pending.Keys);

        FluentActions.Invoking(() => scheduled.Verify(OneTimeCode.HashOf(Id, "ABCDEFGHJK"), Now)).Should().Throw<IdentityPendingDeletionException>();
        FluentActions.Invoking(() => scheduled.ReplaceApiKey(new ApiKeyHash(new byte[ApiKeyHash.Length]))).Should().Throw<IdentityPendingDeletionException>();

        var restored = scheduled.CancelDeletion();
        restored.DeletesAt.Should().BeNull();
        restored.Code.Should().BeSameAs(pending.Code);
        var verified = restored.Verify(OneTimeCode.HashOf(Id, "ABCDEFGHJK"), Now);
        verified.Standing.Should().Be(AddressStanding.Verified);
        verified.PendingUntil.Should().BeNull();
        verified.Code.Should().BeNull();
        verified.AutoRotatePeriod.Should().Be(TimeSpan.FromDays(30), "verifying keeps the rotation schedule");
    }

    private static Identity Pending(string code) =>
        Identity.RegisterPending(Id, Alice, Hash, exportable: true, TestKeyVersions.Numbered(1), Now, Until, new OneTimeCode(CodePurpose.Registration, OneTimeCode.HashOf(Id, code), 0, Until));
}
