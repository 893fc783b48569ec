using System.Globalization;

namespace CryptoSecure.Domain.Identities;

/// <summary>
/// The JOSE key ids (RFC 7517 §4.5) of one version of one identity's keys: "{identity id}-v{version}"
/// for the encryption key (the "kid" of JWEs, unchanged since the first release) and
/// "{identity id}-sig-v{version}" for the signing key, so the two keys of one version are told
/// apart in a JWK Set and a JWS can never name an encryption key. They name the registration by
/// its opaque id rather than the email address, so a readable header does not reveal whom it is for.
/// </summary>
public static class KeyId
{
    private const string Separator = "-v";
    private const string SigningSeparator = "-sig-v";

    /// <summary>Formats the encryption key's id.</summary>
    public static string Format(Guid identityId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{identityId:N}{Separator}{version}");

    /// <summary>Formats the signing key's id.</summary>
    public static string FormatSigning(Guid identityId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{identityId:N}{SigningSeparator}{version}");

    /// <summary>
    /// Reads an encryption key id back; false when it is not of that form (a signing key id is
    /// not: its "-v" does not follow the 32 hex digits of the id).
    /// </summary>
    public static bool TryParse(string? kid, out Guid identityId, out int version) => TryParse(kid, Separator, out identityId, out version);

    /// <summary>Reads a signing key id back; false when it is not of that form.</summary>
    public static bool TryParseSigning(string? kid, out Guid identityId, out int version) => TryParse(kid, SigningSeparator, out identityId, out version);

    private static bool TryParse(string? kid, string separator, out Guid identityId, out int version)
    {
        identityId = Guid.Empty;
        version = 0;
        if (kid is null || kid.Length > 64)
        {
            return false;
        }

        var at = kid.LastIndexOf(separator, StringComparison.Ordinal);
        return at == 32
            && Guid.TryParseExact(kid.AsSpan(0, at), "N", out identityId)
            && int.TryParse(kid.AsSpan(at + separator.Length), NumberStyles.None, CultureInfo.InvariantCulture, out version)
            && version >= 1;
    }
}
