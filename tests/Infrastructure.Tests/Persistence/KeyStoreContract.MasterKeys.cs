using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Persistence;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>Master key ids on sealed keys, the re-seal save, and the admin side's counts and lookups (schema 7).</summary>
public abstract partial class KeyStoreContract
{
    private const string OldKeyId = "0123456789abcdef";
    private const string NewKeyId = "fedcba9876543210";

    [SkippableFact]
    public async Task Sealed_keys_read_back_naming_the_master_key_that_sealed_them()
    {
        var store = await Store();
        var identity = SealedBy(NewIdentity(ApiAddress()), OldKeyId, withSigningKey: true);
        await store.CreateAsync(identity, [Registered(identity)], default);

        var read = (await store.FindAsync(identity.Email, default))!;

        read.Keys.Versions.Single().SealedPrivateKey.SealedBy.Should().Be(OldKeyId);
        read.Keys.Versions.Single().SigningKey!.SealedPrivateKey.SealedBy.Should().Be(OldKeyId);
        var counts = await (await Admin()).CountSealedKeysAsync(default);
        counts.Should().BeEquivalentTo([new SealedKeyCount(OldKeyId, 2)]);
    }

    [SkippableFact]
    public async Task A_reseal_replaces_every_sealed_key_and_its_master_key_id_and_nothing_else()
    {
        var store = await Store();
        var admin = await Admin();
        var identity = SealedBy(Rotated(NewIdentity(ApiAddress())), OldKeyId, withSigningKey: true);
        await store.CreateAsync(identity, [Registered(identity)], default);
        (await admin.FindSealedByOtherThanAsync(NewKeyId, null, 10, default)).Should().Equal(identity.Email.Normalized);

        var resealed = identity.Reseal(Resealed(identity, NewKeyId));
        await store.SaveAsync(resealed, identity.Revision, [], default);

        var read = (await store.FindAsync(identity.Email, default))!;
        read.Revision.Should().Be(identity.Revision + 1);
        for (var i = 0; i < read.Keys.Versions.Count; i++)
        {
            var version = read.Keys.Versions[i];
            version.SealedPrivateKey.SealedBy.Should().Be(NewKeyId);
            version.SealedPrivateKey.ToArray().Should().Equal(resealed.Keys.Versions[i].SealedPrivateKey.ToArray()).And.NotEqual(identity.Keys.Versions[i].SealedPrivateKey.ToArray());
            version.SigningKey!.SealedPrivateKey.SealedBy.Should().Be(NewKeyId);
            version.SigningKey.SealedPrivateKey.ToArray().Should().Equal(resealed.Keys.Versions[i].SigningKey!.SealedPrivateKey.ToArray());
            version.PublicKey.Should().Equal(identity.Keys.Versions[i].PublicKey, "the key pair is the same");
        }

        (await admin.FindSealedByOtherThanAsync(NewKeyId, null, 10, default)).Should().BeEmpty();
        (await admin.CountSealedKeysAsync(default)).Should().BeEquivalentTo([new SealedKeyCount(NewKeyId, 4)]);
    }

    [SkippableFact]
    public async Task A_reseal_made_from_a_state_that_lost_a_race_is_refused_and_the_winning_change_stays()
    {
        var store = await Store();
        var identity = SealedBy(NewIdentity(ApiAddress()), OldKeyId, withSigningKey: false);
        await store.CreateAsync(identity, [Registered(identity)], default);
        var rotated = SealedBy(Rotated(identity), OldKeyId, withSigningKey: false);
        await store.SaveAsync(rotated, identity.Revision, [], default);

        var stale = identity.Reseal(Resealed(identity, NewKeyId));
        var act = () => store.SaveAsync(stale, identity.Revision, [], default);

        await act.Should().ThrowAsync<ConcurrencyConflictException>();
        var read = (await store.FindAsync(identity.Email, default))!;
        read.Keys.Versions.Should().HaveCount(2, "the rotation that won is kept");
        read.Keys.Versions.Should().OnlyContain(v => v.SealedPrivateKey.SealedBy == OldKeyId, "nothing of the stale re-seal was written");
    }

    [SkippableFact]
    public async Task Keys_from_before_master_key_ids_are_adopted_with_the_check_value_in_one_step()
    {
        var store = await Store();
        var admin = await Admin();
        var legacy = NewIdentity(ApiAddress());
        await store.CreateAsync(legacy, [Registered(legacy)], default);
        (await admin.CountSealedKeysAsync(default)).Should().BeEquivalentTo([new SealedKeyCount(null, 1)]);
        var oldCheck = RandomNumberGenerator.GetBytes(32);
        (await admin.EnsureMasterKeyCheckAsync(oldCheck, default)).Should().Equal(oldCheck);
        (await admin.ReadMasterKeyCheckIdAsync(default)).Should().BeNull();

        var newCheck = RandomNumberGenerator.GetBytes(32);
        await admin.AdoptMasterKeyAsync(OldKeyId, newCheck, NewKeyId, default);

        (await admin.CountSealedKeysAsync(default)).Should().BeEquivalentTo([new SealedKeyCount(OldKeyId, 1)]);
        (await admin.EnsureMasterKeyCheckAsync(RandomNumberGenerator.GetBytes(32), default)).Should().Equal(newCheck, "the check value moved to the current key");
        (await admin.ReadMasterKeyCheckIdAsync(default)).Should().Be(NewKeyId);
        (await admin.FindSealedByOtherThanAsync(NewKeyId, null, 10, default)).Should().Equal(legacy.Email.Normalized);
    }

    private static string ApiAddress() => $"mk-{Guid.NewGuid():N}@example.com";

    private static Identity SealedBy(Identity identity, string keyId, bool withSigningKey)
    {
        var versions = identity.Keys.Versions.Select(v => v with
        {
            SealedPrivateKey = new SealedPrivateKey(v.SealedPrivateKey.ToArray(), keyId),
            SigningKey = withSigningKey ? new SigningKey(NewSigningKey().PublicKey, new SealedPrivateKey(RandomNumberGenerator.GetBytes(64), keyId)) : null,
        });
        return Identity.Restore(identity.Id, identity.Email, identity.ApiKeyHash, identity.Exportable, identity.CreatedAt, identity.Revision, new KeyRing(versions, identity.Keys.MinDecryptionVersion));
    }

    private static KeyVersion[] Resealed(Identity identity, string keyId) =>
        identity.Keys.Versions.Select(v => v with
        {
            SealedPrivateKey = new SealedPrivateKey(RandomNumberGenerator.GetBytes(v.SealedPrivateKey.Bytes.Length), keyId),
            SigningKey = v.SigningKey is { } s ? s with { SealedPrivateKey = new SealedPrivateKey(RandomNumberGenerator.GetBytes(64), keyId) } : null,
        }).ToArray();
}
