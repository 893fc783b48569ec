using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using CryptoSecure.Api.Errors;
using CryptoSecure.Application.Common.Options;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.RateLimiting;

/// <summary>Rate-limit policy names, applied per controller action.</summary>
public static class RateLimitPolicies
{
    /// <summary>Operations that generate a key pair (registration, rotation): a few a minute.</summary>
    public const string KeyGeneration = "key-generation";

    /// <summary>Public reads and encryption.</summary>
    public const string Public = "public";

    /// <summary>Owner operations (decrypt, export, rewrap, config, delete, audit).</summary>
    public const string Owner = "owner";
}

/// <summary>One policy's window.</summary>
public sealed class RateLimitWindow
{
    /// <summary>Requests allowed per window and client.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    /// <summary>Window length in seconds.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.001, 86400)]
    public double WindowSeconds { get; set; }
}

/// <summary>Rate limits (section "RateLimiting").</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>False switches every limit off (benchmarks, load tests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Registration and rotation: default 5 a minute per client.</summary>
    public RateLimitWindow KeyGeneration { get; set; } = new() { PermitLimit = 5, WindowSeconds = 60 };

    /// <summary>Key reads and encryption: default 100 a second per client.</summary>
    public RateLimitWindow Public { get; set; } = new() { PermitLimit = 100, WindowSeconds = 1 };

    /// <summary>Owner operations: default 100 a second per client.</summary>
    public RateLimitWindow Owner { get; set; } = new() { PermitLimit = 100, WindowSeconds = 1 };

    /// <summary>Every request from one address, whatever key it carries: default 1000 a second.</summary>
    public RateLimitWindow PerAddress { get; set; } = new() { PermitLimit = 1000, WindowSeconds = 1 };
}

/// <summary>
/// Per-client fixed-window limits with ASP.NET Core's rate limiter. The client is the identity (or
/// admin) its API key authenticated as, and otherwise its network address (IPv6 by /64): an
/// invented key does not authenticate, so it buys no fresh allowance. Because registering is
/// anonymous and hands out a key, keys minted by one address could still multiply its allowance,
/// so a global limiter also counts every request by address: key generation (registration,
/// rotation) is bounded per address whatever key a request carries, and all requests share a
/// higher per-address ceiling.
/// </summary>
public static class RateLimitingSetup
{
    /// <summary>Registers the policies and the 429 answer.</summary>
    public static IServiceCollection AddCryptoSecureRateLimiting(this IServiceCollection services)
    {
        services.AddCheckedOptions<RateLimitingOptions>(RateLimitingOptions.SectionName);
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicies.KeyGeneration, context => Partition(context, RateLimitPolicies.KeyGeneration, o => o.KeyGeneration));
            limiter.AddPolicy(RateLimitPolicies.Public, context => Partition(context, RateLimitPolicies.Public, o => o.Public));
            limiter.AddPolicy(RateLimitPolicies.Owner, context => Partition(context, RateLimitPolicies.Owner, o => o.Owner));
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => ByAddress(context, "address", o => o.PerAddress)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsKeyGeneration(context)
                    ? ByAddress(context, RateLimitPolicies.KeyGeneration + "-address", o => o.KeyGeneration)
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
            limiter.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ErrorResponder.WriteAsync(context.HttpContext, ProblemCatalogue.TooManyRequests.With($"Rate limit reached; retry after {retryAfter} s."));
            };
        });
    }

    /// <summary>The client's address as a rate-limit key: IPv4 as is, IPv6 by its /64 (what one subscriber gets).</summary>
    public static string ClientAddress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ClientAddress(context.Connection.RemoteIpAddress);
    }

    /// <summary>The client key of <paramref name="address"/> (see <see cref="ClientAddress(HttpContext)"/>): the per-client connection limit counts the same clients.</summary>
    public static string ClientAddress(System.Net.IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static RateLimitPartition<string> Partition(HttpContext context, string policy, Func<RateLimitingOptions, RateLimitWindow> select)
    {
        var client = context.User.Identity?.IsAuthenticated == true
            ? "key:" + (context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.User.Identity.Name)
            : "ip:" + ClientAddress(context);
        return FixedWindow(context, policy + "|" + client, select);
    }

    private static RateLimitPartition<string> ByAddress(HttpContext context, string name, Func<RateLimitingOptions, RateLimitWindow> select) =>
        FixedWindow(context, name + "|ip:" + ClientAddress(context), select);

    private static RateLimitPartition<string> FixedWindow(HttpContext context, string partition, Func<RateLimitingOptions, RateLimitWindow> select)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
        var window = select(options);
        if (!options.Enabled || window.PermitLimit <= 0)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        return RateLimitPartition.GetFixedWindowLimiter(
            partition,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = window.PermitLimit,
                Window = TimeSpan.FromSeconds(window.WindowSeconds),
                QueueLimit = 0,
            });
    }

    private static bool IsKeyGeneration(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == RateLimitPolicies.KeyGeneration;
}
