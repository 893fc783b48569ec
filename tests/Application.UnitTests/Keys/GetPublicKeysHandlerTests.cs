using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Keys.Queries.GetPublicKeys;
using CryptoSecure.Application.UnitTests.TestDoubles;

namespace CryptoSecure.Application.UnitTests.Keys;

public class GetPublicKeysHandlerTests
{
    private readonly Ports _ports = new();

    [Fact]
    public async Task Every_version_is_listed_oldest_first_with_its_own_public_key_and_key_id()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 3, minDecryptionVersion: 2, exportable: false));

        var view = await new GetPublicKeysHandler(_ports.Store.Object, _ports.Formatter, _ports.Request.Object).Handle(new GetPublicKeys("alice@example.com"), CancellationToken.None);

        view.Email.Should().Be(TestIdentity.Email);
        view.LatestVersion.Should().Be(3);
        view.MinDecryptionVersion.Should().Be(2);
        view.Exportable.Should().BeFalse();
        view.Keys.Select(k => k.Version).Should().Equal(1, 2, 3);
        view.Keys.Select(k => k.PublicKeyPem).Should().Equal(
            Enumerable.Range(1, 3).Select(v => FakeKeyFormatter.PublicPemOf(TestIdentity.PublicKeyOf(v))));
        view.Keys.Select(k => k.PublicKeyJwk.Kid).Should().Equal(identity.KeyIdOf(1), identity.KeyIdOf(2), identity.KeyIdOf(3));
    }

    [Fact]
    public async Task An_unknown_identity_has_no_public_keys()
    {
        var act = () => new GetPublicKeysHandler(_ports.Store.Object, _ports.Formatter, _ports.Request.Object).Handle(new GetPublicKeys("nobody@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
    }
}
