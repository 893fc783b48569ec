using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Domain.UnitTests.Keys;

namespace CryptoSecure.Domain.UnitTests.Identities;

public class IdentityTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly EmailAddress Alice = EmailAddress.Parse("Alice@Example.com");
    private static readonly ApiKeyHash Hash = new(new byte[ApiKeyHash.Length]);
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Registration_starts_at_revision_1_with_version_1_as_the_only_and_minimum_version()
    {
        var first = TestKeyVersions.Numbered(1, KeySize.Rsa3072);

        var identity = Identity.Register(Id, Alice, Hash, exportable: false, first, Now);

        identity.Id.Should().Be(Id);
        identity.Email.Should().BeSameAs(Alice);
        identity.ApiKeyHash.Should().BeSameAs(Hash);
        identity.Exportable.Should().BeFalse();
        identity.CreatedAt.Should().Be(Now);
        identity.Revision.Should().Be(1);
        identity.Keys.Versions.Should().ContainSingle().Which.Should().BeSameAs(first);
        identity.Keys.MinDecryptionVersion.Should().Be(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Registration_refuses_a_first_version_other_than_1(int version)
    {
        var act = () => Identity.Register(Id, Alice, Hash, exportable: true, TestKeyVersions.Numbered(version), Now);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("first");
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void An_exportable_identity_exports_only_versions_still_allowed_to_decrypt(int version, bool exportable)
    {
        var identity = Identity.Restore(Id, Alice, Hash, exportable: true, Now, revision: 5, TestKeyVersions.Ring(3, minDecryptionVersion: 2));

        identity.CanExport(version).Should().Be(exportable);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_non_exportable_identity_exports_no_version(int version)
    {
        var identity = Identity.Restore(Id, Alice, Hash, exportable: false, Now, revision: 1, TestKeyVersions.Ring(2));

        identity.CanExport(version).Should().BeFalse();
    }

    [Fact]
    public void The_key_id_of_a_version_names_this_registration_and_that_version()
    {
        var identity = Identity.Restore(Id, Alice, Hash, exportable: true, Now, revision: 1, TestKeyVersions.Ring(2));

        var kid = identity.KeyIdOf(2);

        kid.Should().Be(KeyId.Format(Id, 2));
        kid.Should().NotContainEquivalentOf("alice");
        KeyId.TryParse(kid, out var identityId, out var version).Should().BeTrue();
        identityId.Should().Be(Id);
        version.Should().Be(2);
    }

    [Fact]
    public void Rotation_appends_the_next_version_and_returns_the_next_revision_leaving_the_original_as_it_was()
    {
        var identity = Identity.Restore(Id, Alice, Hash, exportable: true, Now, revision: 4, TestKeyVersions.Ring(2, minDecryptionVersion: 2));
        var third = TestKeyVersions.Numbered(3, KeySize.Rsa4096);

        var rotated = identity.Rotate(third);

        rotated.Revision.Should().Be(5);
        rotated.Keys.Versions.Select(v => v.Version).Should().Equal(1, 2, 3);
        rotated.Keys.Latest.Should().BeSameAs(third);
        rotated.Keys.MinDecryptionVersion.Should().Be(2, "rotating does not move the minimum");
        rotated.Should().BeEquivalentTo(identity, o => o.Excluding(i => i.Revision).Excluding(i => i.Keys));
        identity.Revision.Should().Be(4);
        identity.Keys.Versions.Should().HaveCount(2, "a change is a new state; the one the store holds is untouched");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Rotation_refuses_a_version_that_is_not_the_next_number(int version)
    {
        var identity = Identity.Restore(Id, Alice, Hash, exportable: true, Now, revision: 2, TestKeyVersions.Ring(2));

        var act = () => identity.Rotate(TestKeyVersions.Numbered(version));

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("next");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Configuring_sets_the_minimum_anywhere_from_1_to_the_latest_and_returns_the_next_revision(int minimum)
    {
        var identity = Identity.Restore(Id, Alice, Hash, exportable: true, Now, revision: 7, TestKeyVersions.Ring(3, minDecryptionVersion: 2));

        var configured = identity.Configure(minimum);

        configured.Keys.MinDecryptionVersion.Should().Be(minimum);
        configured.Revision.Should().Be(8);
        configured.Keys.Versions.Should().Equal(identity.Keys.Versions);
        identity.Keys.MinDecryptionVersion.Should().Be(2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4)]
    public void Configuring_a_minimum_outside_1_to_the_latest_is_a_rule_violation_naming_the_latest(int minimum)
    {
        var identity = Identity.Restore(Id, Alice, Hash, exportable: true, Now, revision: 1, TestKeyVersions.Ring(3));

        var act = () => identity.Configure(minimum);

        var refused = act.Should().Throw<MinDecryptionVersionOutOfRangeException>().Which;
        refused.Should().BeAssignableTo<DomainRuleException>();
        refused.Requested.Should().Be(minimum);
        refused.LatestVersion.Should().Be(3);
    }

    [Fact]
    public void Each_change_moves_the_revision_on_by_one_however_many_are_chained()
    {
        var identity = Identity.Restore(Id, Alice, Hash, exportable: true, Now, revision: 1, TestKeyVersions.Ring(1));

        var changed = identity.Rotate(TestKeyVersions.Numbered(2)).Configure(2).Rotate(TestKeyVersions.Numbered(3));

        changed.Revision.Should().Be(4);
        changed.Keys.Versions.Select(v => v.Version).Should().Equal(1, 2, 3);
        changed.Keys.MinDecryptionVersion.Should().Be(2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_stored_state_below_revision_1_is_refused(long revision)
    {
        var act = () => Identity.Restore(Id, Alice, Hash, exportable: true, Now, revision, TestKeyVersions.Ring(1));

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("revision");
    }
}
