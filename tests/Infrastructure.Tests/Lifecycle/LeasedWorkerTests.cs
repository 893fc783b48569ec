using CryptoSecure.Infrastructure.Lifecycle;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Infrastructure.Tests.Lifecycle;

/// <summary>Two nodes on one SQLite store: the background work runs on exactly one, and moves when that one stops.</summary>
public sealed class LeasedWorkerTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cryptosecure-lease-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly KeyStoreReadiness _readiness = new();
    private KeyStoreAdapter _nodeA = null!;
    private KeyStoreAdapter _nodeB = null!;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(_directory, "store.db");
        _nodeA = SqliteStore.Open(path);
        _nodeB = SqliteStore.Open(path);
        await _nodeA.Admin.InitializeAsync(default);
        await _nodeB.Admin.InitializeAsync(default);
        _readiness.MarkInitialized();
    }

    public async Task DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Only_the_node_holding_the_lease_does_the_work_and_another_takes_over_when_it_stops_renewing()
    {
        var runs = new List<string>();
        var a = Worker(_nodeA, "a", runs);
        var b = Worker(_nodeB, "b", runs);

        for (var check = 0; check < 3; check++)
        {
            await a.RunOnceAsync(default);
            await b.RunOnceAsync(default);
            _clock.Advance(a.Interval);
        }

        runs.Should().Equal("a", "a", "a");
        (a.Holding, b.Holding).Should().Be((true, false));

        // Node a stops checking (it died): its lease runs out after three intervals, then b takes over.
        await b.RunOnceAsync(default);
        _clock.Advance(a.LeaseDuration);
        await b.RunOnceAsync(default);
        runs.Should().Equal("a", "a", "a", "b");
        await a.RunOnceAsync(default);
        runs.Should().Equal(["a", "a", "a", "b"], "a comes back to find b holding the lease");
        a.Holding.Should().BeFalse();
    }

    [Fact]
    public async Task A_node_that_stops_cleanly_gives_the_lease_up_at_once()
    {
        var runs = new List<string>();
        var a = Worker(_nodeA, "a", runs);
        var b = Worker(_nodeB, "b", runs);
        await a.RunOnceAsync(default);

        await a.StopAsync(default);
        await b.RunOnceAsync(default);

        runs.Should().Equal("a", "b");
    }

    [Fact]
    public async Task A_failing_piece_of_work_is_logged_and_checked_again_never_thrown()
    {
        var calls = 0;
        var worker = new LeasedWorker(
            "failing", TimeSpan.FromSeconds(10), _ => ++calls == 1 ? throw new InvalidOperationException("boom") : Task.FromResult(0),
            _nodeA.Leases, new LeaseHolder(), _readiness, _clock, NullLogger<LeasedWorker>.Instance);

        await worker.RunOnceAsync(default);
        await worker.RunOnceAsync(default);

        calls.Should().Be(2);
    }

    private LeasedWorker Worker(KeyStoreAdapter node, string name, List<string> runs) =>
        new("work", TimeSpan.FromSeconds(10), _ =>
            {
                lock (runs)
                {
                    runs.Add(name);
                }

                return Task.FromResult(1);
            },
            node.Leases, new LeaseHolder(), _readiness, _clock, NullLogger<LeasedWorker>.Instance);
}
