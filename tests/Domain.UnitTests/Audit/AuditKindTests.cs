using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Domain.UnitTests.Audit;

public class AuditKindTests
{
    private static readonly Guid Identity = Guid.NewGuid();
    private static readonly DateTimeOffset Minute = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_020_000); // a whole UTC minute

    [Theory]
    [InlineData(AuditAction.Registered, AuditOutcome.Success, AuditActor.Anonymous, AuditKind.Owner)]
    [InlineData(AuditAction.Exported, AuditOutcome.Success, AuditActor.Anonymous, AuditKind.Owner)]
    [InlineData(AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, AuditKind.Public)]
    [InlineData(AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Other, AuditKind.Public)]
    [InlineData(AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Owner, AuditKind.Owner)]
    [InlineData(AuditAction.Denied, AuditOutcome.Denied, AuditActor.Other, AuditKind.Denied)]
    [InlineData(AuditAction.Decrypted, AuditOutcome.Denied, AuditActor.Anonymous, AuditKind.Denied)]
    [InlineData(AuditAction.Exported, AuditOutcome.Denied, AuditActor.Owner, AuditKind.Owner)]
    [InlineData(AuditAction.Decrypted, AuditOutcome.Failure, AuditActor.Admin, AuditKind.Owner)]
    [InlineData(AuditAction.Deleted, AuditOutcome.Success, AuditActor.Admin, AuditKind.Owner)]
    public void Owner_and_admin_acts_are_the_owners_strangers_refusals_are_denied_and_their_encryptions_public(
        AuditAction action, AuditOutcome outcome, AuditActor actor, AuditKind kind) =>
        AuditKinds.Of(action, outcome, actor).Should().Be(kind);

    [Fact]
    public void Only_a_strangers_refusal_has_a_bucket()
    {
        AuditAggregation.BucketOf(Refusal(Minute, "198.51.100.1")).Should().NotBeNull();
        AuditAggregation.BucketOf(Refusal(Minute, "198.51.100.1") with { Actor = AuditActor.Owner }).Should().BeNull();
        AuditAggregation.BucketOf(Refusal(Minute, "198.51.100.1") with { Outcome = AuditOutcome.Failure }).Should().BeNull();
        AuditAggregation.BucketOf(new AuditEvent(Identity, Minute, AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, 1, "198.51.100.1", "r")).Should().BeNull();
    }

    [Fact]
    public void Refusals_share_a_bucket_within_one_utc_minute_from_one_address_caller_kind_action_and_version()
    {
        var bucket = AuditAggregation.BucketOf(Refusal(Minute, "198.51.100.1"));

        AuditAggregation.BucketOf(Refusal(Minute.AddSeconds(59.999), "198.51.100.1") with { RequestId = "another" }).Should().Be(bucket);
        AuditAggregation.BucketOf(Refusal(Minute.AddMinutes(1), "198.51.100.1")).Should().NotBe(bucket);
        AuditAggregation.BucketOf(Refusal(Minute.AddMilliseconds(-1), "198.51.100.1")).Should().NotBe(bucket);
        AuditAggregation.BucketOf(Refusal(Minute, "198.51.100.2")).Should().NotBe(bucket);
        AuditAggregation.BucketOf(Refusal(Minute, null)).Should().NotBe(bucket);
        AuditAggregation.BucketOf(Refusal(Minute, "198.51.100.1") with { Actor = AuditActor.Anonymous }).Should().NotBe(bucket);
        AuditAggregation.BucketOf(Refusal(Minute, "198.51.100.1") with { Action = AuditAction.Exported }).Should().NotBe(bucket);
        AuditAggregation.BucketOf(Refusal(Minute, "198.51.100.1") with { KeyVersion = 2 }).Should().NotBe(bucket);
    }

    [Fact]
    public void An_event_counts_at_least_one_occurrence_and_its_last_occurrence_defaults_to_its_first()
    {
        var single = Refusal(Minute, "198.51.100.1");
        var counted = single with { Count = 3, LastOccurredAt = Minute.AddSeconds(30) };

        single.Count.Should().Be(1);
        single.LastOccurredAt.Should().Be(Minute);
        counted.LastOccurredAt.Should().Be(Minute.AddSeconds(30));
        (single with { LastOccurredAt = Minute }).Should().Be(single, "spelling out a last occurrence equal to the first changes nothing");
        var act = () => single with { Count = 0 };
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static AuditEvent Refusal(DateTimeOffset at, string? address) =>
        new(Identity, at, AuditAction.Denied, AuditOutcome.Denied, AuditActor.Other, null, address, "r");
}
