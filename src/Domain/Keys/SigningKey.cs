namespace CryptoSecure.Domain.Keys;

/// <summary>
/// The signing key pair of one key version, kept apart from its encryption key pair: a key serves
/// one purpose only (NIST SP 800-57 Part 1 §5.2), so a signature can never be used as a decryption
/// oracle or the other way round.
/// </summary>
/// <param name="PublicKey">SubjectPublicKeyInfo (RFC 5280) DER bytes.</param>
/// <param name="SealedPrivateKey">PKCS#8 private key sealed under the master key for the signing purpose.</param>
public sealed record SigningKey(byte[] PublicKey, SealedPrivateKey SealedPrivateKey)
{
    /// <inheritdoc />
    public override string ToString() => "SigningKey";
}
