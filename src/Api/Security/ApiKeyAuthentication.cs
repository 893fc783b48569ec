using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Security;

/// <summary>Names used by API-key authentication.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The alternative header.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>Role claim of administrator keys.</summary>
    public const string AdminRole = "admin";

    /// <summary>Role claim of identity keys.</summary>
    public const string OwnerRole = "owner";

    /// <summary>Longest key accepted (ours are 47 characters; admin keys are operator-chosen).</summary>
    public const int MaxKeyLength = 512;

}

/// <summary>
/// Administrator keys from <c>Security:AdminApiKeys</c>, held only as SHA-256 hashes and compared
/// in constant time against every entry.
/// </summary>
public sealed class AdminKeyRegistry
{
    private readonly byte[][] _hashes;

    /// <summary>Hashes the configured keys (their length is checked at start-up, see SecurityOptions).</summary>
    public AdminKeyRegistry(IOptions<SecurityOptions> options, IApiKeyIssuer issuer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(issuer);
        _hashes = options.Value.AdminApiKeys
            .Where(k => !string.IsNullOrWhiteSpace(k))
            .Select(k => issuer.Hash(k.Trim()).ToArray())
            .ToArray();
    }

    /// <summary>
    /// The position of the admin key hashing to <paramref name="hash"/>, or null. Every entry is
    /// compared, so the time taken does not depend on which one matched.
    /// </summary>
    public int? Find(ApiKeyHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        int? found = null;
        for (var i = 0; i < _hashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(_hashes[i], hash.Bytes))
            {
                found = i;
            }
        }

        return found;
    }
}

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> (never a
/// query-string parameter, which ends up in logs and browser history). The identity comes from the
/// credential alone: an identity key yields its registration, an admin key the admin role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyIssuer issuer,
    AdminKeyRegistry admins,
    IKeyStore store) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(out var problem);
        if (problem is not null)
        {
            return AuthenticateResult.Fail(problem);
        }

        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var hash = issuer.Hash(presented);
        if (admins.Find(hash) is { } admin)
        {
            // Each admin key is its own client for rate limiting.
            var name = "admin-" + admin.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Success(new Claim(ClaimTypes.Role, ApiKeyDefaults.AdminRole), new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, name));
        }

        var owner = await store.FindCredentialOwnerAsync(hash, Context.RequestAborted);
        return owner is null
            ? AuthenticateResult.Fail("Unknown API key.")
            : Success(
                new Claim(ClaimTypes.Role, ApiKeyDefaults.OwnerRole),
                new Claim(ClaimTypes.NameIdentifier, owner.IdentityId.ToString("N")),
                new Claim(ClaimTypes.Email, owner.NormalizedEmail),
                new Claim(ClaimTypes.Name, owner.NormalizedEmail));
    }

    private string? PresentedKey(out string? problem)
    {
        problem = null;
        string? bearer = null;
        var authorization = Request.Headers.Authorization;
        if (authorization.Count > 1)
        {
            problem = "Send one Authorization header.";
            return null;
        }

        if (authorization.Count == 1)
        {
            var value = authorization[0]!;
            if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                problem = "Authorization must use the Bearer scheme.";
                return null;
            }

            bearer = value["Bearer ".Length..].Trim();
        }

        var header = Request.Headers[ApiKeyDefaults.HeaderName];
        if (header.Count > 1 || (header.Count == 1 && bearer is not null))
        {
            problem = $"Send the API key once, in Authorization or in {ApiKeyDefaults.HeaderName}.";
            return null;
        }

        var key = bearer ?? (header.Count == 1 ? header[0]!.Trim() : null);
        if (key is not null && (key.Length == 0 || key.Length > ApiKeyDefaults.MaxKeyLength))
        {
            problem = "Malformed API key.";
            return null;
        }

        return key;
    }

    private static AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyDefaults.Scheme)), ApiKeyDefaults.Scheme));

}
