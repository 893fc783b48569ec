using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>An exported private key.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="Version">The version exported.</param>
/// <param name="PrivateKeyPem">PKCS#8 PEM ("BEGIN PRIVATE KEY").</param>
public sealed record PrivateKeyResponse(string Email, int Version, [Secret] string PrivateKeyPem)
{
    /// <inheritdoc />
    public override string ToString() => $"PrivateKeyResponse {{ Email = {Email}, Version = {Version} }}";
}
