using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
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
            await _adapter.DisposeAsync();
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

    protected async Task<IIdentityChangeFeed> Changes() => (await Adapter()).Changes;

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
