using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>Helpers for loading an identity or failing with 404.</summary>
public static class IdentityGuards
{
    /// <summary>Returns <paramref name="identity"/> or throws <see cref="IdentityNotFoundException"/>.</summary>
    public static Identity OrNotFound(this Identity? identity) => identity ?? throw new IdentityNotFoundException();
}
