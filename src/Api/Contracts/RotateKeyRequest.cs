namespace CryptoSecure.Api.Contracts;

/// <summary>Rotate: add a key version.</summary>
/// <param name="KeySize">Size of the new version: 2048, 3072 or 4096. Default: the server's <c>Keys:DefaultKeySize</c>.</param>
public sealed record RotateKeyRequest(int? KeySize = null);
