using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>A new API key, shown only in this answer; the previous one no longer works.</summary>
/// <param name="ApiKey">The owner's new API key.</param>
public sealed record ApiKeyResponse([Secret] string ApiKey)
{
    /// <inheritdoc />
    public override string ToString() => "ApiKeyResponse(redacted)";
}
