using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Keys.Common;

/// <summary>One public key version.</summary>
/// <param name="Version">Version number.</param>
/// <param name="KeySize">RSA modulus bits.</param>
/// <param name="PublicKeyPem">SPKI PEM.</param>
/// <param name="PublicKeyJwk">The same key as a JWK.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="SigningPublicKeyPem">The version's signing key, SPKI PEM; null until a version from before signatures existed first signs.</param>
/// <param name="SigningKeyJwk">The same signing key as a JWK; null with it.</param>
public sealed record PublicKeyView(int Version, int KeySize, string PublicKeyPem, PublicJsonWebKey PublicKeyJwk, DateTimeOffset CreatedAt, string? SigningPublicKeyPem, PublicJsonWebKey? SigningKeyJwk);

/// <summary>An identity's key ring, public parts only.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="LatestVersion">The version encryption uses.</param>
/// <param name="MinDecryptionVersion">Lowest version that still decrypts.</param>
/// <param name="Exportable">Whether private keys may be exported.</param>
/// <param name="Keys">Every version, oldest first.</param>
/// <param name="AutoRotatePeriodSeconds">How old the latest version may get before the service rotates it; 0 when automatic rotation is off.</param>
/// <param name="NextRotationAt">When the service rotates next; null when automatic rotation is off.</param>
/// <param name="DeletesAt">When the identity is crypto-shredded, while its deletion is pending (only its owner or an admin ever sees one); null otherwise.</param>
public sealed record KeyRingView(
    string Email, int LatestVersion, int MinDecryptionVersion, bool Exportable, IReadOnlyList<PublicKeyView> Keys,
    long AutoRotatePeriodSeconds, DateTimeOffset? NextRotationAt, DateTimeOffset? DeletesAt)
{
    /// <summary>Builds the view of <paramref name="identity"/>'s ring.</summary>
    public static KeyRingView Of(Identity identity, IKeyFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(formatter);
        var keys = identity.Keys.Versions
            .Select(v => new PublicKeyView(
                v.Version,
                v.Size.Bits,
                formatter.PublicKeyPem(v.PublicKey),
                formatter.PublicJwk(v.PublicKey, identity.KeyIdOf(v.Version)),
                v.CreatedAt,
                v.SigningKey is null ? null : formatter.PublicKeyPem(v.SigningKey.PublicKey),
                v.SigningKey is null ? null : formatter.SigningJwk(v.SigningKey.PublicKey, identity.SigningKeyIdOf(v.Version))))
            .ToArray();
        return new KeyRingView(
            identity.Email.Display, identity.Keys.Latest.Version, identity.Keys.MinDecryptionVersion, identity.Exportable, keys,
            (long)(identity.AutoRotatePeriod?.TotalSeconds ?? 0), identity.NextRotationAt, identity.DeletesAt);
    }
}
