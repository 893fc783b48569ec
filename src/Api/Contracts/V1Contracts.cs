using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Api.Contracts;

/// <summary>Register an email address.</summary>
/// <param name="Email">The address (at most 254 characters; matched case-insensitively).</param>
/// <param name="KeySize">RSA key size: 2048, 3072 or 4096. Default: the server's <c>Keys:DefaultKeySize</c> (3072).</param>
/// <param name="Exportable">Whether the private key may ever be exported. Default: the server's <c>Keys:ExportableByDefault</c>.</param>
public sealed record RegisterUserRequest(string? Email, int? KeySize = null, bool? Exportable = null);

/// <summary>A new registration. The API key is shown only in this answer: keep it.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="KeyVersion">The key version (1).</param>
/// <param name="KeySize">RSA key size.</param>
/// <param name="PublicKeyPem">Public key, SPKI PEM.</param>
/// <param name="CreatedAt">Registration time (UTC).</param>
/// <param name="ApiKey">The owner's API key: send it as <c>Authorization: Bearer</c> for owner operations.</param>
/// <param name="Exportable">Whether the private key may be exported.</param>
public sealed record RegisteredUserResponse(string Email, int KeyVersion, int KeySize, string PublicKeyPem, DateTimeOffset CreatedAt, [Secret] string ApiKey, bool Exportable)
{
    /// <inheritdoc />
    public override string ToString() => $"RegisteredUserResponse {{ Email = {Email}, KeyVersion = {KeyVersion}, KeySize = {KeySize} }}";
}

/// <summary>A public RSA key as a JSON Web Key (RFC 7517).</summary>
/// <param name="Kty">"RSA".</param>
/// <param name="Use">"enc".</param>
/// <param name="Alg">"RSA-OAEP-256".</param>
/// <param name="Kid">Key id; the "kid" of JWEs made with this version.</param>
/// <param name="N">Modulus, base64url.</param>
/// <param name="E">Exponent, base64url.</param>
public sealed record JsonWebKeyResponse(string Kty, string Use, string Alg, string Kid, string N, string E);

/// <summary>One key version's public key.</summary>
/// <param name="Version">Version number.</param>
/// <param name="KeySize">RSA key size.</param>
/// <param name="PublicKeyPem">SPKI PEM.</param>
/// <param name="PublicKeyJwk">The same key as a JWK.</param>
/// <param name="CreatedAt">When the version was made.</param>
public sealed record PublicKeyResponse(int Version, int KeySize, string PublicKeyPem, JsonWebKeyResponse PublicKeyJwk, DateTimeOffset CreatedAt);

/// <summary>An identity's key ring (public parts).</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="LatestVersion">The version encryption uses.</param>
/// <param name="MinDecryptionVersion">Versions below this no longer decrypt or export.</param>
/// <param name="Exportable">Whether private keys may be exported.</param>
/// <param name="Keys">Every version, oldest first.</param>
public sealed record KeyRingResponse(string Email, int LatestVersion, int MinDecryptionVersion, bool Exportable, IReadOnlyList<PublicKeyResponse> Keys);

/// <summary>An exported private key.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="Version">The version exported.</param>
/// <param name="PrivateKeyPem">PKCS#8 PEM ("BEGIN PRIVATE KEY").</param>
public sealed record PrivateKeyResponse(string Email, int Version, [Secret] string PrivateKeyPem)
{
    /// <inheritdoc />
    public override string ToString() => $"PrivateKeyResponse {{ Email = {Email}, Version = {Version} }}";
}

/// <summary>Data to encrypt: exactly one of <c>plaintext</c> and <c>plaintextBase64</c>.</summary>
/// <param name="Plaintext">Text, encrypted as UTF-8.</param>
/// <param name="PlaintextBase64">Binary data, base64.</param>
/// <param name="Format">"jwe" (default; any size up to the server's limit) or "rsa-oaep" (raw RSA-OAEP-SHA256, at most 190/318/446 bytes for 2048/3072/4096-bit keys).</param>
public sealed record EncryptRequest([Secret] string? Plaintext = null, [Secret] string? PlaintextBase64 = null, string? Format = null)
{
    /// <inheritdoc />
    public override string ToString() => $"EncryptRequest {{ Format = {Format} }}";
}

/// <summary>A ciphertext.</summary>
/// <param name="Ciphertext">JWE compact serialization, or standard base64 of raw RSA-OAEP.</param>
/// <param name="Format">"jwe" or "rsa-oaep".</param>
/// <param name="KeyVersion">The key version used.</param>
public sealed record CiphertextResponse([Secret] string Ciphertext, string Format, int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"CiphertextResponse {{ Format = {Format}, KeyVersion = {KeyVersion} }}";
}

/// <summary>A ciphertext to decrypt (or rewrap); the format is detected.</summary>
/// <param name="Ciphertext">A JWE compact serialization, or base64 of raw RSA-OAEP.</param>
public sealed record CiphertextRequest([Secret] string? Ciphertext)
{
    /// <inheritdoc />
    public override string ToString() => "CiphertextRequest";
}

/// <summary>A decrypted plaintext.</summary>
/// <param name="Plaintext">The plaintext as text; null when it is not valid UTF-8.</param>
/// <param name="PlaintextBase64">The plaintext bytes, base64.</param>
/// <param name="KeyVersion">The key version that decrypted it.</param>
public sealed record DecryptResponse([Secret] string? Plaintext, [Secret] string PlaintextBase64, int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"DecryptResponse {{ KeyVersion = {KeyVersion} }}";
}

/// <summary>Rotate: add a key version.</summary>
/// <param name="KeySize">Size of the new version: 2048, 3072 or 4096. Default: the server's <c>Keys:DefaultKeySize</c>.</param>
public sealed record RotateKeyRequest(int? KeySize = null);

/// <summary>Key ring settings.</summary>
/// <param name="MinDecryptionVersion">Lowest version allowed to decrypt and export; 1..latest.</param>
public sealed record KeyConfigRequest(int? MinDecryptionVersion);

/// <summary>One audit event.</summary>
/// <param name="OccurredAt">When (UTC); for an aggregated refusal, its first occurrence.</param>
/// <param name="Action">What happened.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Actor">Which kind of credential acted.</param>
/// <param name="KeyVersion">The key version involved, if any.</param>
/// <param name="ClientAddress">The client's address.</param>
/// <param name="RequestId">The request id (the <c>X-Request-Id</c> response header); for an aggregated refusal, the first request's.</param>
/// <param name="Kind">"owner" (the owner's or an admin's actions, and the registration), "public" (encryptions by anyone else) or "denied" (refusals of other callers).</param>
/// <param name="Count">How many occurrences the event stands for: 1, or more for refusals of one caller kind from one address within one UTC minute, which are counted into one event.</param>
/// <param name="LastOccurredAt">When the last of them happened (equal to <c>occurredAt</c> when <c>count</c> is 1).</param>
public sealed record AuditEventResponse(
    DateTimeOffset OccurredAt,
    AuditAction Action,
    AuditOutcome Outcome,
    AuditActor Actor,
    int? KeyVersion,
    string? ClientAddress,
    string? RequestId,
    AuditKind Kind,
    int Count,
    DateTimeOffset LastOccurredAt);

/// <summary>A page of an identity's audit trail, newest first.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="Events">Newest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c>, with the same <c>kind</c>, to read the next (older) page; null on the last page. Opaque, and valid only for this identity and kind.</param>
public sealed record AuditTrailResponse(string Email, IReadOnlyList<AuditEventResponse> Events, string? NextCursor);
