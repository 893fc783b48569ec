namespace CryptoSecure.Api.Contracts;

/// <summary>Key ring settings.</summary>
/// <param name="MinDecryptionVersion">Lowest version allowed to decrypt and export; 1..latest.</param>
public sealed record KeyConfigRequest(int? MinDecryptionVersion);
