using CryptoSecure.Application.Common.Ports;
using Microsoft.AspNetCore.Authorization;

namespace CryptoSecure.Api.Security;

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    /// <summary>The caller holds the API key of the identity named by the route's {email}, or an admin key.</summary>
    public const string OwnerOrAdmin = "OwnerOrAdmin";

    /// <summary>The caller holds an admin key (<c>Security:AdminApiKeys</c>); an identity's own key is not enough.</summary>
    public const string AdminOnly = "AdminOnly";

    /// <summary>What a caller with an identity's key is told on an admin-only route.</summary>
    public const string AdminOnlyDetail = "This operation needs an admin API key (Security:AdminApiKeys).";
}

/// <summary>Requirement of <see cref="Policies.OwnerOrAdmin"/>.</summary>
public sealed class OwnerOrAdminRequirement : IAuthorizationRequirement;

/// <summary>
/// Grants <see cref="OwnerOrAdminRequirement"/> to admins, and to an identity's key when the email
/// in the route (or the resource passed in) is that identity's: the rule of <see cref="Caller.MayActFor"/>,
/// which the use case applies again (OwnerOnlyBehaviour), so the two checks cannot disagree.
/// </summary>
public sealed class OwnerOrAdminHandler : AuthorizationHandler<OwnerOrAdminRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OwnerOrAdminRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var email = context.Resource switch
        {
            string s => s,
            HttpContext http => http.GetRouteValue("email") as string,
            _ => null,
        };
        if (HttpRequestContext.CallerOf(context.User).MayActFor(email))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
