using CryptoSecure.Domain;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>A newly issued API key: the text is shown once, only the hash is kept.</summary>
/// <param name="Key">"csk_" + base64url of 32 random bytes.</param>
/// <param name="Hash">Its SHA-256.</param>
public sealed record IssuedApiKey([Secret] string Key, ApiKeyHash Hash)
{
    /// <inheritdoc />
    public override string ToString() => "IssuedApiKey(redacted)";
}
