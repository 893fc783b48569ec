using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CryptoSecure.Api.Hosting;

/// <summary>
/// The generic host reports a failed start itself, before the exception reaches Program: one error
/// entry ("Hosting failed to start") carrying the exception and so its stack trace, in every log
/// sink. For a <see cref="StartupRefusal"/> that entry is dropped, because Program reports the
/// refusal as one line; the same entry for any other exception (a bug), and every other entry, pass
/// unchanged. It wraps the logger factory because logging filters see neither event ids nor exceptions.
/// </summary>
public sealed class RefusalLogFilter : ILoggerFactory
{
    /// <summary>The category the host logs under (Microsoft.Extensions.Hosting's internal <c>Host</c> class).</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>The host's "Hosting failed to start" event.</summary>
    public static readonly EventId HostingFailedToStart = new(11, "HostedServiceStartupFaulted");

    private const string InnerKey = "CryptoSecure.Api.Hosting.RefusalLogFilter.Inner";

    private readonly ILoggerFactory _inner;

    /// <summary>Filters what <paramref name="inner"/>'s host logger receives.</summary>
    public RefusalLogFilter(ILoggerFactory inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>
    /// Puts the filter in front of the registered logger factory, which the container still builds
    /// (with its own choice of constructor) and disposes.
    /// </summary>
    public static void Register(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var original = services.Last(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);
        services.Add(original switch
        {
            { ImplementationInstance: { } instance } => ServiceDescriptor.KeyedSingleton(typeof(ILoggerFactory), InnerKey, instance),
            { ImplementationFactory: { } factory } => ServiceDescriptor.KeyedSingleton(typeof(ILoggerFactory), InnerKey, (sp, _) => factory(sp)),
            _ => ServiceDescriptor.KeyedSingleton(typeof(ILoggerFactory), InnerKey, original.ImplementationType!),
        });
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RefusalLogFilter(sp.GetRequiredKeyedService<ILoggerFactory>(InnerKey))));
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName)
    {
        var logger = _inner.CreateLogger(categoryName);
        return string.Equals(categoryName, HostCategory, StringComparison.Ordinal) ? new HostLogger(logger) : logger;
    }

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    /// <summary>Nothing: the container owns and disposes the inner factory.</summary>
    public void Dispose()
    {
    }

    private sealed class HostLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId == HostingFailedToStart && string.Equals(eventId.Name, HostingFailedToStart.Name, StringComparison.Ordinal) && StartupRefusal.IsRefusal(exception))
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
