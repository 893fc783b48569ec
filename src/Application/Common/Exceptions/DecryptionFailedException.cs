namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// Any decryption failure. Every cause yields this one exception with the same message, and the
/// HTTP layer answers each alike, so the answer reveals nothing about the cause (Manger's attack
/// on OAEP; Wycheproof's InvalidOaepPadding note).
/// </summary>
public sealed class DecryptionFailedException(DecryptionFailure reason) : ClientFacingException(ProblemKind.DecryptionFailed, UniformMessage)
{
    /// <summary>The fixed text of every decryption failure.</summary>
    public const string UniformMessage = "The ciphertext could not be decrypted.";

    /// <summary>The cause, for logs only.</summary>
    public DecryptionFailure Reason { get; } = reason;
}
