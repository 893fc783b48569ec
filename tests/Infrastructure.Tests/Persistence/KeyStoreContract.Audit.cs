using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Infrastructure.Crypto;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>The audit trail part of the contract: paging, kinds, and the aggregation of strangers' refusals.</summary>
public abstract partial class KeyStoreContract
{
    [SkippableFact]
    public async Task Registration_writes_its_audit_events_with_it()
    {
        var store = await Store();
        var identity = NewIdentity("judy@example.com");

        await store.CreateAsync(identity, [Registered(identity), Event(identity, AuditAction.Exported, 1)], default);

        var page = await (await Trail()).ReadAsync(identity.Id, null, null, 10, default);
        page.Events.Select(e => e.Action).Should().BeEquivalentTo([AuditAction.Registered, AuditAction.Exported]);
    }

    [SkippableFact]
    public async Task The_audit_trail_pages_newest_first_and_keeps_every_field()
    {
        var store = await Store();
        var trail = await Trail();
        var identity = NewIdentity("kim@example.com");
        var other = NewIdentity("lee@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.CreateAsync(other, [Registered(other)], default);
        var start = identity.CreatedAt;
        for (var i = 1; i <= 24; i++)
        {
            await trail.AppendAsync(new AuditEvent(identity.Id, start.AddSeconds(i), AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, i, "10.0.0." + i, "req-" + i), default);
            await trail.AppendAsync(new AuditEvent(other.Id, start.AddSeconds(i), AuditAction.Decrypted, AuditOutcome.Failure, AuditActor.Owner, null, null, null), default);
        }

        var pages = await ReadAllPagesAsync(trail, identity.Id, kind: null, limit: 10);

        pages.Select(p => p.Events.Count).Should().Equal(10, 10, 5);
        var all = pages.SelectMany(p => p.Events).ToList();
        all.Should().OnlyContain(e => e.IdentityId == identity.Id);
        all[^1].Action.Should().Be(AuditAction.Registered);
        all.Take(24).Select(e => e.KeyVersion).Should().Equal(Enumerable.Range(1, 24).Reverse().Cast<int?>());
        all[0].Should().Be(new AuditEvent(identity.Id, start.AddSeconds(24), AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, 24, "10.0.0.24", "req-24"));
        all.Should().OnlyContain(e => e.Count == 1 && e.LastOccurredAt == e.OccurredAt);
    }

    [SkippableFact]
    public async Task A_position_the_store_did_not_make_is_refused()
    {
        var trail = await Trail();

        var act = () => trail.ReadAsync(Guid.NewGuid(), null, new AuditPosition([1, 2, 3]), 10, default);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [SkippableFact]
    public async Task Refusals_of_one_caller_kind_from_one_address_within_a_minute_are_one_event_with_their_count()
    {
        var (trail, identity) = await RegisteredAsync("victim@example.com");
        var minute = MinuteStart();

        for (var i = 0; i < 25; i++)
        {
            await trail.AppendAsync(Refusal(identity, minute.AddSeconds(2 * i), "198.51.100.7", requestId: "req-" + i), default);
        }

        var denied = (await trail.ReadAsync(identity.Id, AuditKind.Denied, null, 50, default)).Events.Should().ContainSingle().Subject;
        denied.Count.Should().Be(25);
        denied.OccurredAt.Should().Be(minute);
        denied.LastOccurredAt.Should().Be(minute.AddSeconds(48));
        denied.RequestId.Should().Be("req-0", "the event keeps its first occurrence's fields");
        denied.Should().BeEquivalentTo(Refusal(identity, minute, "198.51.100.7", requestId: "req-0"), o => o.Excluding(e => e.Count).Excluding(e => e.LastOccurredAt));
        (await trail.ReadAsync(identity.Id, null, null, 50, default)).Events.Should().HaveCount(2, "the registration and one aggregated refusal");
    }

    [SkippableFact]
    public async Task A_refusal_from_another_address_caller_kind_action_or_minute_is_an_event_of_its_own()
    {
        var (trail, identity) = await RegisteredAsync("target@example.com");
        var (_, bystander) = await RegisteredAsync("bystander@example.com");
        var minute = MinuteStart();

        await trail.AppendAsync(Refusal(identity, minute, "198.51.100.7"), default);
        await trail.AppendAsync(Refusal(identity, minute.AddSeconds(1), "198.51.100.8"), default);
        await trail.AppendAsync(Refusal(identity, minute.AddSeconds(2), "198.51.100.7", actor: AuditActor.Anonymous), default);
        await trail.AppendAsync(Refusal(identity, minute.AddSeconds(3), "198.51.100.7", action: AuditAction.Exported), default);
        await trail.AppendAsync(Refusal(identity, minute.AddSeconds(4), null), default);
        await trail.AppendAsync(Refusal(identity, minute.AddMinutes(1), "198.51.100.7"), default);
        await trail.AppendAsync(Refusal(bystander, minute, "198.51.100.7"), default);
        await trail.AppendAsync(Refusal(identity, minute.AddSeconds(59), "198.51.100.7"), default);

        var denied = (await trail.ReadAsync(identity.Id, AuditKind.Denied, null, 50, default)).Events;
        denied.Should().HaveCount(6);
        denied.Select(e => e.Count).Should().Equal(1, 1, 1, 1, 1, 2);
        denied[^1].LastOccurredAt.Should().Be(minute.AddSeconds(59));
        (await trail.ReadAsync(bystander.Id, AuditKind.Denied, null, 50, default)).Events.Should().ContainSingle().Which.Count.Should().Be(1);
    }

    [SkippableFact]
    public async Task Owner_admin_and_public_events_never_merge_however_alike()
    {
        var (trail, identity) = await RegisteredAsync("owner@example.com");
        var at = MinuteStart();

        for (var i = 0; i < 3; i++)
        {
            await trail.AppendAsync(new AuditEvent(identity.Id, at, AuditAction.Exported, AuditOutcome.Denied, AuditActor.Owner, 1, "127.0.0.1", "same"), default);
            await trail.AppendAsync(new AuditEvent(identity.Id, at, AuditAction.Decrypted, AuditOutcome.Failure, AuditActor.Admin, null, "127.0.0.1", "same"), default);
            await trail.AppendAsync(new AuditEvent(identity.Id, at, AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, 1, "127.0.0.1", "same"), default);
        }

        var all = (await trail.ReadAsync(identity.Id, null, null, 50, default)).Events;
        all.Should().HaveCount(10).And.OnlyContain(e => e.Count == 1);
        (await trail.ReadAsync(identity.Id, AuditKind.Owner, null, 50, default)).Events.Should().HaveCount(7);
        (await trail.ReadAsync(identity.Id, AuditKind.Public, null, 50, default)).Events.Should().HaveCount(3);
        (await trail.ReadAsync(identity.Id, AuditKind.Denied, null, 50, default)).Events.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Concurrent_refusals_in_one_bucket_are_all_counted_into_one_event()
    {
        var (trail, identity) = await RegisteredAsync("crowd@example.com");
        var minute = MinuteStart();
        const int refusals = 40;

        await Task.WhenAll(Enumerable.Range(0, refusals).Select(i => Task.Run(() => trail.AppendAsync(Refusal(identity, minute.AddMilliseconds(i), "203.0.113.50"), default))));

        var denied = (await trail.ReadAsync(identity.Id, AuditKind.Denied, null, 50, default)).Events.Should().ContainSingle().Subject;
        denied.Count.Should().Be(refusals);
        denied.LastOccurredAt.Should().Be(minute.AddMilliseconds(refusals - 1));
    }

    [SkippableFact]
    public async Task Concurrent_appends_are_committed_together_yet_each_stored_once_and_each_refusal_counted()
    {
        // Enough at once that they are written in groups: successes and refusals of two buckets mixed
        // in each, so a group counts several refusals into one bucket and inserts the rest.
        var (trail, identity) = await RegisteredAsync("grouped@example.com");
        var minute = MinuteStart();
        const int appends = 300;

        await Task.WhenAll(Enumerable.Range(0, appends).Select(i => Task.Run(() => trail.AppendAsync(
            (i % 3) switch
            {
                0 => Refusal(identity, minute.AddMilliseconds(i), "203.0.113.1"),
                1 => Refusal(identity, minute.AddMilliseconds(i), "203.0.113.2"),
                _ => new AuditEvent(identity.Id, minute.AddMilliseconds(i), AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, 1, null, "enc-" + i),
            },
            default))));

        var publicEvents = (await ReadAllPagesAsync(trail, identity.Id, AuditKind.Public, limit: 100)).SelectMany(p => p.Events);
        publicEvents.Select(e => e.RequestId).Should().BeEquivalentTo(Enumerable.Range(0, appends).Where(i => i % 3 == 2).Select(i => "enc-" + i));
        var denied = (await trail.ReadAsync(identity.Id, AuditKind.Denied, null, 10, default)).Events;
        denied.Select(e => (e.ClientAddress, e.Count)).Should().BeEquivalentTo([("203.0.113.1", appends / 3), ("203.0.113.2", appends / 3)]);
    }

    [SkippableFact]
    public async Task Reading_one_kind_pages_through_that_kind_only_newest_first()
    {
        var (trail, identity) = await RegisteredAsync("kinds@example.com");
        var start = MinuteStart();
        for (var i = 1; i <= 12; i++)
        {
            await trail.AppendAsync(new AuditEvent(identity.Id, start.AddSeconds(i), AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Other, 1, "198.51.100.1", "pub-" + i), default);
            await trail.AppendAsync(Refusal(identity, start.AddSeconds(i), "198.51.100." + i), default);
            if (i % 4 == 0)
            {
                await trail.AppendAsync(new AuditEvent(identity.Id, start.AddSeconds(i), AuditAction.Decrypted, AuditOutcome.Success, AuditActor.Owner, 1, "127.0.0.1", "own-" + i), default);
            }
        }

        var owner = (await ReadAllPagesAsync(trail, identity.Id, AuditKind.Owner, limit: 2)).SelectMany(p => p.Events).ToList();
        var publicEvents = await ReadAllPagesAsync(trail, identity.Id, AuditKind.Public, limit: 5);
        var denied = (await ReadAllPagesAsync(trail, identity.Id, AuditKind.Denied, limit: 5)).SelectMany(p => p.Events).ToList();

        owner.Select(e => e.RequestId).Should().Equal("own-12", "own-8", "own-4", "test");
        publicEvents.Select(p => p.Events.Count).Should().Equal(5, 5, 2);
        publicEvents.SelectMany(p => p.Events).Select(e => e.RequestId).Should().Equal(Enumerable.Range(1, 12).Reverse().Select(i => "pub-" + i));
        denied.Should().HaveCount(12).And.OnlyContain(e => e.Kind == AuditKind.Denied);
        denied.Select(e => e.ClientAddress).Should().Equal(Enumerable.Range(1, 12).Reverse().Select(i => "198.51.100." + i));
    }

    [SkippableFact]
    public async Task Positions_sealed_as_cursors_resume_the_trail_and_open_for_no_other_identity_or_kind()
    {
        var (trail, identity) = await RegisteredAsync("sealed@example.com");
        var (_, other) = await RegisteredAsync("other@example.com");
        for (var i = 0; i < 5; i++)
        {
            await trail.AppendAsync(new AuditEvent(identity.Id, MinuteStart().AddSeconds(i), AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, 1, null, "e" + i), default);
        }

        using var masterKey = new MasterKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(MasterKey.Length));
        var cursors = new AuditCursorSealer(masterKey);
        var first = await trail.ReadAsync(identity.Id, AuditKind.Public, null, 2, default);
        var cursor = cursors.Seal(identity.Id, AuditKind.Public, first.Next!);

        var second = await trail.ReadAsync(identity.Id, AuditKind.Public, cursors.Open(identity.Id, AuditKind.Public, cursor), 2, default);

        second.Events.Select(e => e.RequestId).Should().Equal("e2", "e1");
        cursors.Open(other.Id, AuditKind.Public, cursor).Should().BeNull("a cursor is bound to its identity");
        cursors.Open(identity.Id, null, cursor).Should().BeNull("and to its kind filter");
        cursor.Should().NotContain(Convert.ToHexString(first.Next!.Bytes.ToArray()), "the store's position is not readable in it");
    }

    private async Task<(IAuditTrail Trail, Domain.Identities.Identity Identity)> RegisteredAsync(string email)
    {
        var identity = NewIdentity(email);
        await (await Store()).CreateAsync(identity, [Registered(identity)], default);
        return (await Trail(), identity);
    }

    private static async Task<List<AuditPage>> ReadAllPagesAsync(IAuditTrail trail, Guid identityId, AuditKind? kind, int limit)
    {
        var pages = new List<AuditPage>();
        AuditPosition? after = null;
        do
        {
            var page = await trail.ReadAsync(identityId, kind, after, limit, default);
            pages.Add(page);
            after = page.Next;
        }
        while (after is not null);

        return pages;
    }

    // The start of the current UTC minute, so a test's refusals fall in the buckets it means.
    private static DateTimeOffset MinuteStart() =>
        DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000);
}
