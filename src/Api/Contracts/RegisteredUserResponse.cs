using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>A new registration. The API key is shown only in this answer: keep it.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="KeyVersion">The key version (1).</param>
/// <param name="KeySize">RSA key size.</param>
/// <param name="PublicKeyPem">Public key, SPKI PEM.</param>
/// <param name="CreatedAt">Registration time (UTC).</param>
/// <param name="ApiKey">The owner's API key: send it as <c>Authorization: Bearer</c> for owner operations.</param>
/// <param name="Exportable">Whether the private key may be exported.</param>
/// <param name="EmailVerified">False: the address is not proven yet.</param>
/// <param name="VerificationExpiresAt">
/// When verification is required: the registration is invisible to everyone but its owner until the
/// code mailed to the address is entered (<c>POST /api/v1/users/{email}/email-verification</c>), and
/// is destroyed at this time if it was not. Null when verification is off.
/// </param>
public sealed record RegisteredUserResponse(
    string Email, int KeyVersion, int KeySize, string PublicKeyPem, DateTimeOffset CreatedAt, [Secret] string ApiKey, bool Exportable,
    bool EmailVerified, DateTimeOffset? VerificationExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"RegisteredUserResponse {{ Email = {Email}, KeyVersion = {KeyVersion}, KeySize = {KeySize} }}";
}
