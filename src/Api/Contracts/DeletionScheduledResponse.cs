namespace CryptoSecure.Api.Contracts;

/// <summary>A deletion that waits: the identity is disabled until <paramref name="DeletesAt"/>, then crypto-shredded unless restored.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="DeletesAt">When the identity and its keys are destroyed.</param>
public sealed record DeletionScheduledResponse(string Email, DateTimeOffset DeletesAt);
