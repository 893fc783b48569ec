namespace CryptoSecure.Api.Contracts;

/// <summary>An identity's key ring (public parts).</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="LatestVersion">The version encryption uses.</param>
/// <param name="MinDecryptionVersion">Versions below this no longer decrypt or export.</param>
/// <param name="Exportable">Whether private keys may be exported.</param>
/// <param name="Keys">Every version, oldest first.</param>
/// <param name="EmailVerified">Whether the owner proved the address with a mailed code (false for identities registered with verification off or before it existed, until they verify).</param>
public sealed record KeyRingResponse(string Email, int LatestVersion, int MinDecryptionVersion, bool Exportable, IReadOnlyList<PublicKeyResponse> Keys, bool EmailVerified);
