using System.Net.Mail;

namespace CryptoSecure.Domain.Identities;

/// <summary>
/// An identity's email address: <see cref="Normalized"/> (trimmed, lower-cased) is what the
/// store matches on; <see cref="Display"/> is the trimmed form the client gave.
/// </summary>
/// <remarks>
/// Addresses are printable ASCII; internationalized domains are written in their "xn--" form.
/// Unicode addresses would let look-alikes (Cyrillic "а" for Latin "a", composed and decomposed
/// "é") register as distinct identities that display identically, so that a sender encrypts to
/// an impostor; and they would make the normalized form depend on Unicode casing tables.
/// </remarks>
public sealed class EmailAddress : IEquatable<EmailAddress>
{
    /// <summary>RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254.</summary>
    public const int MaxLength = 254;

    /// <summary>RFC 5321 §4.5.3.1.1.</summary>
    public const int MaxLocalPartLength = 64;

    private EmailAddress(string display)
    {
        Display = display;
        Normalized = display.ToLowerInvariant();
    }

    /// <summary>The trimmed address as the client wrote it.</summary>
    public string Display { get; }

    /// <summary>The trimmed, lower-cased address used for lookups and uniqueness.</summary>
    public string Normalized { get; }

    /// <summary>Parses an address, or returns false with a message a client can act on.</summary>
    public static bool TryParse(string? input, out EmailAddress? email, out string error)
    {
        email = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "An email address is required.";
            return false;
        }

        var trimmed = input.Trim();
        if (trimmed.Length > MaxLength)
        {
            error = $"An email address has at most {MaxLength} characters.";
            return false;
        }

        if (!IsPrintableAscii(trimmed))
        {
            error = "An email address must be printable ASCII (internationalized domains in their xn-- form) without spaces, quotes, slashes or angle brackets.";
            return false;
        }

        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1 || at > MaxLocalPartLength
            || trimmed[0] == '.' || trimmed[at - 1] == '.' || trimmed.AsSpan(0, at).Contains("..", StringComparison.Ordinal)
            || !MailAddress.TryCreate(trimmed, out var parsed)
            || !string.Equals(parsed.Address, trimmed, StringComparison.Ordinal)
            || !IsValidDomain(trimmed[(at + 1)..]))
        {
            error = "Not a valid email address.";
            return false;
        }

        email = new EmailAddress(trimmed);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses an address already validated; throws <see cref="ArgumentException"/> otherwise.</summary>
    public static EmailAddress Parse(string input) =>
        TryParse(input, out var email, out var error) ? email! : throw new ArgumentException(error, nameof(input));

    /// <summary>Restores an address read back from the store.</summary>
    public static EmailAddress FromStore(string display) => new(display);

    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is < '!' or > '~' or '<' or '>' or '(' or ')' or ',' or ';' or '\\' or '"' or '/')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidDomain(string domain)
    {
        if (domain.Length > 253 || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-'))
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(EmailAddress? other) => other is not null && Normalized == other.Normalized;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EmailAddress);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Normalized);

    /// <inheritdoc />
    public override string ToString() => Display;
}
