namespace CryptoSecure.Application.Common.Ports;

/// <summary>The identity a credential belongs to.</summary>
/// <param name="IdentityId">The registration.</param>
/// <param name="NormalizedEmail">Its normalized address.</param>
public sealed record CredentialOwner(Guid IdentityId, string NormalizedEmail);
