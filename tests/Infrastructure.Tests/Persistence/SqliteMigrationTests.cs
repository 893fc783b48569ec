using CryptoSecure.Infrastructure.Persistence;
using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// The SQLite schema's ordered migrations: the first release's store (tests/Fixtures/v0.1.0)
/// is brought to the current version at start-up, a store of a newer version is refused untouched,
/// and a step that fails leaves the store at the last step that completed.
/// </summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private static readonly string FirstReleaseStore = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v0.1.0", "cryptosecure.db");

    private readonly string _directory = Directory.CreateTempSubdirectory("cryptosecure-migration-").FullName;

    private string DatabasePath => Path.Combine(_directory, "store.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void The_migrations_are_numbered_in_order_from_1_and_the_last_is_the_schema_version()
    {
        SqliteSchema.Migrations.Select(m => m.Version).Should().Equal(Enumerable.Range(1, SqliteSchema.Migrations.Count));
        SqliteSchema.EmailOwnershipVersion.Should().BeLessThan(SqliteSchema.LifecycleVersion, "the rebuild of identities runs before lifecycle adds its columns");
        SqliteSchema.Version.Should().Be(SqliteSchema.MasterKeyIdsVersion);
    }

    [Fact]
    public async Task A_new_store_runs_every_migration_and_ends_at_the_current_version()
    {
        await SqliteStore.Open(DatabasePath).Admin.InitializeAsync(default);

        (await ScalarAsync("PRAGMA user_version;")).Should().Be((long)SqliteSchema.Version);
    }

    [Fact]
    public async Task The_first_releases_store_is_migrated_and_its_events_get_their_kinds()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        (await ScalarAsync("PRAGMA user_version;")).Should().Be(1L, "the fixture is a version 1 store");
        var store = SqliteStore.Open(DatabasePath);

        await store.Admin.InitializeAsync(default);

        (await ScalarAsync("PRAGMA user_version;")).Should().Be((long)SqliteSchema.Version);
        var alice = (await store.KeyStore.FindAsync(EmailAddress.Parse("alice@example.com"), default))!;
        alice.Keys.Versions.Should().HaveCount(3);
        var events = (await store.AuditTrail.ReadAsync(alice.Id, null, null, 200, default)).Events;
        events.Should().HaveCount(17).And.OnlyContain(e => e.Count == 1 && e.LastOccurredAt == e.OccurredAt);
        var denied = (await store.AuditTrail.ReadAsync(alice.Id, AuditKind.Denied, null, 200, default)).Events;
        denied.Should().HaveCount(2).And.OnlyContain(e => e.Actor == AuditActor.Other && e.Action == AuditAction.Denied);
        (await store.AuditTrail.ReadAsync(alice.Id, AuditKind.Public, null, 200, default)).Events.Should().HaveCount(7).And.OnlyContain(e => e.Action == AuditAction.Encrypted);
        (await store.AuditTrail.ReadAsync(alice.Id, AuditKind.Owner, null, 200, default)).Events.Should().HaveCount(8);
        (await ScalarAsync("SELECT count(*) FROM audit_events WHERE kind <> CASE WHEN actor IN ('Owner','Admin') THEN 'Owner' WHEN outcome = 'Denied' THEN 'Denied' WHEN action = 'Encrypted' THEN 'Public' ELSE 'Owner' END;"))
            .Should().Be(0L);
    }

    [Fact]
    public async Task Refusals_after_the_upgrade_aggregate_and_the_first_releases_refusals_stay_single()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);
        var alice = (await store.KeyStore.FindAsync(EmailAddress.Parse("alice@example.com"), default))!;
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000);

        for (var i = 0; i < 5; i++)
        {
            await store.AuditTrail.AppendAsync(Refusal(alice, now.AddSeconds(i), "127.0.0.1"), default);
        }

        (await store.AuditTrail.ReadAsync(alice.Id, AuditKind.Denied, null, 200, default)).Events.Select(e => e.Count).Should().Equal(5, 1, 1);
    }

    [Fact]
    public async Task Schema_7_the_keys_already_there_name_no_master_key_until_the_start_adopts_them_as_the_check_values()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);

        (await ScalarAsync("PRAGMA user_version;")).Should().Be((long)SqliteSchema.MasterKeyIdsVersion);
        (await store.Admin.CountSealedKeysAsync(default)).Should().BeEquivalentTo([new SealedKeyCount(null, 6)], "the migration cannot know which key sealed them");
        (await store.Admin.ReadMasterKeyCheckIdAsync(default)).Should().BeNull();
        var check = await store.Admin.EnsureMasterKeyCheckAsync([0], default);

        await store.Admin.AdoptMasterKeyAsync("00112233aabbccdd", check, "00112233aabbccdd", default);

        (await store.Admin.CountSealedKeysAsync(default)).Should().BeEquivalentTo([new SealedKeyCount("00112233aabbccdd", 6)]);
        (await ScalarAsync("SELECT count(*) FROM key_versions WHERE sealed_by IS NULL;")).Should().Be(0L);
        var alice = (await store.KeyStore.FindAsync(EmailAddress.Parse("alice@example.com"), default))!;
        alice.Keys.Versions.Should().OnlyContain(v => v.SealedPrivateKey.SealedBy == "00112233aabbccdd");
    }

    [Fact]
    public async Task Schema_5_rebuilds_identities_keeping_every_row_key_hash_and_version_and_lets_pending_registrations_share_an_address()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await SqliteMigrator.MigrateAsync(connection, SqliteSchema.Migrations.Take(SqliteSchema.EmailOwnershipVersion - 1).ToList(), DatabasePath, default);
        }

        var identitiesBefore = await RowsAsync("SELECT hex(id) || email_normalized || hex(api_key_hash) || revision || min_decryption_version FROM identities ORDER BY id;");
        var versionsBefore = await RowsAsync("SELECT hex(identity_id) || version || hex(sealed_private_key) FROM key_versions ORDER BY identity_id, version;");
        identitiesBefore.Should().NotBeEmpty();

        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);

        (await ScalarAsync("PRAGMA user_version;")).Should().Be((long)SqliteSchema.Version);
        (await RowsAsync("SELECT hex(id) || email_normalized || hex(api_key_hash) || revision || min_decryption_version FROM identities ORDER BY id;")).Should().Equal(identitiesBefore);
        (await RowsAsync("SELECT hex(identity_id) || version || hex(sealed_private_key) FROM key_versions ORDER BY identity_id, version;")).Should().Equal(versionsBefore, "dropping the old table must not cascade into the key versions");
        (await RowsAsync("SELECT DISTINCT standing FROM identities;")).Should().Equal("Legacy");
        (await RowsAsync("PRAGMA foreign_key_check;")).Should().BeEmpty();

        var alice = (await store.KeyStore.FindAsync(EmailAddress.Parse("alice@example.com"), default))!;
        alice.Standing.Should().Be(AddressStanding.Legacy);
        alice.EmailVerified.Should().BeFalse();

        // The address stays unique among holders; pending registrations may share one.
        var held = () => store.KeyStore.CreateAsync(NewIdentity("alice@example.com"), [], default);
        await held.Should().ThrowAsync<IdentityAlreadyExistsException>();
        var first = Pending("bob-new@example.com");
        var second = Pending("bob-new@example.com");
        await store.KeyStore.CreateAsync(first, [], default);
        await store.KeyStore.CreateAsync(second, [], default);
        (await ScalarAsync("SELECT count(*) FROM identities WHERE email_normalized = 'bob-new@example.com';")).Should().Be(2L);

        // Key versions still follow their identity (the foreign key points at the rebuilt table).
        (await store.KeyStore.DeleteAsync(alice.Id, Event(alice, AuditAction.Deleted, null), default)).Should().BeTrue();
        (await ScalarAsync($"SELECT count(*) FROM key_versions WHERE identity_id = x'{Convert.ToHexString(alice.Id.ToByteArray())}';")).Should().Be(0L);
    }

    private static Identity Pending(string email)
    {
        var usable = NewIdentity(email);
        return Identity.Restore(
            usable.Id, usable.Email, usable.ApiKeyHash, usable.Exportable, usable.CreatedAt, 1, usable.Keys,
            standing: AddressStanding.Pending, pendingUntil: usable.CreatedAt.AddHours(24), code: new OneTimeCode(CodePurpose.Registration, OneTimeCode.HashOf(usable.Id, "ABCDEFGHJK"), 0, usable.CreatedAt.AddHours(24)));
    }

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? "NULL" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    [Fact]
    public async Task Schema_4_a_version_3_store_keeps_its_versions_without_signing_keys_and_takes_one_on_a_save()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await SqliteMigrator.MigrateAsync(connection, SqliteSchema.Migrations.Take(3).ToList(), DatabasePath, default);
        }

        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);

        (await ScalarAsync("PRAGMA user_version;")).Should().Be((long)SqliteSchema.Version);
        (await ScalarAsync("SELECT count(*) FROM key_versions WHERE signing_public_key IS NOT NULL OR sealed_signing_key IS NOT NULL;")).Should().Be(0L, "no version had a signing key before");
        var alice = (await store.KeyStore.FindAsync(EmailAddress.Parse("alice@example.com"), default))!;
        alice.Keys.Versions.Should().OnlyContain(v => v.SigningKey == null);
        var signing = NewSigningKey();
        await store.KeyStore.SaveAsync(alice.WithSigningKey(alice.Keys.Latest.Version, signing), alice.Revision, [Event(alice, AuditAction.SigningKeyAdded, alice.Keys.Latest.Version)], default);

        var after = (await store.KeyStore.FindAsync(EmailAddress.Parse("alice@example.com"), default))!;
        after.Keys.Latest.SigningKey!.PublicKey.Should().Equal(signing.PublicKey);
        after.Keys.Versions.SkipLast(1).Should().OnlyContain(v => v.SigningKey == null, "only the latest version was given one");
        after.Keys.Versions.Select(v => v.SealedPrivateKey.ToArray()).Should().BeEquivalentTo(alice.Keys.Versions.Select(v => v.SealedPrivateKey.ToArray()), o => o.WithStrictOrdering());
        var halfWritten = () => ScalarAsync("UPDATE key_versions SET signing_public_key = x'00' WHERE version = 1 AND sealed_signing_key IS NULL;");
        await halfWritten.Should().ThrowAsync<SqliteException>("a signing key is stored whole or not at all");
    }

    [Fact]
    public async Task Lifecycle_schema_a_version_4_store_keeps_every_identity_with_nothing_pending_and_no_automatic_rotation()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await SqliteMigrator.MigrateAsync(connection, SqliteSchema.Migrations.Where(m => m.Version < SqliteSchema.LifecycleVersion).ToList(), DatabasePath, default);
        }

        var before = (long)(await ScalarAsync("SELECT count(*) FROM identities;"))!;
        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);

        (await ScalarAsync("PRAGMA user_version;")).Should().Be((long)SqliteSchema.Version);
        (await ScalarAsync("SELECT count(*) FROM identities;")).Should().Be(before);
        (await ScalarAsync("SELECT count(*) FROM identities WHERE deletes_at IS NOT NULL OR auto_rotate_seconds IS NOT NULL OR next_rotation_at IS NOT NULL;"))
            .Should().Be(0L, "nothing was pending or rotating automatically before");
        (await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name IN ('ix_identities_deletes_at', 'ix_identities_next_rotation_at', 'leases');")).Should().Be(3L);
        (await store.DueWork.FindDueDeletionsAsync(DateTimeOffset.MaxValue, 100, default)).Should().BeEmpty();
        (await store.DueWork.FindDueRotationsAsync(DateTimeOffset.MaxValue, 100, default)).Should().BeEmpty();
        var alice = (await store.KeyStore.FindAsync(EmailAddress.Parse("alice@example.com"), default))!;
        alice.IsPendingDeletion.Should().BeFalse();
        alice.AutoRotatePeriod.Should().BeNull();
        var halfWritten = () => ScalarAsync("UPDATE identities SET auto_rotate_seconds = 3600 WHERE next_rotation_at IS NULL;");
        await halfWritten.Should().ThrowAsync<SqliteException>("a period is stored with the time it makes due, or not at all");
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Schema_3_a_version_2_store_with_data_gains_the_change_feed_and_records_the_changes_after_the_upgrade()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await SqliteMigrator.MigrateAsync(connection, SqliteSchema.Migrations.Take(2).ToList(), DatabasePath, default);
        }

        (await ScalarAsync("PRAGMA user_version;")).Should().Be(2L, "a store as the previous release left it");
        var store = SqliteStore.Open(DatabasePath);

        await store.Admin.InitializeAsync(default);

        ((long)(await ScalarAsync("PRAGMA user_version;"))!).Should().BeGreaterThanOrEqualTo(3L, "schema 3 is applied (and any later step after it)");
        (await store.Changes.LatestAsync(default)).Should().Be(0, "nothing is back-filled: a node starting on the upgraded store starts with an empty cache");
        var alice = (await store.KeyStore.FindAsync(EmailAddress.Parse("alice@example.com"), default))!;
        await store.KeyStore.SaveAsync(alice.Configure(alice.Keys.Latest.Version), alice.Revision, [Event(alice, AuditAction.Configured, alice.Keys.Latest.Version)], default);
        var fresh = NewIdentity("after-upgrade@example.com");
        await store.KeyStore.CreateAsync(fresh, [Registered(fresh)], default);
        (await store.Changes.ReadAfterAsync(0, 10, default)).IdentityIds.Should().Equal(alice.Id, fresh.Id);

        // Accepted as this code's own version at the next start, not refused as newer nor migrated again.
        await SqliteStore.Open(DatabasePath).Admin.InitializeAsync(default);
        (await ScalarAsync("SELECT count(*) FROM identity_changes;")).Should().Be(2L);
    }

    [Fact]
    public async Task Initialising_twice_migrates_once()
    {
        File.Copy(FirstReleaseStore, DatabasePath);

        await SqliteStore.Open(DatabasePath).Admin.InitializeAsync(default);
        await SqliteStore.Open(DatabasePath).Admin.InitializeAsync(default);

        (await ScalarAsync("SELECT count(*) FROM pragma_table_info('audit_events') WHERE name = 'kind';")).Should().Be(1L);
    }

    [Fact]
    public async Task A_store_of_a_newer_schema_is_refused_with_a_clear_message_and_left_unchanged()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        await ExecuteAsync($"PRAGMA user_version = {SqliteSchema.Version + 1};");
        SqliteConnection.ClearAllPools();
        var before = SHA256.HashData(await File.ReadAllBytesAsync(DatabasePath));

        var act = () => SqliteStore.Open(DatabasePath).Admin.InitializeAsync(default);

        var refusal = (await act.Should().ThrowAsync<StartupConfigurationException>()).Which.Message;
        refusal.Should().Contain($"schema version {SqliteSchema.Version + 1}").And.Contain("newer").And.Contain("left unchanged");
        SqliteConnection.ClearAllPools();
        SHA256.HashData(await File.ReadAllBytesAsync(DatabasePath)).Should().Equal(before);
    }

    [Fact]
    public async Task A_step_that_fails_is_rolled_back_and_leaves_the_store_at_the_last_completed_step()
    {
        File.Copy(FirstReleaseStore, DatabasePath);
        SqliteMigration[] migrations =
        [
            SqliteSchema.Migrations[0],
            SqliteMigration.FromSql(2, "half a step", "ALTER TABLE audit_events ADD COLUMN half TEXT; SELECT no_such_function();"),
        ];

        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            var act = () => SqliteMigrator.MigrateAsync(connection, migrations, DatabasePath, default);
            await act.Should().ThrowAsync<SqliteException>();
        }

        (await ScalarAsync("PRAGMA user_version;")).Should().Be(1L);
        (await ScalarAsync("SELECT count(*) FROM pragma_table_info('audit_events') WHERE name = 'half';")).Should().Be(0L);
    }

    [Fact]
    public async Task Migrations_out_of_order_are_a_programming_error_caught_before_anything_runs()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();

        var act = () => SqliteMigrator.MigrateAsync(connection, [SqliteSchema.Migrations[1]], DatabasePath, default);
        // A gap too: a store at version 3 would never get a step 2 filled in later.
        var gap = () => SqliteMigrator.MigrateAsync(connection, [SqliteSchema.Migrations[0], SqliteSchema.Migrations[2]], DatabasePath, default);

        await act.Should().ThrowAsync<InvalidOperationException>();
        await gap.Should().ThrowAsync<InvalidOperationException>();
        (await ScalarAsync("SELECT count(*) FROM sqlite_master;")).Should().Be(0L);
    }

    [Fact]
    public async Task Only_an_aggregated_refusals_count_and_last_occurrence_may_change_even_with_direct_SQL()
    {
        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);
        var identity = NewIdentity("trigger@example.com");
        await store.KeyStore.CreateAsync(identity, [Registered(identity)], default);
        await store.AuditTrail.AppendAsync(Refusal(identity, DateTimeOffset.UtcNow, "127.0.0.1"), default);

        await ExecuteAsync("UPDATE audit_events SET occurrences = occurrences + 1, last_occurred_at = last_occurred_at + 1 WHERE bucket IS NOT NULL;");
        foreach (var tampering in new[]
        {
            "UPDATE audit_events SET occurrences = occurrences + 1 WHERE bucket IS NULL;",
            "UPDATE audit_events SET occurrences = 1 WHERE bucket IS NOT NULL;",
            "UPDATE audit_events SET occurrences = occurrences + 1, client_address = '10.9.9.9' WHERE bucket IS NOT NULL;",
            "UPDATE audit_events SET occurrences = occurrences + 1, last_occurred_at = 0 WHERE bucket IS NOT NULL;",
            "UPDATE audit_events SET occurrences = occurrences + 1, bucket = NULL WHERE bucket IS NOT NULL;",
            "DELETE FROM audit_events WHERE bucket IS NOT NULL;",
        })
        {
            var act = () => ExecuteAsync(tampering);
            (await act.Should().ThrowAsync<SqliteException>(tampering)).Which.Message.Should().Contain("append-only");
        }

        (await store.AuditTrail.ReadAsync(identity.Id, AuditKind.Denied, null, 10, default)).Events.Should().ContainSingle().Which.Count.Should().Be(2);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
