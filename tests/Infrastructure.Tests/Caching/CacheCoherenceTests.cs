using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Caching;

/// <summary>
/// Two nodes on one store: what one changes, the other sees after its next read of the change
/// feed, and never later than the coherence bound, even when the feed cannot be read.
/// </summary>
public sealed class CacheCoherenceTests : IDisposable
{
    private readonly CacheNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    [Fact]
    public async Task A_rotation_a_minimum_and_a_deletion_through_one_node_reach_the_other_at_its_next_feed_read()
    {
        var (a, b) = (await _nodes.StartNodeAsync(), await _nodes.StartNodeAsync());
        var identity = NewIdentity("shared@example.com");
        await a.Store.CreateAsync(identity, [Registered(identity)], default);
        await b.Store.FindAsync(identity.Email, default);
        await b.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default);

        var rotated = Rotated(identity);
        await a.Store.SaveAsync(rotated, 1, [Event(identity, AuditAction.Rotated, 2)], default);
        (await b.Store.FindAsync(identity.Email, default))!.Keys.Latest.Version.Should().Be(1, "B has not read the feed yet: the test needs to see it served from B's cache");
        await b.PollAsync();
        (await b.Store.FindAsync(identity.Email, default))!.Keys.Latest.Version.Should().Be(2);

        await a.Store.SaveAsync(rotated.Configure(2), 2, [Event(identity, AuditAction.Configured, 2)], default);
        await b.PollAsync();
        (await b.Store.FindAsync(identity.Email, default))!.Keys.MinDecryptionVersion.Should().Be(2);

        await a.Store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, null), default);
        await b.PollAsync();
        (await b.Store.FindAsync(identity.Email, default)).Should().BeNull();
        (await b.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default)).Should().BeNull("the deleted identity's key stops working on B too");
    }

    [Fact]
    public async Task Without_a_feed_read_for_a_whole_bound_every_read_goes_to_the_store_until_the_next_read()
    {
        var node = await _nodes.StartNodeAsync(CacheNodes.Options(coherenceSeconds: 1));
        var identity = NewIdentity("stale@example.com");
        await node.Store.CreateAsync(identity, [Registered(identity)], default);
        await node.PollAsync(); // the node hears of its own registration too: done with, before the reads counted here
        await node.Store.FindAsync(identity.Email, default);
        await node.Store.FindAsync(identity.Email, default);
        node.Backing.Finds.Should().Be(1);

        _nodes.Clock.Advance(TimeSpan.FromSeconds(1));
        await node.Store.FindAsync(identity.Email, default);
        await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default);
        await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default);
        node.Backing.Finds.Should().Be(2, "the cache may be older than the bound, so it is not used");
        node.Backing.CredentialFinds.Should().Be(2, "nor stored into");

        await node.PollAsync();
        await node.Store.FindAsync(identity.Email, default);
        node.Backing.Finds.Should().Be(2, "a successful read of the feed makes the held entries safe to serve again");
    }

    [Fact]
    public async Task A_feed_that_fails_stops_the_cache_within_the_bound_and_resumes_from_its_cursor()
    {
        var a = await _nodes.StartNodeAsync();
        var store = new FailingFeed(Feed());
        var b = await _nodes.StartNodeAsync(feed: store);
        var identity = NewIdentity("partitioned@example.com");
        await a.Store.CreateAsync(identity, [Registered(identity)], default);
        await b.Store.FindAsync(identity.Email, default);

        store.Failing = true;
        await a.Store.SaveAsync(Rotated(identity), 1, [Event(identity, AuditAction.Rotated, 2)], default);
        _nodes.Clock.Advance(TimeSpan.FromMilliseconds(500));
        await b.PollAsync();
        (await b.Store.FindAsync(identity.Email, default))!.Revision.Should().Be(1, "within the bound B may still serve what it holds");
        _nodes.Clock.Advance(TimeSpan.FromMilliseconds(500));
        await b.PollAsync();
        (await b.Store.FindAsync(identity.Email, default))!.Revision.Should().Be(2, "past the bound with no feed read, B reads the store");

        store.Failing = false;
        await b.PollAsync();
        b.Cache.IsFresh.Should().BeTrue();
        (await b.Store.FindAsync(identity.Email, default))!.Revision.Should().Be(2, "the rotation made while B could not read the feed was evicted when it could again");
    }

    [Fact]
    public async Task A_node_whose_cursor_fell_behind_the_pruned_feed_clears_its_whole_cache()
    {
        var (a, b) = (await _nodes.StartNodeAsync(), await _nodes.StartNodeAsync());
        var held = NewIdentity("held@example.com");
        await a.Store.CreateAsync(held, [Registered(held)], default);
        await b.PollAsync();
        await b.Store.FindAsync(held.Email, default);
        b.Cache.IdentityCount.Should().Be(1);

        for (var i = 0; i < 3; i++)
        {
            var other = NewIdentity($"churn-{i}@example.com");
            await a.Store.CreateAsync(other, [Registered(other)], default);
        }

        await Feed().PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1), default);
        await b.PollAsync();

        b.Cache.IdentityCount.Should().Be(0, "B cannot tell what the pruned entries changed");
        b.Cache.IsFresh.Should().BeTrue("and serves again from an empty cache");
    }

    private IIdentityChangeFeed Feed() => SqliteStore.Open(_nodes.DatabasePath).Changes;

    /// <summary>The feed of the shared store, or, while <see cref="Failing"/>, a store that cannot answer.</summary>
    private sealed class FailingFeed(IIdentityChangeFeed inner) : IIdentityChangeFeed
    {
        public bool Failing { get; set; }

        public Task<long> LatestAsync(CancellationToken cancellationToken) => Answer(() => inner.LatestAsync(cancellationToken));

        public Task<IdentityChangeBatch> ReadAfterAsync(long cursor, int limit, CancellationToken cancellationToken) => Answer(() => inner.ReadAfterAsync(cursor, limit, cancellationToken));

        public Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => Answer(() => inner.PruneAsync(before, cancellationToken));

        private Task<T> Answer<T>(Func<Task<T>> read) => Failing ? throw new StoreUnavailableException("SQLite error 5 (extended 5).") : read();
    }
}
