namespace CryptoSecure.Api.Contracts;

/// <summary>A JWK Set (RFC 7517 §5).</summary>
/// <param name="Keys">
/// The encryption keys ("use": "enc") of the versions still allowed to decrypt, latest first, then
/// the signing keys ("use": "sig") of every version that has one, latest first.
/// </param>
public sealed record JsonWebKeySetResponse(IReadOnlyList<JsonWebKeyResponse> Keys);
