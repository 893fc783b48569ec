using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>What a sealed private key is used for; bound into its seal, so a key sealed for one purpose never opens for the other.</summary>
public enum KeyPurpose
{
    /// <summary>The version's encryption key (RSA-OAEP), the only kind the first release had.</summary>
    Encryption,

    /// <summary>The version's signing key (RSASSA-PSS / PKCS#1 v1.5).</summary>
    Signing,
}

/// <summary>What a sealed private key is bound to: opening it under any other binding fails.</summary>
/// <param name="IdentityId">The registration.</param>
/// <param name="NormalizedEmail">Its normalized address.</param>
/// <param name="Version">The key version.</param>
/// <param name="Purpose">Encryption or signing: the two keys of one version are sealed apart.</param>
public sealed record KeyBinding(Guid IdentityId, string NormalizedEmail, int Version, KeyPurpose Purpose = KeyPurpose.Encryption)
{
    /// <summary>The binding of <paramref name="version"/>'s encryption key in <paramref name="identity"/>'s ring.</summary>
    public static KeyBinding For(Identity identity, int version)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new KeyBinding(identity.Id, identity.Email.Normalized, version);
    }

    /// <summary>The binding of <paramref name="version"/>'s signing key in <paramref name="identity"/>'s ring.</summary>
    public static KeyBinding ForSigning(Identity identity, int version)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new KeyBinding(identity.Id, identity.Email.Normalized, version, KeyPurpose.Signing);
    }
}
