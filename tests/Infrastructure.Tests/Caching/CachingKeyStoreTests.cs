using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Caching;

/// <summary>
/// The cache in front of the key store on one node: reads served from memory, and a change made
/// through this node seen by its next read at once, whatever the change and however it ended.
/// </summary>
public sealed class CachingKeyStoreTests : IDisposable
{
    private readonly CacheNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    [Fact]
    public async Task An_identity_and_a_credential_read_twice_reach_the_store_once()
    {
        var node = await _nodes.StartNodeAsync();
        var identity = await RegisterAsync(node, "twice@example.com");

        var first = await node.Store.FindAsync(EmailAddress.Parse("Twice@Example.com"), default);
        var second = await node.Store.FindAsync(EmailAddress.Parse("twice@example.com"), default);
        await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default);
        var owner = await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default);

        second.Should().BeSameAs(first);
        second!.Id.Should().Be(identity.Id);
        owner!.IdentityId.Should().Be(identity.Id);
        node.Backing.Finds.Should().Be(1);
        node.Backing.CredentialFinds.Should().Be(1);
    }

    [Fact]
    public async Task Unknown_addresses_and_keys_are_not_cached_so_a_registration_is_found_at_once()
    {
        var node = await _nodes.StartNodeAsync();
        var identity = NewIdentity("later@example.com");
        (await node.Store.FindAsync(identity.Email, default)).Should().BeNull();
        (await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default)).Should().BeNull();

        await node.Store.CreateAsync(identity, [Registered(identity)], default);

        (await node.Store.FindAsync(identity.Email, default))!.Id.Should().Be(identity.Id);
        (await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default))!.IdentityId.Should().Be(identity.Id);
        node.Cache.IdentityCount.Should().Be(1);
    }

    [Fact]
    public async Task A_rotation_and_a_new_minimum_saved_through_this_node_are_read_at_once()
    {
        var node = await _nodes.StartNodeAsync();
        var identity = await RegisterAsync(node, "rotating@example.com");
        var cached = (await node.Store.FindAsync(identity.Email, default))!;

        var rotated = Rotated(cached);
        await node.Store.SaveAsync(rotated, cached.Revision, [Event(identity, AuditAction.Rotated, 2)], default);
        (await node.Store.FindAsync(identity.Email, default))!.Keys.Latest.Version.Should().Be(2);
        await node.Store.SaveAsync(rotated.Configure(2), rotated.Revision, [Event(identity, AuditAction.Configured, 2)], default);

        (await node.Store.FindAsync(identity.Email, default))!.Keys.MinDecryptionVersion.Should().Be(2);
    }

    [Fact]
    public async Task A_save_that_replaces_the_api_key_stops_the_old_key_at_once()
    {
        var node = await _nodes.StartNodeAsync();
        var identity = await RegisterAsync(node, "newkey@example.com");
        (await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default)).Should().NotBeNull();
        var newKey = new ApiKeyHash(RandomNumberGenerator.GetBytes(32));

        // Issue 13's rotation will be a domain method; the store sees the same thing, a save with another hash.
        var replaced = Identity.Restore(identity.Id, identity.Email, newKey, identity.Exportable, identity.CreatedAt, identity.Revision + 1, identity.Keys);
        await node.Store.SaveAsync(replaced, identity.Revision, [Event(identity, AuditAction.Configured, null)], default);

        (await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default)).Should().BeNull("the old key stopped working");
        (await node.Store.FindCredentialOwnerAsync(newKey, default))!.IdentityId.Should().Be(identity.Id);
    }

    [Fact]
    public async Task A_deletion_through_this_node_drops_the_identity_and_its_key_at_once()
    {
        var node = await _nodes.StartNodeAsync();
        var identity = await RegisterAsync(node, "gone@example.com");
        await node.Store.FindAsync(identity.Email, default);
        await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default);

        (await node.Store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, null), default)).Should().BeTrue();

        (await node.Store.FindAsync(identity.Email, default)).Should().BeNull();
        (await node.Store.FindCredentialOwnerAsync(identity.ApiKeyHash, default)).Should().BeNull();
    }

    [Fact]
    public async Task A_save_that_lost_its_race_evicts_so_the_retry_reads_the_state_that_won()
    {
        var (a, b) = (await _nodes.StartNodeAsync(), await _nodes.StartNodeAsync());
        var identity = await RegisterAsync(a, "race@example.com");
        var heldByB = (await b.Store.FindAsync(identity.Email, default))!;
        await a.Store.SaveAsync(Rotated(identity), identity.Revision, [Event(identity, AuditAction.Rotated, 2)], default);

        var stale = () => b.Store.SaveAsync(heldByB.Configure(1), heldByB.Revision, [Event(identity, AuditAction.Configured, 1)], default);
        await stale.Should().ThrowAsync<ConcurrencyConflictException>();

        (await b.Store.FindAsync(identity.Email, default))!.Revision.Should().Be(2, "B evicted what it held without waiting for the feed");
    }

    [Fact]
    public async Task A_read_that_raced_an_eviction_does_not_put_the_old_state_back()
    {
        var (a, b) = (await _nodes.StartNodeAsync(), await _nodes.StartNodeAsync());
        var identity = await RegisterAsync(a, "racing-read@example.com");
        var gate = new TaskCompletionSource();
        b.Backing.Gate = gate;

        var slowRead = b.Store.FindAsync(identity.Email, default); // has read revision 1, waits at the gate
        await a.Store.SaveAsync(Rotated(identity), identity.Revision, [Event(identity, AuditAction.Rotated, 2)], default);
        await b.PollAsync(); // B hears of the rotation while its read is still under way
        gate.SetResult();
        (await slowRead)!.Revision.Should().Be(1);

        (await b.Store.FindAsync(identity.Email, default))!.Revision.Should().Be(2, "the read that began before the eviction was not kept");
    }

    [Fact]
    public async Task Identities_beyond_the_bound_push_out_the_least_recently_used()
    {
        var node = await _nodes.StartNodeAsync(CacheNodes.Options(maxIdentities: 10));
        var kept = await RegisterAsync(node, "kept@example.com");
        for (var i = 0; i < 30; i++)
        {
            await node.Store.FindAsync(kept.Email, default);
            var other = await RegisterAsync(node, $"other-{i}@example.com");
            await node.Store.FindAsync(other.Email, default);
            await Task.Delay(2); // recency is kept to the millisecond
        }

        node.Cache.IdentityCount.Should().BeLessThanOrEqualTo(10);
        var reads = node.Backing.Finds;
        await node.Store.FindAsync(kept.Email, default);
        node.Backing.Finds.Should().Be(reads, "the identity read all along stayed cached");
    }

    private static async Task<Identity> RegisterAsync(CacheNodes.Node node, string email)
    {
        var identity = NewIdentity(email);
        await node.Store.CreateAsync(identity, [Registered(identity)], default);
        return identity;
    }
}
