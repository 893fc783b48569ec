namespace CryptoSecure.Api.Contracts;

/// <summary>What data key to make.</summary>
/// <param name="Bytes">Key length in bytes: 16, 24 or 32 (default 32, AES-256).</param>
/// <param name="IncludePlaintext">Whether the answer carries the key itself (default true); false for a key to be stored now and opened later by the owner.</param>
public sealed record DataKeyRequest(int? Bytes = null, bool? IncludePlaintext = null);
