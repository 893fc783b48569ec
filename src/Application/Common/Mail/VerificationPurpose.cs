namespace CryptoSecure.Application.Common.Mail;

/// <summary>What a mailed code is for.</summary>
public enum VerificationPurpose
{
    /// <summary>Proves the address of a new (or not yet verified) registration.</summary>
    Registration,

    /// <summary>Recovers a verified identity whose API key was lost.</summary>
    Recovery,
}
