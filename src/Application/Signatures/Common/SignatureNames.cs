using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Application.Signatures.Common;

/// <summary>The wire names of <see cref="SignatureFormat"/> ("jws", "raw") and <see cref="SignatureAlgorithm"/> ("PS256", "RS256").</summary>
public static class SignatureNames
{
    /// <summary>"jws".</summary>
    public const string Jws = "jws";

    /// <summary>"raw".</summary>
    public const string Raw = "raw";

    /// <summary>Parses a format name (case-insensitive, like the encryption formats); null means the default, JWS.</summary>
    public static bool TryParseFormat(string? name, out SignatureFormat format)
    {
        format = SignatureFormat.Jws;
        if (name is null || string.Equals(name, Jws, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        format = SignatureFormat.Raw;
        return string.Equals(name, Raw, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parses an algorithm name, exactly as JOSE spells it (RFC 7518 §3.1 names are case-sensitive,
    /// and a JWS header's "alg" is held to the same spelling); null means the default, PS256.
    /// </summary>
    public static bool TryParseAlgorithm(string? name, out SignatureAlgorithm algorithm)
    {
        algorithm = SignatureAlgorithm.PS256;
        switch (name)
        {
            case null or nameof(SignatureAlgorithm.PS256):
                return true;
            case nameof(SignatureAlgorithm.RS256):
                algorithm = SignatureAlgorithm.RS256;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The wire name of <paramref name="format"/>.</summary>
    public static string ToWireName(this SignatureFormat format) => format switch
    {
        SignatureFormat.Jws => Jws,
        SignatureFormat.Raw => Raw,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
