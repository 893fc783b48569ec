using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Keys;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// Signing keys in the contract (schema 4): a version written with one reads back with it; a
/// version written without one (as the first release wrote them all) reads back with none, and
/// a later save that gives it one stores it beside the encryption key, which stays as it was.
/// </summary>
public abstract partial class KeyStoreContract
{
    [SkippableFact]
    public async Task A_version_with_a_signing_key_reads_back_with_every_byte_of_both_keys()
    {
        var store = await Store();
        var signing = NewSigningKey();
        var identity = WithSigningKey(NewIdentity("sig-one@example.com"), 1, signing, restore: true);
        await store.CreateAsync(identity, [Registered(identity)], default);
        var rotated = identity.Rotate(NewVersion(2) with { SigningKey = NewSigningKey(KeySize.Rsa3072) });
        await store.SaveAsync(rotated, identity.Revision, [Event(identity, AuditAction.Rotated, 2)], default);

        var found = (await store.FindAsync(identity.Email, default))!;

        found.Keys.Versions[0].SigningKey!.PublicKey.Should().Equal(signing.PublicKey);
        found.Keys.Versions[0].SigningKey!.SealedPrivateKey.ToArray().Should().Equal(signing.SealedPrivateKey.ToArray());
        found.Keys.Versions[0].SealedPrivateKey.ToArray().Should().Equal(identity.Keys.Versions[0].SealedPrivateKey.ToArray());
        found.Keys.Latest.SigningKey!.PublicKey.Should().Equal(rotated.Keys.Latest.SigningKey!.PublicKey);
        found.Keys.Latest.SigningKey!.SealedPrivateKey.ToArray().Should().Equal(rotated.Keys.Latest.SigningKey!.SealedPrivateKey.ToArray());
    }

    [SkippableFact]
    public async Task A_version_without_a_signing_key_gets_one_by_a_save_and_keeps_its_encryption_key()
    {
        var store = await Store();
        var identity = NewIdentity("sig-later@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        var rotated = Rotated(identity);
        await store.SaveAsync(rotated, 1, [Event(identity, AuditAction.Rotated, 2)], default);
        (await store.FindAsync(identity.Email, default))!.Keys.Versions.Should().OnlyContain(v => v.SigningKey == null, "versions written without one have none");

        var signing = NewSigningKey();
        var signed = rotated.WithSigningKey(2, signing);
        await store.SaveAsync(signed, rotated.Revision, [Event(identity, AuditAction.SigningKeyAdded, 2)], default);

        var found = (await store.FindAsync(identity.Email, default))!;
        found.Revision.Should().Be(3);
        found.Keys.Versions[0].SigningKey.Should().BeNull("only the version given one has one");
        found.Keys.Latest.SigningKey!.PublicKey.Should().Equal(signing.PublicKey);
        found.Keys.Latest.SigningKey!.SealedPrivateKey.ToArray().Should().Equal(signing.SealedPrivateKey.ToArray());
        found.Keys.Latest.SealedPrivateKey.ToArray().Should().Equal(rotated.Keys.Latest.SealedPrivateKey.ToArray());
        found.Keys.Latest.PublicKey.Should().Equal(rotated.Keys.Latest.PublicKey);
        (await (await Trail()).ReadAsync(identity.Id, null, null, 10, default)).Events.Should().Contain(e => e.Action == AuditAction.SigningKeyAdded);
    }

    [SkippableFact]
    public async Task A_signing_key_given_at_a_stale_revision_is_a_conflict_and_is_not_stored()
    {
        var store = await Store();
        var identity = NewIdentity("sig-race@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        var first = identity.WithSigningKey(1, NewSigningKey());
        await store.SaveAsync(first, 1, [], default);

        var act = () => store.SaveAsync(identity.WithSigningKey(1, NewSigningKey()), 1, [], default);

        await act.Should().ThrowAsync<CryptoSecure.Application.Common.Exceptions.ConcurrencyConflictException>();
        (await store.FindAsync(identity.Email, default))!.Keys.Latest.SigningKey!.PublicKey.Should().Equal(first.Keys.Latest.SigningKey!.PublicKey, "the first signing key stays the one published");
    }

    private static CryptoSecure.Domain.Identities.Identity WithSigningKey(CryptoSecure.Domain.Identities.Identity identity, int version, SigningKey signingKey, bool restore)
    {
        var next = identity.WithSigningKey(version, signingKey);

        // As registration makes it: revision 1 with its signing key from the start.
        return restore
            ? CryptoSecure.Domain.Identities.Identity.Restore(next.Id, next.Email, next.ApiKeyHash, next.Exportable, next.CreatedAt, 1, next.Keys)
            : next;
    }
}
