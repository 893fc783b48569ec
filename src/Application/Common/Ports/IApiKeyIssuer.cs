using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>Issues API keys and hashes presented ones.</summary>
public interface IApiKeyIssuer
{
    /// <summary>A new random API key.</summary>
    IssuedApiKey Issue();

    /// <summary>The hash a presented key is looked up by.</summary>
    ApiKeyHash Hash(ReadOnlySpan<char> presentedKey);
}
