using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>The code mailed to the address.</summary>
/// <param name="Code">The code from the mail's <c>Code:</c> line (case, spaces and dashes do not matter).</param>
public sealed record EmailVerificationRequest([Secret] string? Code)
{
    /// <inheritdoc />
    public override string ToString() => "EmailVerificationRequest(code redacted)";
}
