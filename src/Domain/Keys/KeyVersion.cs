namespace CryptoSecure.Domain.Keys;

/// <summary>One version in an identity's key ring.</summary>
/// <param name="Version">1-based version number; increases by one per rotation.</param>
/// <param name="Size">RSA modulus size.</param>
/// <param name="PublicKey">SubjectPublicKeyInfo (RFC 5280) DER bytes.</param>
/// <param name="SealedPrivateKey">PKCS#8 private key sealed under the master key.</param>
/// <param name="CreatedAt">When the version was added.</param>
/// <param name="SigningKey">
/// The version's signing key pair, of the same size; null for versions written before signatures
/// existed, which get one when they first need it (<see cref="KeyRing.WithSigningKey"/>).
/// </param>
public sealed record KeyVersion(
    int Version,
    KeySize Size,
    byte[] PublicKey,
    SealedPrivateKey SealedPrivateKey,
    DateTimeOffset CreatedAt,
    SigningKey? SigningKey = null)
{
    /// <inheritdoc />
    public override string ToString() => $"KeyVersion {{ Version = {Version}, Size = {Size}, CreatedAt = {CreatedAt:O}, HasSigningKey = {SigningKey is not null} }}";
}
