namespace CryptoSecure.Domain.Identities;

/// <summary>What a one-time code held by an identity proves when it is entered.</summary>
public enum CodePurpose
{
    /// <summary>Verifies the address (entered with the owner's API key).</summary>
    Registration,

    /// <summary>Replaces a lost API key of a verified identity (entered without one).</summary>
    Recovery,
}
