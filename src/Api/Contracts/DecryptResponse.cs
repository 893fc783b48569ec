using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>A decrypted plaintext.</summary>
/// <param name="Plaintext">The plaintext as text; null when it is not valid UTF-8.</param>
/// <param name="PlaintextBase64">The plaintext bytes, base64.</param>
/// <param name="KeyVersion">The key version that decrypted it.</param>
public sealed record DecryptResponse([Secret] string? Plaintext, [Secret] string PlaintextBase64, int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"DecryptResponse {{ KeyVersion = {KeyVersion} }}";
}
