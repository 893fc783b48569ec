using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>The recovery code mailed to the verified address.</summary>
/// <param name="Code">The code from the mail's <c>Code:</c> line.</param>
public sealed record RecoveryCompleteRequest([Secret] string? Code)
{
    /// <inheritdoc />
    public override string ToString() => "RecoveryCompleteRequest(code redacted)";
}
