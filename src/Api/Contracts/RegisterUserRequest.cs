namespace CryptoSecure.Api.Contracts;

/// <summary>Register an email address.</summary>
/// <param name="Email">The address (at most 254 characters; matched case-insensitively).</param>
/// <param name="KeySize">RSA key size: 2048, 3072 or 4096. Default: the server's <c>Keys:DefaultKeySize</c> (3072).</param>
/// <param name="Exportable">Whether the private key may ever be exported. Default: the server's <c>Keys:ExportableByDefault</c>.</param>
public sealed record RegisterUserRequest(string? Email, int? KeySize = null, bool? Exportable = null);
