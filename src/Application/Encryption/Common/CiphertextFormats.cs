using CryptoSecure.Domain.Encryption;

namespace CryptoSecure.Application.Encryption.Common;

/// <summary>The wire names of <see cref="CiphertextFormat"/>: "jwe" and "rsa-oaep".</summary>
public static class CiphertextFormats
{
    /// <summary>"jwe".</summary>
    public const string Jwe = "jwe";

    /// <summary>"rsa-oaep".</summary>
    public const string RsaOaep = "rsa-oaep";

    /// <summary>Parses a wire name (case-insensitive); null means the default, JWE.</summary>
    public static bool TryParse(string? name, out CiphertextFormat format)
    {
        format = CiphertextFormat.Jwe;
        if (name is null || string.Equals(name, Jwe, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(name, RsaOaep, StringComparison.OrdinalIgnoreCase))
        {
            format = CiphertextFormat.RsaOaep;
            return true;
        }

        return false;
    }

    /// <summary>The wire name of <paramref name="format"/>.</summary>
    public static string ToWireName(this CiphertextFormat format) => format switch
    {
        CiphertextFormat.Jwe => Jwe,
        CiphertextFormat.RsaOaep => RsaOaep,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
