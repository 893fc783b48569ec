using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Routing.Patterns;

namespace CryptoSecure.Api.Errors;

/// <summary>
/// Whether a request belongs to the prototype's route group (<see cref="PrototypeRouteAttribute"/>),
/// and so gets its error shape. A request that reached an endpoint says so by the endpoint's
/// metadata. Routing answers some requests itself: a 415 from [Consumes] and a 405 come with
/// endpoints that carry no metadata, a 404 with none at all. Those belong to the group when their
/// path is under the first segment of one of the group's routes (<c>/takeuser</c>,
/// <c>/get_keys</c>…): read from the marked endpoints, so a prototype route added or moved needs
/// nothing here, and a prototype client that mistypes a path still gets the shape it parses.
/// </summary>
public sealed class PrototypeRouteGroup(EndpointDataSource endpoints)
{
    private PathString[]? _prefixes;

    /// <summary>Whether <paramref name="context"/> is for a prototype route (also after the exception handler cleared the endpoint).</summary>
    public bool Contains(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        if (endpoint is RouteEndpoint)
        {
            return endpoint.Metadata.GetMetadata<PrototypeRouteAttribute>() is not null;
        }

        // Computed on first use: endpoints exist only once the app has mapped them. A race computes the same array twice.
        _prefixes ??= Prefixes(endpoints);
        return _prefixes.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
    }

    private static PathString[] Prefixes(EndpointDataSource endpoints) =>
        endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PrototypeRouteAttribute>() is not null)
            .Select(e => e.RoutePattern.PathSegments is [{ Parts: [RoutePatternLiteralPart literal] }, ..] ? "/" + literal.Content : null)
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(p => new PathString(p))
            .ToArray();
}
