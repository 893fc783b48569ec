using System.Globalization;

namespace CryptoSecure.Domain.Identities;

/// <summary>
/// The JOSE key id (RFC 7517 §4.5) of one version of one identity's key: "{identity id}-v{version}".
/// It names the registration by its opaque id rather than the email address, so a ciphertext's
/// readable header does not reveal whom it is for.
/// </summary>
public static class KeyId
{
    private const string Separator = "-v";

    /// <summary>Formats the key id.</summary>
    public static string Format(Guid identityId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{identityId:N}{Separator}{version}");

    /// <summary>Reads a key id back; false when it is not of this service's form.</summary>
    public static bool TryParse(string? kid, out Guid identityId, out int version)
    {
        identityId = Guid.Empty;
        version = 0;
        if (kid is null || kid.Length > 64)
        {
            return false;
        }

        var at = kid.LastIndexOf(Separator, StringComparison.Ordinal);
        return at == 32
            && Guid.TryParseExact(kid.AsSpan(0, at), "N", out identityId)
            && int.TryParse(kid.AsSpan(at + Separator.Length), NumberStyles.None, CultureInfo.InvariantCulture, out version)
            && version >= 1;
    }
}
