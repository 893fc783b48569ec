using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// Email ownership (schema 5): pending registrations share an address and hold nothing, are found
/// by id only, and the first to verify destroys the others in its own transaction; the mail count
/// per address and the expired-registration query hold across nodes because they are the store's.
/// </summary>
public abstract partial class KeyStoreContract
{
    protected async Task<IRegistrationStore> Registrations() => (await Adapter()).Registrations;

    [SkippableFact]
    public async Task Pending_registrations_share_an_address_hold_nothing_and_are_found_by_id_with_their_code()
    {
        var store = await Store();
        var first = NewPending("pending-share@example.com", "ABCDEFGHJK");
        var second = NewPending("pending-share@example.com");
        await store.CreateAsync(first, [Registered(first)], default);
        await store.CreateAsync(second, [Registered(second)], default);

        (await store.FindAsync(first.Email, default)).Should().BeNull("a pending registration does not hold its address");
        var read = (await store.FindByIdAsync(first.Id, default))!;
        read.Standing.Should().Be(AddressStanding.Pending);
        read.PendingUntil.Should().Be(first.PendingUntil);
        read.Code!.Purpose.Should().Be(CodePurpose.Registration);
        read.Code.Matches(OneTimeCode.HashOf(first.Id, "ABCDEFGHJK")).Should().BeTrue();
        read.Code.ExpiresAt.Should().Be(first.Code!.ExpiresAt);
        (await store.FindCredentialOwnerAsync(second.ApiKeyHash, default))!.IdentityId.Should().Be(second.Id, "each pending registration has its own key");
        (await store.FindByIdAsync(Guid.NewGuid(), default)).Should().BeNull();
    }

    [SkippableFact]
    public async Task A_held_address_refuses_new_registrations_pending_or_not()
    {
        var store = await Store();
        var holder = NewIdentity("held@example.com");
        await store.CreateAsync(holder, [Registered(holder)], default);

        var pending = () => store.CreateAsync(NewPending("held@example.com"), [], default);
        var usable = () => store.CreateAsync(NewIdentity("HELD@example.com"), [], default);

        await pending.Should().ThrowAsync<IdentityAlreadyExistsException>();
        await usable.Should().ThrowAsync<IdentityAlreadyExistsException>();
    }

    [SkippableFact]
    public async Task The_first_to_verify_wins_and_the_other_pending_registrations_are_destroyed_with_their_keys_in_the_same_save()
    {
        var (store, trail, changes) = (await Store(), await Trail(), await Changes());
        var owner = NewPending("race@example.com", "OWNERCODE2");
        var squatter = NewPending("race@example.com", "SQUATCODE3");
        await store.CreateAsync(squatter, [Registered(squatter)], default);
        await store.CreateAsync(owner, [Registered(owner)], default);
        var cursor = await changes.LatestAsync(default);

        var verified = owner.Verify(OneTimeCode.HashOf(owner.Id, "OWNERCODE2"), owner.CreatedAt.AddMinutes(5));
        await store.SaveAsync(verified, owner.Revision, [Event(owner, AuditAction.EmailVerified, null)], default);

        var holder = (await store.FindAsync(owner.Email, default))!;
        holder.Id.Should().Be(owner.Id);
        holder.EmailVerified.Should().BeTrue();
        holder.VerifiedAt.Should().Be(verified.VerifiedAt);
        holder.Code.Should().BeNull();
        (await store.FindByIdAsync(squatter.Id, default)).Should().BeNull("the squatter's registration and keys are gone");
        (await store.FindCredentialOwnerAsync(squatter.ApiKeyHash, default)).Should().BeNull("the squatter's key is dead");
        (await trail.ReadAsync(squatter.Id, null, null, 10, default)).Events.Select(e => e.Action)
            .Should().Contain(AuditAction.RegistrationDiscarded, "the audit trail outlives the discarded registration");
        (await changes.ReadAfterAsync(cursor, 10, default)).IdentityIds.Should().BeEquivalentTo([squatter.Id, owner.Id], "other nodes must drop both");

        // The loser's own verification now finds nothing to save.
        var late = () => store.SaveAsync(squatter.Verify(OneTimeCode.HashOf(squatter.Id, "SQUATCODE3"), squatter.CreatedAt.AddMinutes(6)), squatter.Revision, [], default);
        await late.Should().ThrowAsync<IdentityNotFoundException>();
    }

    [SkippableFact]
    public async Task A_replaced_api_key_and_a_wrong_code_count_are_saved()
    {
        var store = await Store();
        var pending = NewPending("replace@example.com");
        await store.CreateAsync(pending, [Registered(pending)], default);
        var next = new ApiKeyHash(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var changed = pending.RecordWrongCode().ReplaceApiKey(next);
        await store.SaveAsync(changed, pending.Revision, [Event(pending, AuditAction.ApiKeyReplaced, null)], default);

        (await store.FindCredentialOwnerAsync(pending.ApiKeyHash, default)).Should().BeNull("the old key stops working");
        (await store.FindCredentialOwnerAsync(next, default))!.IdentityId.Should().Be(pending.Id);
        (await store.FindByIdAsync(pending.Id, default))!.Code!.Failures.Should().Be(1);
    }

    [SkippableFact]
    public async Task Mails_per_address_are_counted_per_hour_window_and_refused_beyond_the_limit_with_the_wait()
    {
        var registrations = await Registrations();
        var address = EmailAddress.Parse($"mails-{Guid.NewGuid():N}@example.com");
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_900_000_000_000);

        (await registrations.TryCountMailAsync(address, start, 2, default)).Should().BeNull();
        (await registrations.TryCountMailAsync(EmailAddress.Parse(address.Display.ToUpperInvariant()), start.AddMinutes(10), 2, default)).Should().BeNull("one address, however it is spelled");
        (await registrations.TryCountMailAsync(address, start.AddMinutes(20), 2, default)).Should().Be(TimeSpan.FromMinutes(40));
        (await registrations.TryCountMailAsync(EmailAddress.Parse($"other-{Guid.NewGuid():N}@example.com"), start.AddMinutes(20), 2, default)).Should().BeNull("another address has its own count");
        (await registrations.TryCountMailAsync(address, start.AddMinutes(60), 2, default)).Should().BeNull("a new window opens after the hour");
        (await registrations.TryCountMailAsync(address, start.AddMinutes(61), 2, default)).Should().BeNull();
        (await registrations.TryCountMailAsync(address, start.AddMinutes(62), 2, default)).Should().Be(TimeSpan.FromMinutes(58));
    }

    [SkippableFact]
    public async Task Expired_pending_registrations_are_found_and_nothing_else()
    {
        var (store, registrations) = (await Store(), await Registrations());
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var expired = NewPending("expired@example.com", until: now.AddMinutes(-1));
        var live = NewPending("live@example.com", until: now.AddHours(1));
        var usable = NewIdentity("usable-old@example.com");
        await store.CreateAsync(expired, [], default);
        await store.CreateAsync(live, [], default);
        await store.CreateAsync(usable, [], default);

        (await registrations.FindExpiredPendingAsync(now, 100, default)).Should().Equal(expired.Id);
        (await registrations.FindExpiredPendingAsync(now.AddHours(2), 100, default)).Should().BeEquivalentTo([expired.Id, live.Id]);
    }
}
