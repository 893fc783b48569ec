using System.Security.Claims;
using CryptoSecure.Domain.Identities;
using Microsoft.AspNetCore.Authorization;

namespace CryptoSecure.Api.Security;

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    /// <summary>The caller holds the API key of the identity named by the route's {email}, or an admin key.</summary>
    public const string OwnerOrAdmin = "OwnerOrAdmin";
}

/// <summary>Requirement of <see cref="Policies.OwnerOrAdmin"/>.</summary>
public sealed class OwnerOrAdminRequirement : IAuthorizationRequirement;

/// <summary>
/// Grants <see cref="OwnerOrAdminRequirement"/> to admins, and to an identity's key when the email
/// in the route (or the resource passed in) is that identity's. The email is normalized the same
/// way the store matches it, so case and surrounding space cannot smuggle another identity in.
/// </summary>
public sealed class OwnerOrAdminHandler : AuthorizationHandler<OwnerOrAdminRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OwnerOrAdminRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.IsInRole(ApiKeyDefaults.AdminRole))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        var email = context.Resource switch
        {
            string s => s,
            HttpContext http => http.GetRouteValue("email") as string,
            _ => null,
        };
        var owned = context.User.FindFirstValue(ClaimTypes.Email);
        if (owned is not null && EmailAddress.TryParse(email, out var target, out _) && string.Equals(target!.Normalized, owned, StringComparison.Ordinal))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
