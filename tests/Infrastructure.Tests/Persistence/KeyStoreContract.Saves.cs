using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Keys;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// The saving part of the contract: a change is the aggregate's next state, saved against the
/// revision it was made from, with its audit events, all or nothing.
/// </summary>
public abstract partial class KeyStoreContract
{
    [SkippableFact]
    public async Task A_rotation_saved_at_the_current_revision_extends_the_ring_and_stores_the_next_revision()
    {
        var store = await Store();
        var identity = NewIdentity("erin@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        var rotated = Rotated(identity, KeySize.Rsa4096);

        await store.SaveAsync(rotated, 1, [Event(identity, AuditAction.Rotated, 2)], default);

        var found = await store.FindAsync(identity.Email, default);
        found!.Revision.Should().Be(2);
        found.Keys.Versions.Select(v => v.Version).Should().Equal(1, 2);
        found.Keys.MinDecryptionVersion.Should().Be(1);
        found.Keys.Latest.Size.Should().Be(KeySize.Rsa4096);
        found.Keys.Latest.PublicKey.Should().Equal(rotated.Keys.Latest.PublicKey);
        found.Keys.Latest.SealedPrivateKey.ToArray().Should().Equal(rotated.Keys.Latest.SealedPrivateKey.ToArray());
        found.Keys.Latest.CreatedAt.Should().Be(rotated.Keys.Latest.CreatedAt);
        found.Keys.Versions[0].SealedPrivateKey.ToArray().Should().Equal(identity.Keys.Latest.SealedPrivateKey.ToArray());
    }

    [SkippableFact]
    public async Task A_configuration_saved_at_the_current_revision_stores_the_minimum_and_keeps_the_ring()
    {
        var store = await Store();
        var identity = NewIdentity("min@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        var rotated = Rotated(Rotated(identity));
        await store.SaveAsync(rotated, 1, [Event(identity, AuditAction.Rotated, 3)], default);

        await store.SaveAsync(rotated.Configure(3), 3, [Event(identity, AuditAction.Configured, 3)], default);
        var found = await store.FindAsync(identity.Email, default);
        await store.SaveAsync(found!.Configure(2), 4, [Event(identity, AuditAction.Configured, 2)], default);

        var lowered = await store.FindAsync(identity.Email, default);
        found.Keys.MinDecryptionVersion.Should().Be(3);
        lowered!.Keys.MinDecryptionVersion.Should().Be(2, "the minimum may go down again");
        lowered.Revision.Should().Be(5);
        lowered.Keys.Versions.Select(v => v.Version).Should().Equal(1, 2, 3);
    }

    [SkippableFact]
    public async Task A_save_stores_the_whole_next_state_however_many_changes_made_it()
    {
        var store = await Store();
        var identity = NewIdentity("whole@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        var next = Rotated(Rotated(identity)).Configure(2);

        await store.SaveAsync(next, 1, [Event(identity, AuditAction.Rotated, 2), Event(identity, AuditAction.Rotated, 3), Event(identity, AuditAction.Configured, 2)], default);

        var found = await store.FindAsync(identity.Email, default);
        found!.Revision.Should().Be(4);
        found.Keys.Versions.Select(v => v.Version).Should().Equal(1, 2, 3);
        found.Keys.Versions.Select(v => v.PublicKey).Should().BeEquivalentTo(next.Keys.Versions.Select(v => v.PublicKey), o => o.WithStrictOrdering());
        found.Keys.MinDecryptionVersion.Should().Be(2);
        found.Email.Display.Should().Be(identity.Email.Display);
        found.ApiKeyHash.Should().Be(identity.ApiKeyHash);
        found.Exportable.Should().Be(identity.Exportable);
        found.CreatedAt.Should().Be(identity.CreatedAt);
        (await store.FindCredentialOwnerAsync(identity.ApiKeyHash, default))!.IdentityId.Should().Be(identity.Id);
        var page = await (await Trail()).ReadAsync(identity.Id, null, null, 10, default);
        page.Events.Select(e => e.Action).Should().BeEquivalentTo([AuditAction.Registered, AuditAction.Rotated, AuditAction.Rotated, AuditAction.Configured]);
    }

    [SkippableFact]
    public async Task A_save_at_a_stale_revision_is_a_conflict_and_keeps_neither_the_change_nor_its_events()
    {
        var store = await Store();
        var identity = NewIdentity("frank@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.SaveAsync(Rotated(identity), 1, [Event(identity, AuditAction.Rotated, 2)], default);

        var stale = () => store.SaveAsync(identity.Configure(1), 1, [Event(identity, AuditAction.Configured, 1)], default);

        await stale.Should().ThrowAsync<ConcurrencyConflictException>();
        var found = await store.FindAsync(identity.Email, default);
        found!.Keys.Versions.Should().HaveCount(2);
        found.Revision.Should().Be(2);
        var page = await (await Trail()).ReadAsync(identity.Id, null, null, 50, default);
        page.Events.Select(e => e.Action).Should().NotContain(AuditAction.Configured, "the losing save's audit event must not be kept either");
    }

    [SkippableFact]
    public async Task Concurrent_saves_from_one_read_state_have_exactly_one_winner()
    {
        var store = await Store();
        var identity = NewIdentity("contest@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        var contenders = Enumerable.Range(0, 12).Select(_ => Rotated(identity)).ToArray();

        var outcomes = await Task.WhenAll(contenders.Select(next => Task.Run(async () =>
        {
            try
            {
                await store.SaveAsync(next, 1, [Event(identity, AuditAction.Rotated, 2)], default);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        })));

        outcomes.Count(won => won).Should().Be(1);
        var winner = contenders[Array.IndexOf(outcomes, true)];
        var found = await store.FindAsync(identity.Email, default);
        found!.Revision.Should().Be(2);
        found.Keys.Versions.Should().HaveCount(2);
        found.Keys.Latest.SealedPrivateKey.ToArray().Should().Equal(winner.Keys.Latest.SealedPrivateKey.ToArray());
        var page = await (await Trail()).ReadAsync(identity.Id, null, null, 50, default);
        page.Events.Count(e => e.Action == AuditAction.Rotated).Should().Be(1, "only the winner's event is kept");
    }

    [SkippableFact]
    public async Task Concurrent_rotations_that_reread_on_conflict_get_consecutive_versions_and_never_the_same_one()
    {
        var store = await Store();
        var identity = NewIdentity("rotator@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        const int rotations = 12;

        await Task.WhenAll(Enumerable.Range(0, rotations).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var current = (await store.FindAsync(identity.Email, default))!;
                try
                {
                    await store.SaveAsync(Rotated(current), current.Revision, [Event(identity, AuditAction.Rotated, current.Keys.NextVersion)], default);
                    return;
                }
                catch (ConcurrencyConflictException)
                {
                    // Lost the race: re-read and claim the next number.
                }
            }
        })));

        var found = await store.FindAsync(identity.Email, default);
        found!.Keys.Versions.Select(v => v.Version).Should().Equal(Enumerable.Range(1, rotations + 1));
        found.Revision.Should().Be(rotations + 1);
    }

    [SkippableFact]
    public async Task Saving_a_deleted_identity_reports_it_as_not_found_and_writes_nothing()
    {
        var store = await Store();
        var identity = NewIdentity("gone@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 1), default);

        var rotate = () => store.SaveAsync(Rotated(identity), 1, [Event(identity, AuditAction.Rotated, 2)], default);
        var configure = () => store.SaveAsync(identity.Configure(1), 1, [Event(identity, AuditAction.Configured, 1)], default);

        await rotate.Should().ThrowAsync<IdentityNotFoundException>();
        await configure.Should().ThrowAsync<IdentityNotFoundException>();
        (await store.FindAsync(identity.Email, default)).Should().BeNull();
        var page = await (await Trail()).ReadAsync(identity.Id, null, null, 10, default);
        page.Events.Select(e => e.Action).Should().Equal(AuditAction.Deleted, AuditAction.Registered);
    }

    [SkippableFact]
    public async Task A_save_that_would_drop_a_stored_key_version_is_refused_because_versions_are_append_only()
    {
        var store = await Store();
        var identity = NewIdentity("append@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.SaveAsync(Rotated(identity), 1, [Event(identity, AuditAction.Rotated, 2)], default);

        // A state made from version 1 only, claiming to follow revision 2: not one made from what is stored.
        var act = () => store.SaveAsync(identity.Configure(1).Configure(1), 2, [Event(identity, AuditAction.Configured, 1)], default);

        await act.Should().ThrowAsync<ArgumentException>();
        var found = await store.FindAsync(identity.Email, default);
        found!.Keys.Versions.Should().HaveCount(2);
        found.Revision.Should().Be(2);
    }

    [SkippableFact]
    public async Task A_save_whose_state_is_not_later_than_the_expected_revision_is_refused_before_the_store_is_asked()
    {
        var store = await Store();
        var identity = NewIdentity("same@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);

        var act = () => store.SaveAsync(identity, 1, [], default);

        await act.Should().ThrowAsync<ArgumentException>();
        (await store.FindAsync(identity.Email, default))!.Revision.Should().Be(1);
    }

    [SkippableFact]
    public async Task A_large_key_ring_reads_back_complete_and_in_order()
    {
        var store = await Store();
        var identity = NewIdentity("many@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        const int versions = 150;
        var current = identity;
        for (var v = 2; v <= versions; v++)
        {
            var next = Rotated(current);
            await store.SaveAsync(next, current.Revision, [Event(identity, AuditAction.Rotated, v)], default);
            current = next;
        }

        var found = await store.FindAsync(identity.Email, default);

        found!.Keys.Versions.Select(k => k.Version).Should().Equal(Enumerable.Range(1, versions));
        found.Keys.Latest.Version.Should().Be(versions);
    }
}
