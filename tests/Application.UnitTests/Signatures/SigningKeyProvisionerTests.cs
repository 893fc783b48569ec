using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Signatures.Common;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using Moq;

namespace CryptoSecure.Application.UnitTests.Signatures;

public class SigningKeyProvisionerTests
{
    private static readonly EmailAddress Alice = EmailAddress.Parse(TestIdentity.Email);

    private readonly Ports _ports = new();
    private readonly Mock<IRsaKeyFactory> _keyFactory = new();
    private readonly List<RsaKeyPair> _generated = [];

    public SigningKeyProvisionerTests()
    {
        _keyFactory.Setup(f => f.CreateAsync(It.IsAny<KeySize>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((KeySize size, string _, CancellationToken _) =>
            {
                var pair = new RsaKeyPair(size, "spki-signing"u8.ToArray(), "pkcs8-signing"u8.ToArray());
                _generated.Add(pair);
                return ValueTask.FromResult(pair);
            });
    }

    [Fact]
    public async Task An_identity_from_before_signatures_gets_a_signing_key_on_its_latest_version_sealed_for_signing_and_audited_in_the_save()
    {
        var identity = TestIdentity.Create(versions: 2, sizes: [KeySize.Rsa2048, KeySize.Rsa3072]);

        var provisioned = await Provisioner().EnsureLatestCanSignAsync(identity, CancellationToken.None);

        _keyFactory.Verify(f => f.CreateAsync(KeySize.Rsa3072, Ports.FairShareKey, It.IsAny<CancellationToken>()), Times.Once, "one key of the latest version's size, on the caller's share");
        var save = _ports.Saves.Should().ContainSingle().Subject;
        save.ExpectedRevision.Should().Be(identity.Revision);
        save.Next.Should().BeSameAs(provisioned);
        provisioned.Revision.Should().Be(identity.Revision + 1);
        provisioned.Keys.Versions[0].SigningKey.Should().BeNull("older versions never sign again");
        var signingKey = provisioned.Keys.Latest.SigningKey!;
        signingKey.PublicKey.Should().Equal("spki-signing"u8.ToArray());
        FakeKeyProtector.OpenedContent(signingKey.SealedPrivateKey, new KeyBinding(identity.Id, Alice.Normalized, 2, KeyPurpose.Signing)).Should().Equal("pkcs8-signing"u8.ToArray());
        save.AuditEvents.Should().Equal(Ports.Expected(identity.Id, AuditAction.SigningKeyAdded, AuditOutcome.Success, 2));
        _generated.Should().OnlyContain(p => IsWiped(p));
    }

    [Fact]
    public async Task An_identity_whose_latest_version_can_sign_is_left_alone()
    {
        var identity = TestIdentity.Create().WithSigningKey(1, new SigningKey([1], new SealedPrivateKey([1])));

        (await Provisioner().EnsureLatestCanSignAsync(identity, CancellationToken.None)).Should().BeSameAs(identity);

        _keyFactory.VerifyNoOtherCalls();
        _ports.Saves.Should().BeEmpty();
    }

    [Fact]
    public async Task A_concurrent_first_sign_that_won_is_used_and_this_key_is_wiped_unsaved()
    {
        var read = TestIdentity.Create(revision: 1);
        var winner = read.WithSigningKey(1, new SigningKey("spki-winner"u8.ToArray(), new SealedPrivateKey([9])));
        _ports.Store.Setup(s => s.FindByIdAsync(winner.Id, It.IsAny<CancellationToken>())).ReturnsAsync(winner);
        _ports.ConflictsToRaise = 1;

        var provisioned = await Provisioner().EnsureLatestCanSignAsync(read, CancellationToken.None);

        provisioned.Should().BeSameAs(winner);
        _ports.Saves.Should().ContainSingle("the lost attempt only; nothing is saved over the winner");
        _generated.Should().ContainSingle().Which.Should().Match<RsaKeyPair>(p => IsWiped(p));
    }

    private static bool IsWiped(RsaKeyPair pair)
    {
        try
        {
            _ = pair.PrivateKeyPkcs8.Length;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    private SigningKeyProvisioner Provisioner() => new(_ports.Store.Object, _keyFactory.Object, _ports.Protector, _ports.Request.Object, _ports.Audit);
}
