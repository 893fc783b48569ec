using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>What a sealed private key is bound to: opening it under any other binding fails.</summary>
/// <param name="IdentityId">The registration.</param>
/// <param name="NormalizedEmail">Its normalized address.</param>
/// <param name="Version">The key version.</param>
public sealed record KeyBinding(Guid IdentityId, string NormalizedEmail, int Version)
{
    /// <summary>The binding of <paramref name="version"/> of <paramref name="identity"/>'s ring.</summary>
    public static KeyBinding For(Identity identity, int version)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new KeyBinding(identity.Id, identity.Email.Normalized, version);
    }
}
