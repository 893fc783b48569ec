using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Signatures.Common;

/// <summary>
/// Gives an identity from before signatures existed its signing key when it first signs: its
/// latest version, the one signing uses, gets a fresh key pair of its size, sealed for signing,
/// saved with optimistic concurrency and audited in the same transaction. Older versions never
/// get one: they never sign again, and they made no signatures to verify.
/// </summary>
public sealed class SigningKeyProvisioner(IKeyStore store, IRsaKeyFactory keyFactory, IKeyProtector protector, IRequestContext request, AuditRecorder audit)
{
    /// <summary><paramref name="identity"/> with a signing key on its latest version, as stored.</summary>
    public async Task<Identity> EnsureLatestCanSignAsync(Identity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Keys.Latest.SigningKey is not null)
        {
            return identity;
        }

        using var keyPair = await keyFactory.CreateAsync(identity.Keys.Latest.Size, request.FairShareKey, cancellationToken).ConfigureAwait(false);
        try
        {
            return await store.ChangeAsync(
                identity,
                current =>
                {
                    var latest = current.Keys.Latest;
                    if (latest.SigningKey is not null)
                    {
                        // A concurrent sign (or a rotation, which brings its own) got there first:
                        // that key is the one to use, this one is wiped unused.
                        throw new AlreadyProvisioned(current);
                    }

                    var sealedKey = protector.Seal(keyPair.PrivateKeyPkcs8, KeyBinding.ForSigning(current, latest.Version));
                    var next = current.WithSigningKey(latest.Version, new SigningKey(keyPair.PublicKey, sealedKey));
                    return new IdentityChange(next, [audit.Create(current.Id, AuditAction.SigningKeyAdded, AuditOutcome.Success, latest.Version)]);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AlreadyProvisioned settled)
        {
            return settled.Current;
        }
    }

    /// <summary>Leaves the retry loop when there is nothing left to save.</summary>
    private sealed class AlreadyProvisioned(Identity current) : Exception("The latest key version already has a signing key.")
    {
        public Identity Current { get; } = current;
    }
}
