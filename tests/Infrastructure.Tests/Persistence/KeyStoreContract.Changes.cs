using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// The change feed part of the contract: every committed create, save and delete is one entry,
/// numbered in commit order without gaps, and nothing else is; what nodes' caches rely on to hear
/// of changes made elsewhere.
/// </summary>
public abstract partial class KeyStoreContract
{
    [SkippableFact]
    public async Task Every_create_save_and_delete_is_one_entry_of_the_change_feed_in_commit_order()
    {
        var (store, changes) = (await Store(), await Changes());
        var start = await changes.LatestAsync(default);
        var alice = NewIdentity("feed-alice@example.com");
        var bob = NewIdentity("feed-bob@example.com");

        await store.CreateAsync(alice, [Registered(alice)], default);
        await store.CreateAsync(bob, [Registered(bob)], default);
        await store.SaveAsync(Rotated(alice), 1, [Event(alice, AuditAction.Rotated, 2)], default);
        await store.SaveAsync(bob.Configure(1), 1, [Event(bob, AuditAction.Configured, 1)], default);
        await store.DeleteAsync(bob.Id, Event(bob, AuditAction.Deleted, null), default);

        var batch = await changes.ReadAfterAsync(start, 100, default);
        batch.IdentityIds.Should().Equal(alice.Id, bob.Id, alice.Id, bob.Id, bob.Id);
        batch.Cursor.Should().Be(start + 5).And.Be(await changes.LatestAsync(default));
        batch.Missed.Should().BeFalse();
        (await changes.ReadAfterAsync(batch.Cursor, 100, default)).IdentityIds.Should().BeEmpty("nothing changed since");
    }

    [SkippableFact]
    public async Task A_change_that_was_not_committed_leaves_no_entry_and_no_gap()
    {
        var (store, changes) = (await Store(), await Changes());
        var identity = NewIdentity("feed-refused@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        var start = await changes.LatestAsync(default);

        var taken = () => store.CreateAsync(NewIdentity("Feed-Refused@example.com"), [Registered(identity)], default);
        await taken.Should().ThrowAsync<IdentityAlreadyExistsException>();
        var stale = () => store.SaveAsync(Rotated(Rotated(identity)), 2, [Event(identity, AuditAction.Rotated, 3)], default);
        await stale.Should().ThrowAsync<ConcurrencyConflictException>();
        (await store.DeleteAsync(Guid.NewGuid(), Event(identity, AuditAction.Deleted, null), default)).Should().BeFalse();
        (await changes.LatestAsync(default)).Should().Be(start, "a refused change is not a change");

        await store.SaveAsync(Rotated(identity), 1, [Event(identity, AuditAction.Rotated, 2)], default);
        var batch = await changes.ReadAfterAsync(start, 100, default);
        batch.IdentityIds.Should().Equal(identity.Id);
        batch.Cursor.Should().Be(start + 1, "the next number follows on");
    }

    [SkippableFact]
    public async Task Reads_come_in_batches_from_the_cursor_on()
    {
        var (store, changes) = (await Store(), await Changes());
        var start = await changes.LatestAsync(default);
        var identities = Enumerable.Range(0, 5).Select(i => NewIdentity($"feed-batch-{i}@example.com")).ToList();
        foreach (var identity in identities)
        {
            await store.CreateAsync(identity, [Registered(identity)], default);
        }

        var first = await changes.ReadAfterAsync(start, 2, default);
        var second = await changes.ReadAfterAsync(first.Cursor, 2, default);
        var third = await changes.ReadAfterAsync(second.Cursor, 2, default);

        first.IdentityIds.Concat(second.IdentityIds).Concat(third.IdentityIds).Should().Equal(identities.Select(i => i.Id));
        third.IdentityIds.Should().HaveCount(1);
    }

    [SkippableFact]
    public async Task Pruning_keeps_the_newest_entry_and_a_cursor_behind_what_was_pruned_is_told_it_missed_entries()
    {
        var (store, changes) = (await Store(), await Changes());
        var start = await changes.LatestAsync(default);
        var identities = Enumerable.Range(0, 3).Select(i => NewIdentity($"feed-prune-{i}@example.com")).ToList();
        foreach (var identity in identities)
        {
            await store.CreateAsync(identity, [Registered(identity)], default);
        }

        (await changes.PruneAsync(DateTimeOffset.UtcNow.AddHours(-1), default)).Should().Be(0, "nothing is an hour old");
        (await changes.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1), default)).Should().BeGreaterThanOrEqualTo(2);

        (await changes.LatestAsync(default)).Should().Be(start + 3, "the newest entry stays, so the numbering is still known");
        var behind = await changes.ReadAfterAsync(start, 100, default);
        behind.Missed.Should().BeTrue("entries after this cursor are gone unread");
        var current = await changes.ReadAfterAsync(start + 2, 100, default);
        current.Missed.Should().BeFalse("a cursor at the entry before the newest lost nothing");
        current.IdentityIds.Should().Equal(identities[2].Id);
    }
}
