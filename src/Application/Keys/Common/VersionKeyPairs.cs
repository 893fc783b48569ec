using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Keys.Common;

/// <summary>
/// The two fresh key pairs a new key version holds, one to encrypt and one to sign (a key serves
/// one purpose only, NIST SP 800-57): registration and rotation each take two generations from
/// the key factory, so each is counted, pooled and scheduled as what it costs. Both wiped on dispose.
/// </summary>
public sealed class VersionKeyPairs : IDisposable
{
    /// <summary>Takes ownership of both pairs.</summary>
    public VersionKeyPairs(RsaKeyPair encryption, RsaKeyPair signing)
    {
        Encryption = encryption;
        Signing = signing;
    }

    /// <summary>The encryption key pair (RSA-OAEP).</summary>
    public RsaKeyPair Encryption { get; }

    /// <summary>The signing key pair (RSASSA).</summary>
    public RsaKeyPair Signing { get; }

    /// <summary>Two key pairs of <paramref name="size"/>, as one piece of work under the requester's fair share.</summary>
    /// <exception cref="ServiceBusyException">Key generation is saturated.</exception>
    public static async Task<VersionKeyPairs> CreateAsync(IRsaKeyFactory factory, KeySize size, string requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var pairs = await factory.CreateManyAsync(size, 2, requester, cancellationToken).ConfigureAwait(false);
        return new VersionKeyPairs(pairs[0], pairs[1]);
    }

    /// <summary>
    /// The version <paramref name="encryptionBinding"/> names, holding both pairs, each private key sealed for its purpose,
    /// identity and number (<paramref name="encryptionBinding"/> with its purpose changed for the signing key).
    /// </summary>
    public KeyVersion ToKeyVersion(IKeyProtector protector, KeyBinding encryptionBinding, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(encryptionBinding);
        var sealedEncryption = protector.Seal(Encryption.PrivateKeyPkcs8, encryptionBinding with { Purpose = KeyPurpose.Encryption });
        var sealedSigning = protector.Seal(Signing.PrivateKeyPkcs8, encryptionBinding with { Purpose = KeyPurpose.Signing });
        return new KeyVersion(encryptionBinding.Version, Encryption.Size, Encryption.PublicKey, sealedEncryption, now, new SigningKey(Signing.PublicKey, sealedSigning));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Encryption.Dispose();
        Signing.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"VersionKeyPairs({Encryption.Size})";
}
