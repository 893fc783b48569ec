using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Persistence;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// The behaviour every <see cref="IKeyStore"/> adapter must have. Each adapter's test class derives
/// from this and says how to make a fresh, empty store; an adapter whose server is not available
/// skips every test with the reason (a visible skip, never a silent pass).
/// </summary>
public abstract partial class KeyStoreContract : IAsyncLifetime
{
    private KeyStoreAdapter? _adapter;

    /// <summary>A fresh, empty store, or <see cref="Skip"/> with the reason it cannot run.</summary>
    protected abstract Task<KeyStoreAdapter> CreateStoreAsync();

    /// <summary>Drops what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task DestroyStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_adapter is not null)
        {
            await DestroyStoreAsync();
        }
    }

    private async Task<KeyStoreAdapter> Adapter()
    {
        if (_adapter is null)
        {
            _adapter = await CreateStoreAsync();
            await _adapter.Admin.InitializeAsync(CancellationToken.None);
        }

        return _adapter;
    }

    protected async Task<IKeyStoreAdmin> Admin() => (await Adapter()).Admin;

    protected async Task<IKeyStore> Store() => (await Adapter()).KeyStore;

    protected async Task<IAuditTrail> Trail() => (await Adapter()).AuditTrail;

    // ---- registration and reads -------------------------------------------------------------

    [SkippableFact]
    public async Task A_created_identity_reads_back_with_every_field_and_key_byte()
    {
        var store = await Store();
        var identity = NewIdentity("Alice.Smith@Example.com", exportable: false);

        await store.CreateAsync(identity, [Registered(identity)], default);
        var found = await store.FindAsync(EmailAddress.Parse("alice.smith@example.com"), default);

        found.Should().NotBeNull();
        found!.Id.Should().Be(identity.Id);
        found.Email.Display.Should().Be("Alice.Smith@Example.com");
        found.Email.Normalized.Should().Be("alice.smith@example.com");
        found.ApiKeyHash.Should().Be(identity.ApiKeyHash);
        found.Exportable.Should().BeFalse();
        found.Revision.Should().Be(1);
        found.CreatedAt.Should().Be(identity.CreatedAt);
        found.Keys.MinDecryptionVersion.Should().Be(1);
        found.Keys.Versions.Should().ContainSingle();
        var (expected, actual) = (identity.Keys.Latest, found.Keys.Latest);
        actual.Version.Should().Be(1);
        actual.Size.Should().Be(expected.Size);
        actual.PublicKey.Should().Equal(expected.PublicKey);
        actual.SealedPrivateKey.ToArray().Should().Equal(expected.SealedPrivateKey.ToArray());
        actual.CreatedAt.Should().Be(expected.CreatedAt);
    }

    [SkippableFact]
    public async Task Lookups_ignore_case_and_surrounding_space_and_unknown_addresses_are_absent()
    {
        var store = await Store();
        var identity = NewIdentity("bob@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);

        (await store.FindAsync(EmailAddress.Parse("  BOB@Example.COM "), default))!.Id.Should().Be(identity.Id);
        (await store.FindAsync(EmailAddress.Parse("BOB@EXAMPLE.COM"), default))!.Id.Should().Be(identity.Id);
        (await store.FindAsync(EmailAddress.Parse("nobody@example.com"), default)).Should().BeNull();
    }

    [SkippableFact]
    public async Task Registering_a_taken_address_fails_and_leaves_the_first_registration_intact()
    {
        var store = await Store();
        var first = NewIdentity("carol@example.com");
        await store.CreateAsync(first, [Registered(first)], default);
        var second = NewIdentity("Carol@Example.com");

        var act = () => store.CreateAsync(second, [Registered(second)], default);

        await act.Should().ThrowAsync<IdentityAlreadyExistsException>();
        var found = await store.FindAsync(EmailAddress.Parse("carol@example.com"), default);
        found!.Id.Should().Be(first.Id);
        found.Keys.Latest.PublicKey.Should().Equal(first.Keys.Latest.PublicKey);
        (await store.FindCredentialOwnerAsync(second.ApiKeyHash, default)).Should().BeNull();
    }

    [SkippableFact]
    public async Task Concurrent_registrations_of_one_address_have_exactly_one_winner()
    {
        var store = await Store();
        var contenders = Enumerable.Range(0, 16).Select(_ => NewIdentity("race@example.com")).ToArray();

        var outcomes = await Task.WhenAll(contenders.Select(async identity =>
        {
            try
            {
                await store.CreateAsync(identity, [Registered(identity)], default);
                return true;
            }
            catch (IdentityAlreadyExistsException)
            {
                return false;
            }
        }));

        outcomes.Count(won => won).Should().Be(1);
        var winner = contenders[Array.IndexOf(outcomes, true)];
        (await store.FindAsync(EmailAddress.Parse("race@example.com"), default))!.Id.Should().Be(winner.Id);
    }

    [SkippableFact]
    public async Task An_api_key_hash_finds_its_owner_and_nothing_else()
    {
        var store = await Store();
        var identity = NewIdentity("dave@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);

        var owner = await store.FindCredentialOwnerAsync(identity.ApiKeyHash, default);

        owner.Should().Be(new CredentialOwner(identity.Id, "dave@example.com"));
        (await store.FindCredentialOwnerAsync(new ApiKeyHash(RandomNumberGenerator.GetBytes(32)), default)).Should().BeNull();
    }

    // ---- saving changes ----------------------------------------------------------------------

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

    // ---- deletion ---------------------------------------------------------------------------

    [SkippableFact]
    public async Task Delete_removes_the_identity_its_keys_and_its_credential_and_frees_the_address()
    {
        var store = await Store();
        var identity = NewIdentity("heidi@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.SaveAsync(Rotated(identity), 1, [Event(identity, AuditAction.Rotated, 2)], default);

        (await store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 2), default)).Should().BeTrue();

        (await store.FindAsync(identity.Email, default)).Should().BeNull();
        (await store.FindCredentialOwnerAsync(identity.ApiKeyHash, default)).Should().BeNull();
        (await store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 2), default)).Should().BeFalse();

        var again = NewIdentity("heidi@example.com");
        await store.CreateAsync(again, [Registered(again)], default);
        (await store.FindAsync(identity.Email, default))!.Id.Should().Be(again.Id);
    }

    [SkippableFact]
    public async Task The_audit_trail_outlives_a_deleted_registration_and_does_not_leak_into_a_new_one()
    {
        var store = await Store();
        var trail = await Trail();
        var identity = NewIdentity("ivan@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 1), default);
        var again = NewIdentity("ivan@example.com");
        await store.CreateAsync(again, [Registered(again)], default);

        var old = await trail.ReadAsync(identity.Id, null, null, 10, default);
        var fresh = await trail.ReadAsync(again.Id, null, null, 10, default);

        old.Events.Select(e => e.Action).Should().Equal(AuditAction.Deleted, AuditAction.Registered);
        fresh.Events.Select(e => e.Action).Should().Equal(AuditAction.Registered);
    }

    // ---- administration ---------------------------------------------------------------------

    [SkippableFact]
    public async Task The_first_master_key_check_value_is_kept_and_later_ones_do_not_replace_it()
    {
        var admin = await Admin();
        var first = RandomNumberGenerator.GetBytes(32);

        (await admin.EnsureMasterKeyCheckAsync(first, default)).Should().Equal(first);
        (await admin.EnsureMasterKeyCheckAsync(RandomNumberGenerator.GetBytes(32), default)).Should().Equal(first);
    }

    [SkippableFact]
    public async Task Initialization_is_idempotent_and_the_store_answers_pings()
    {
        var admin = await Admin();
        var store = await Store();
        var identity = NewIdentity("olga@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);

        await admin.InitializeAsync(default);
        await admin.PingAsync(default);

        (await store.FindAsync(identity.Email, default)).Should().NotBeNull();
    }
}
