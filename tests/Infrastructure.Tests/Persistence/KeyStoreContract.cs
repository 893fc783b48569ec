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
    private IKeyStoreAdmin? _admin;

    /// <summary>A fresh, empty store, or <see cref="Skip"/> with the reason it cannot run.</summary>
    protected abstract Task<IKeyStoreAdmin> CreateStoreAsync();

    /// <summary>Drops what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task DestroyStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await DestroyStoreAsync();
        }
    }

    private async Task<IKeyStoreAdmin> Admin()
    {
        if (_admin is null)
        {
            _admin = await CreateStoreAsync();
            await _admin.InitializeAsync(CancellationToken.None);
        }

        return _admin;
    }

    protected async Task<IKeyStore> Store() => (IKeyStore)await Admin();

    protected async Task<IAuditTrail> Trail() => (IAuditTrail)await Admin();

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

        (await store.ExistsAsync(EmailAddress.Parse("  BOB@Example.COM "), default)).Should().BeTrue();
        (await store.FindAsync(EmailAddress.Parse("BOB@EXAMPLE.COM"), default))!.Id.Should().Be(identity.Id);
        (await store.FindAsync(EmailAddress.Parse("nobody@example.com"), default)).Should().BeNull();
        (await store.ExistsAsync(EmailAddress.Parse("nobody@example.com"), default)).Should().BeFalse();
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

    // ---- rotation and configuration ---------------------------------------------------------

    [SkippableFact]
    public async Task Adding_a_version_at_the_current_revision_extends_the_ring_and_bumps_the_revision()
    {
        var store = await Store();
        var identity = NewIdentity("erin@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        var v2 = NewVersion(2, KeySize.Rsa4096);

        await store.AddKeyVersionAsync(identity.Id, 1, v2, Event(identity, AuditAction.Rotated, 2), default);

        var found = await store.FindAsync(identity.Email, default);
        found!.Revision.Should().Be(2);
        found.Keys.Versions.Select(v => v.Version).Should().Equal(1, 2);
        found.Keys.Latest.Size.Should().Be(KeySize.Rsa4096);
        found.Keys.Latest.SealedPrivateKey.ToArray().Should().Equal(v2.SealedPrivateKey.ToArray());
    }

    [SkippableFact]
    public async Task Adding_a_version_at_a_stale_revision_is_a_conflict_and_changes_nothing()
    {
        var store = await Store();
        var identity = NewIdentity("frank@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.AddKeyVersionAsync(identity.Id, 1, NewVersion(2), Event(identity, AuditAction.Rotated, 2), default);

        var act = () => store.AddKeyVersionAsync(identity.Id, 1, NewVersion(3), Event(identity, AuditAction.Rotated, 3), default);

        await act.Should().ThrowAsync<ConcurrencyConflictException>();
        var found = await store.FindAsync(identity.Email, default);
        found!.Keys.Versions.Should().HaveCount(2);
        found.Revision.Should().Be(2);
        var page = await (await Trail()).ReadAsync(identity.Id, null, null, 50, default);
        page.Events.Count(e => e.Action == AuditAction.Rotated).Should().Be(1, "the losing write's audit event must not be kept either");
    }

    [SkippableFact]
    public async Task Changing_a_deleted_identity_reports_it_as_not_found()
    {
        var store = await Store();
        var identity = NewIdentity("gone@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 1), default);

        var rotate = () => store.AddKeyVersionAsync(identity.Id, 1, NewVersion(2), Event(identity, AuditAction.Rotated, 2), default);
        var configure = () => store.SetMinDecryptionVersionAsync(identity.Id, 1, 1, Event(identity, AuditAction.Configured, 1), default);

        await rotate.Should().ThrowAsync<IdentityNotFoundException>();
        await configure.Should().ThrowAsync<IdentityNotFoundException>();
    }

    [SkippableFact]
    public async Task Concurrent_rotations_get_consecutive_versions_and_never_the_same_one()
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
                var next = current.Keys.NextVersion;
                try
                {
                    await store.AddKeyVersionAsync(identity.Id, current.Revision, NewVersion(next), Event(identity, AuditAction.Rotated, next), default);
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
    public async Task The_minimum_decryption_version_is_stored_with_optimistic_concurrency()
    {
        var store = await Store();
        var identity = NewIdentity("min@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.AddKeyVersionAsync(identity.Id, 1, NewVersion(2), Event(identity, AuditAction.Rotated, 2), default);

        await store.SetMinDecryptionVersionAsync(identity.Id, 2, 2, Event(identity, AuditAction.Configured, 2), default);
        var stale = () => store.SetMinDecryptionVersionAsync(identity.Id, 2, 1, Event(identity, AuditAction.Configured, 1), default);

        await stale.Should().ThrowAsync<ConcurrencyConflictException>();
        var found = await store.FindAsync(identity.Email, default);
        found!.Keys.MinDecryptionVersion.Should().Be(2);
        found.Revision.Should().Be(3);
    }

    [SkippableFact]
    public async Task A_large_key_ring_reads_back_complete_and_in_order()
    {
        var store = await Store();
        var identity = NewIdentity("many@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        const int versions = 150;
        for (var v = 2; v <= versions; v++)
        {
            await store.AddKeyVersionAsync(identity.Id, v - 1, NewVersion(v), Event(identity, AuditAction.Rotated, v), default);
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
        await store.AddKeyVersionAsync(identity.Id, 1, NewVersion(2), Event(identity, AuditAction.Rotated, 2), default);

        (await store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 2), default)).Should().BeTrue();

        (await store.FindAsync(identity.Email, default)).Should().BeNull();
        (await store.ExistsAsync(identity.Email, default)).Should().BeFalse();
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
