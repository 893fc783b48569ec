using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// Grouped audit commits on a real SQLite file: fail-closed when the file's write lock is held
/// elsewhere, recovered once it is free, and correct beside another process's writers.
/// </summary>
public sealed class SqliteAuditGroupTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cryptosecure-sqlite-").FullName;
    private readonly List<KeyStoreAdapter> _stores = [];

    private string DatabasePath => Path.Combine(_directory, "store.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Appends_while_another_process_holds_the_write_lock_all_fail_and_later_appends_succeed()
    {
        var store = await OpenAsync(busyTimeoutSeconds: 1);
        var identity = NewIdentity("locked@example.com");
        await store.KeyStore.CreateAsync(identity, [Registered(identity)], default);

        // The group writer keeps its connection and statements between groups: one that has written
        // before the failure must start afresh after it.
        await store.AuditTrail.AppendAsync(Encrypted(identity, "before"), default);
        List<Task> refused;
        await using (var other = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await other.OpenAsync();
            await using var holding = other.BeginTransaction(deferred: false);
            refused = Enumerable.Range(0, 20).Select(i => Task.Run(() => store.AuditTrail.AppendAsync(Encrypted(identity, "refused-" + i), default))).ToList();
            foreach (var append in refused)
            {
                await append.Invoking(a => a).Should().ThrowAsync<StoreUnavailableException>("no operation is reported done without its event");
            }
        }

        await store.AuditTrail.AppendAsync(Encrypted(identity, "after"), default);

        var events = (await store.AuditTrail.ReadAsync(identity.Id, null, null, 50, default)).Events;
        events.Select(e => e.RequestId).Should().Equal("after", "before", "test");
    }

    [Fact]
    public async Task Two_processes_appending_to_one_file_at_once_store_every_event_and_count_every_refusal()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        var identity = NewIdentity("shared@example.com");
        await first.KeyStore.CreateAsync(identity, [Registered(identity)], default);
        var minute = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000);

        var appends = Enumerable.Range(0, 200).Select(i =>
        {
            var store = i % 2 == 0 ? first : second;
            var auditEvent = i % 4 == 0 ? Refusal(identity, minute.AddMilliseconds(i), "203.0.113.9") : Encrypted(identity, "e" + i);
            return Task.Run(() => store.AuditTrail.AppendAsync(auditEvent, default));
        });
        await Task.WhenAll(appends);

        var all = (await first.AuditTrail.ReadAsync(identity.Id, null, null, 500, default)).Events;
        all.Where(e => e.Kind == AuditKind.Public).Select(e => e.RequestId).Should().BeEquivalentTo(
            Enumerable.Range(0, 200).Where(i => i % 4 != 0).Select(i => "e" + i));
        all.Should().ContainSingle(e => e.Kind == AuditKind.Denied).Which.Count.Should().Be(50);
    }

    private async Task<KeyStoreAdapter> OpenAsync(int busyTimeoutSeconds = 10)
    {
        var store = SqliteStore.Open(DatabasePath, busyTimeoutSeconds);
        _stores.Add(store);
        await store.Admin.InitializeAsync(default);
        return store;
    }

    private static AuditEvent Encrypted(Domain.Identities.Identity identity, string requestId) =>
        new(identity.Id, DateTimeOffset.UtcNow, AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, 1, "198.51.100.1", requestId);
}
