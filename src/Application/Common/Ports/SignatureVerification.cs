namespace CryptoSecure.Application.Common.Ports;

/// <summary>The result of checking a signature.</summary>
/// <param name="Outcome">Valid, invalid or malformed.</param>
/// <param name="KeyId">For a valid JWS, the "kid" of the key that verified it; otherwise null.</param>
/// <param name="Algorithm">The algorithm checked (from the JWS header, or the one asked for); null when malformed before it was known.</param>
/// <param name="Problem">
/// For a malformed input, why, in words fit for a 400 answer: it names the rule broken and never
/// echoes the input. Null otherwise: why a signature is invalid is not told (the answer is just false).
/// </param>
public sealed record SignatureVerification(SignatureOutcome Outcome, string? KeyId, SignatureAlgorithm? Algorithm, string? Problem)
{
    /// <summary>True only for <see cref="SignatureOutcome.Valid"/>.</summary>
    public bool IsValid => Outcome == SignatureOutcome.Valid;

    /// <summary>A signature that verifies.</summary>
    public static SignatureVerification Valid(string? keyId, SignatureAlgorithm algorithm) => new(SignatureOutcome.Valid, keyId, algorithm, null);

    /// <summary>A well-formed signature that does not verify.</summary>
    public static SignatureVerification Invalid(SignatureAlgorithm? algorithm) => new(SignatureOutcome.Invalid, null, algorithm, null);

    /// <summary>Input that is not a signature of a supported kind.</summary>
    public static SignatureVerification Malformed(string problem, SignatureAlgorithm? algorithm = null) => new(SignatureOutcome.Malformed, null, algorithm, problem);
}
