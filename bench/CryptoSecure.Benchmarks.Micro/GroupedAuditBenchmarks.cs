using BenchmarkDotNet.Attributes;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Sqlite;

namespace CryptoSecure.Benchmarks.Micro;

/// <summary>
/// Audit appends from concurrent callers, as concurrent requests make them: each of
/// <see cref="Callers"/> loops appends its share of 512 events one at a time, awaiting each (as a request awaits its
/// event before answering). The figure is the time per event, so events/s = 1 / Mean; with group
/// commit, callers that append while a group commits share the next transaction and fsync. The
/// database lives in a temporary directory, so the figures depend on that file system.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class GroupedAuditBenchmarks
{
    private const int Events = 512;

    private string _directory = string.Empty;
    private KeyStoreAdapter _store = null!;
    private Guid _identityId;

    /// <summary>How many callers append at once.</summary>
    [Params(1, 8, 64)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _directory = Directory.CreateTempSubdirectory("cryptosecure-microbench-").FullName;
        _store = SqliteStore.Open(Path.Combine(_directory, "bench.db"));
        await _store.Admin.InitializeAsync(CancellationToken.None);
        _identityId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var version = new KeyVersion(1, KeySize.Rsa2048, new byte[294], new SealedPrivateKey(new byte[1300]), now);
        var identity = Identity.Register(_identityId, EmailAddress.Parse("grouped@example.com"), new ApiKeyHash(new byte[32]), exportable: true, version, now);
        await _store.KeyStore.CreateAsync(identity, [Event()], CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_store as IDisposable)?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>512 appends shared between the callers, each durably committed before its caller's next.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public Task ConcurrentAppends() =>
        Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < Events / Callers; i++)
            {
                await _store.AuditTrail.AppendAsync(Event(), CancellationToken.None);
            }
        })));

    private AuditEvent Event() =>
        new(_identityId, DateTimeOffset.UtcNow, AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, 1, "127.0.0.1", "0HN000000000:00000001");
}
