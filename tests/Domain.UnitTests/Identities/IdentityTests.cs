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
        var identity = new Identity(Id, Alice, Hash, exportable: true, Now, revision: 5, TestKeyVersions.Ring(3, minDecryptionVersion: 2));

        identity.CanExport(version).Should().Be(exportable);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_non_exportable_identity_exports_no_version(int version)
    {
        var identity = new Identity(Id, Alice, Hash, exportable: false, Now, revision: 1, TestKeyVersions.Ring(2));

        identity.CanExport(version).Should().BeFalse();
    }

    [Fact]
    public void The_key_id_of_a_version_names_this_registration_and_that_version()
    {
        var identity = new Identity(Id, Alice, Hash, exportable: true, Now, revision: 1, TestKeyVersions.Ring(2));

        var kid = identity.KeyIdOf(2);

        kid.Should().Be(KeyId.Format(Id, 2));
        kid.Should().NotContainEquivalentOf("alice");
        KeyId.TryParse(kid, out var identityId, out var version).Should().BeTrue();
        identityId.Should().Be(Id);
        version.Should().Be(2);
    }
}
