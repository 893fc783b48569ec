using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Domain.UnitTests.Keys;

namespace CryptoSecure.Domain.UnitTests.Identities;

/// <summary>Deletion with a waiting period and automatic rotation, as rules of the aggregate (issue 14).</summary>
public class IdentityLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 30, 0, TimeSpan.Zero);

    private static Identity NewIdentity() =>
        Identity.Register(Guid.NewGuid(), EmailAddress.Parse("alice@example.com"), new ApiKeyHash(new byte[ApiKeyHash.Length]), exportable: true, TestKeyVersions.Numbered(1), Now);

    [Fact]
    public void Scheduling_a_deletion_disables_the_identity_in_the_next_revision_and_leaves_the_original_as_it_was()
    {
        var identity = NewIdentity();

        var pending = identity.ScheduleDeletion(Now.AddDays(7));

        pending.DeletesAt.Should().Be(Now.AddDays(7));
        pending.IsPendingDeletion.Should().BeTrue();
        pending.Revision.Should().Be(identity.Revision + 1);
        pending.Keys.Should().BeSameAs(identity.Keys);
        identity.IsPendingDeletion.Should().BeFalse();
    }

    [Fact]
    public void While_pending_every_change_is_refused_with_the_time_of_deletion()
    {
        var pending = NewIdentity().ScheduleDeletion(Now.AddDays(7));

        var changes = new Action[]
        {
            () => pending.Rotate(TestKeyVersions.Numbered(2)),
            () => pending.Configure(1),
            () => pending.Configure(1, TimeSpan.FromHours(1)),
            () => pending.ScheduleDeletion(Now.AddDays(1)),
            () => pending.WithSigningKey(1, TestKeyVersions.Numbered(1).SigningKey ?? new SigningKey([1], new SealedPrivateKey([2]))),
        };

        foreach (var change in changes)
        {
            change.Should().Throw<IdentityPendingDeletionException>().Which.DeletesAt.Should().Be(Now.AddDays(7));
        }
    }

    [Fact]
    public void Cancelling_the_deletion_makes_the_identity_work_again_and_is_refused_when_nothing_is_pending()
    {
        var pending = NewIdentity().ScheduleDeletion(Now.AddDays(7));

        var restored = pending.CancelDeletion();

        restored.IsPendingDeletion.Should().BeFalse();
        restored.Revision.Should().Be(pending.Revision + 1);
        restored.Rotate(TestKeyVersions.Numbered(2)).Keys.Latest.Version.Should().Be(2);
        ((Action)(() => restored.CancelDeletion())).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void A_deletion_is_due_from_its_time_on()
    {
        var pending = NewIdentity().ScheduleDeletion(Now.AddDays(7));

        pending.IsDeletionDue(Now.AddDays(7).AddMilliseconds(-1)).Should().BeFalse();
        pending.IsDeletionDue(Now.AddDays(7)).Should().BeTrue();
        NewIdentity().IsDeletionDue(DateTimeOffset.MaxValue).Should().BeFalse();
    }

    [Fact]
    public void Automatic_rotation_is_due_one_period_after_the_latest_version_and_restarts_with_each_new_version()
    {
        var identity = NewIdentity().Configure(1, TimeSpan.FromHours(1));
        var latestCreated = identity.Keys.Latest.CreatedAt;

        identity.NextRotationAt.Should().Be(latestCreated + TimeSpan.FromHours(1));
        identity.IsRotationDue(latestCreated + TimeSpan.FromMinutes(59)).Should().BeFalse();
        identity.IsRotationDue(latestCreated + TimeSpan.FromHours(1)).Should().BeTrue();

        var rotated = identity.Rotate(TestKeyVersions.Numbered(2) with { CreatedAt = latestCreated + TimeSpan.FromHours(3) });
        rotated.AutoRotatePeriod.Should().Be(TimeSpan.FromHours(1), "a rotation keeps the period");
        rotated.NextRotationAt.Should().Be(latestCreated + TimeSpan.FromHours(4), "once per period, from the newest version: missed periods are not made up");
    }

    [Fact]
    public void Turning_automatic_rotation_off_clears_the_schedule_and_a_minimum_change_keeps_the_period()
    {
        var on = NewIdentity().Configure(1, TimeSpan.FromHours(2));

        on.Configure(1).AutoRotatePeriod.Should().Be(TimeSpan.FromHours(2));
        var off = on.Configure(1, null);
        off.AutoRotatePeriod.Should().BeNull();
        off.NextRotationAt.Should().BeNull();
        off.IsRotationDue(DateTimeOffset.MaxValue).Should().BeFalse();
    }

    [Fact]
    public void A_pending_identity_is_never_due_for_rotation()
    {
        var pending = NewIdentity().Configure(1, TimeSpan.FromHours(1)).ScheduleDeletion(Now.AddDays(7));

        pending.IsRotationDue(Now.AddDays(1)).Should().BeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_period_that_is_not_positive_is_refused(int seconds)
    {
        var act = () => NewIdentity().Configure(1, TimeSpan.FromSeconds(seconds));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
