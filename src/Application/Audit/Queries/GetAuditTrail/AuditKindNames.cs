using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Application.Audit.Queries.GetAuditTrail;

/// <summary>The wire names of <see cref="AuditKind"/> in <c>?kind=</c>: "owner", "public", "denied".</summary>
public static class AuditKindNames
{
    /// <summary>Every accepted name, for messages and documentation.</summary>
    public const string All = "owner, public, denied";

    /// <summary>Parses a name (case-insensitive); null or empty means every kind.</summary>
    public static bool TryParse(string? name, out AuditKind? kind)
    {
        kind = null;
        if (string.IsNullOrEmpty(name))
        {
            return true;
        }

        foreach (var candidate in Enum.GetValues<AuditKind>())
        {
            if (string.Equals(name, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        return false;
    }
}
