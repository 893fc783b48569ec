using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Persistence;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// The lifecycle part of the contract (issue 14): a scheduled deletion and an automatic rotation
/// period are stored and read back, the due-work queries find exactly what is due, a conditional
/// delete never shreds a changed identity, and a lease has one holder at a time.
/// </summary>
public abstract partial class KeyStoreContract
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    protected async Task<IWorkLeases> Leases() => (await Adapter()).Leases;

    [SkippableFact]
    public async Task A_scheduled_deletion_and_a_rotation_period_read_back_and_clear_again()
    {
        var store = await Store();
        var identity = NewIdentity("life-fields@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);

        var scheduled = identity.Configure(1, TimeSpan.FromHours(5)).ScheduleDeletion(T0.AddDays(7));
        await store.SaveAsync(scheduled, identity.Revision, [Event(identity, AuditAction.DeletionScheduled, 1)], default);
        var found = (await store.FindAsync(identity.Email, default))!;
        found.DeletesAt.Should().Be(T0.AddDays(7));
        found.AutoRotatePeriod.Should().Be(TimeSpan.FromHours(5));
        found.Revision.Should().Be(scheduled.Revision);

        var cleared = found.CancelDeletion().Configure(1, null);
        await store.SaveAsync(cleared, found.Revision, [Event(identity, AuditAction.DeletionCancelled, null)], default);
        found = (await store.FindAsync(identity.Email, default))!;
        found.IsPendingDeletion.Should().BeFalse();
        found.AutoRotatePeriod.Should().BeNull();
    }

    [SkippableFact]
    public async Task Due_deletions_are_those_whose_time_has_come_earliest_first_and_no_other()
    {
        var (store, due) = (await Store(), (await Adapter()).DueWork);
        var later = await CreateScheduledAsync(store, "due-later@example.com", T0.AddDays(2));
        var sooner = await CreateScheduledAsync(store, "due-sooner@example.com", T0.AddDays(1));
        var active = NewIdentity("due-active@example.com");
        await store.CreateAsync(active, [Registered(active)], default);

        (await due.FindDueDeletionsAsync(T0, 100, default)).Should().BeEmpty("nothing is due yet");
        (await due.FindDueDeletionsAsync(T0.AddDays(1), 100, default)).Select(e => e.Normalized).Should().Equal(sooner.Email.Normalized);
        (await due.FindDueDeletionsAsync(T0.AddDays(3), 100, default)).Select(e => e.Normalized)
            .Should().Equal(sooner.Email.Normalized, later.Email.Normalized);
        (await due.FindDueDeletionsAsync(T0.AddDays(3), 1, default)).Should().ContainSingle().Which.Normalized.Should().Be(sooner.Email.Normalized);
    }

    [SkippableFact]
    public async Task Due_rotations_are_rings_whose_latest_version_has_reached_its_period_and_not_pending_ones()
    {
        var (store, due) = (await Store(), (await Adapter()).DueWork);
        var hourly = NewIdentity("rot-hourly@example.com");
        await store.CreateAsync(hourly, [Registered(hourly)], default);
        var configured = hourly.Configure(1, TimeSpan.FromHours(1));
        await store.SaveAsync(configured, hourly.Revision, [Event(hourly, AuditAction.Configured, 1)], default);
        var pending = NewIdentity("rot-pending@example.com");
        await store.CreateAsync(pending, [Registered(pending)], default);
        await store.SaveAsync(pending.Configure(1, TimeSpan.FromHours(1)).ScheduleDeletion(T0.AddDays(7)), pending.Revision, [Event(pending, AuditAction.DeletionScheduled, 1)], default);
        var off = NewIdentity("rot-off@example.com");
        await store.CreateAsync(off, [Registered(off)], default);
        var latest = hourly.Keys.Latest.CreatedAt;

        (await due.FindDueRotationsAsync(latest.AddMinutes(59), 100, default)).Should().BeEmpty();
        (await due.FindDueRotationsAsync(latest.AddHours(1), 100, default)).Select(e => e.Normalized)
            .Should().Equal([hourly.Email.Normalized], "a pending identity and one without a period are never due");

        // A new version restarts the period.
        var rotated = Rotated(configured);
        await store.SaveAsync(rotated, configured.Revision, [Event(hourly, AuditAction.Rotated, 2)], default);
        (await due.FindDueRotationsAsync(rotated.Keys.Latest.CreatedAt.AddMinutes(59), 100, default)).Should().BeEmpty();
        (await due.FindDueRotationsAsync(rotated.Keys.Latest.CreatedAt.AddHours(1), 100, default)).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task A_conditional_delete_shreds_only_the_revision_it_was_given()
    {
        var store = await Store();
        var identity = await CreateScheduledAsync(store, "cond-delete@example.com", T0);
        var restored = identity.CancelDeletion();
        await store.SaveAsync(restored, identity.Revision, [Event(identity, AuditAction.DeletionCancelled, null)], default);

        (await store.DeleteIfUnchangedAsync(identity.Id, identity.Revision, Event(identity, AuditAction.Deleted, 1), default))
            .Should().BeFalse("the identity was restored after that read");
        (await store.FindAsync(identity.Email, default)).Should().NotBeNull();

        (await store.DeleteIfUnchangedAsync(identity.Id, restored.Revision, Event(identity, AuditAction.Deleted, 1), default)).Should().BeTrue();
        (await store.FindAsync(identity.Email, default)).Should().BeNull();
        (await store.DeleteIfUnchangedAsync(identity.Id, restored.Revision, Event(identity, AuditAction.Deleted, 1), default)).Should().BeFalse("gone");
        var trail = await (await Trail()).ReadAsync(identity.Id, null, null, 100, default);
        trail.Events.Count(e => e.Action == AuditAction.Deleted).Should().Be(1, "only the delete that happened is recorded");
    }

    [SkippableFact]
    public async Task A_lease_has_one_holder_until_it_expires_or_is_released()
    {
        var leases = await Leases();
        var minute = TimeSpan.FromMinutes(1);

        (await leases.TryAcquireAsync("work", "node-a", T0, minute, default)).Should().BeTrue("nobody held it");
        (await leases.TryAcquireAsync("work", "node-b", T0.AddSeconds(30), minute, default)).Should().BeFalse("node-a holds it");
        (await leases.TryAcquireAsync("other-work", "node-b", T0.AddSeconds(30), minute, default)).Should().BeTrue("leases are by name");
        (await leases.TryAcquireAsync("work", "node-a", T0.AddSeconds(50), minute, default)).Should().BeTrue("the holder renews");
        (await leases.TryAcquireAsync("work", "node-b", T0.AddSeconds(90), minute, default)).Should().BeFalse("renewed until 110 s");
        (await leases.TryAcquireAsync("work", "node-b", T0.AddSeconds(110), minute, default)).Should().BeTrue("expired: taken over");
        (await leases.TryAcquireAsync("work", "node-a", T0.AddSeconds(111), minute, default)).Should().BeFalse("node-b holds it now");

        await leases.ReleaseAsync("work", "node-a", default);
        (await leases.TryAcquireAsync("work", "node-a", T0.AddSeconds(112), minute, default)).Should().BeFalse("only the holder can release");
        await leases.ReleaseAsync("work", "node-b", default);
        (await leases.TryAcquireAsync("work", "node-a", T0.AddSeconds(113), minute, default)).Should().BeTrue("released");
    }

    [SkippableFact]
    public async Task Of_two_holders_racing_for_a_free_lease_exactly_one_wins_each_round()
    {
        var leases = await Leases();
        for (var round = 0; round < 10; round++)
        {
            var at = T0.AddMinutes(round * 10);
            var results = await Task.WhenAll(
                Task.Run(() => leases.TryAcquireAsync("race", "node-a", at, TimeSpan.FromMinutes(5), default)),
                Task.Run(() => leases.TryAcquireAsync("race", "node-b", at, TimeSpan.FromMinutes(5), default)));
            results.Count(won => won).Should().Be(1, $"round {round}: the lease is free (the last one expired), and only one may take it");
        }
    }

    private static async Task<Identity> CreateScheduledAsync(Application.Common.Ports.IKeyStore store, string email, DateTimeOffset deletesAt)
    {
        var identity = NewIdentity(email);
        await store.CreateAsync(identity, [Registered(identity)], default);
        var scheduled = identity.ScheduleDeletion(deletesAt);
        await store.SaveAsync(scheduled, identity.Revision, [Event(identity, AuditAction.DeletionScheduled, 1)], default);
        return scheduled;
    }
}
