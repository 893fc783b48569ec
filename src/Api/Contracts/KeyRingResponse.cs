namespace CryptoSecure.Api.Contracts;

/// <summary>An identity's key ring (public parts).</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="LatestVersion">The version encryption uses.</param>
/// <param name="MinDecryptionVersion">Versions below this no longer decrypt or export.</param>
/// <param name="Exportable">Whether private keys may be exported.</param>
/// <param name="Keys">Every version, oldest first.</param>
/// <param name="AutoRotatePeriodSeconds">The automatic rotation period; 0 when off.</param>
/// <param name="NextRotationAt">When the service rotates next (the latest version's creation plus the period); null when off.</param>
/// <param name="DeletesAt">While a deletion is pending (seen only by the owner or an admin), when the identity is crypto-shredded; null otherwise.</param>
public sealed record KeyRingResponse(
    string Email, int LatestVersion, int MinDecryptionVersion, bool Exportable, IReadOnlyList<PublicKeyResponse> Keys,
    long AutoRotatePeriodSeconds, DateTimeOffset? NextRotationAt, DateTimeOffset? DeletesAt);
