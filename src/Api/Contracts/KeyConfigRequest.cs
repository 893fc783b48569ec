namespace CryptoSecure.Api.Contracts;

/// <summary>Key ring settings.</summary>
/// <param name="MinDecryptionVersion">Lowest version allowed to decrypt and export; 1..latest. Omit to keep it.</param>
/// <param name="AutoRotatePeriodSeconds">
/// Rotate automatically when the latest version is this many seconds old; 0 turns it off; at least
/// <c>Keys:AutoRotation:MinimumPeriodSeconds</c> (default 3600). Omit to keep it.
/// </param>
public sealed record KeyConfigRequest(int? MinDecryptionVersion, long? AutoRotatePeriodSeconds = null);
