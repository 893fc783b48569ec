using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Application.Lifecycle;
using CryptoSecure.Application.Signatures.Common;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CryptoSecure.Application;

/// <summary>Registers the application layer (Mediator itself is added by the host, which runs its source generator).</summary>
public static class DependencyInjection
{
    /// <summary>Validators, options and the services the handlers share.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatorsFromAssemblyContaining<ApplicationAssembly>(ServiceLifetime.Singleton, includeInternalTypes: false);
        services.AddCheckedOptions<KeyOptions>(KeyOptions.SectionName);
        services.AddCheckedOptions<EncryptionOptions>(EncryptionOptions.SectionName);
        services.AddCheckedOptions<BatchOptions>(BatchOptions.SectionName);
        services.AddScoped<AuditRecorder>();
        services.AddSingleton<KeyRingDecryptor>();
        services.AddSingleton<KeyRingEncryptor>();
        services.AddScoped<SigningKeyProvisioner>();
        services.AddSingleton<ShredDueIdentities>();
        services.AddSingleton<RotateDueKeys>();
        services.AddSingleton(TimeProvider.System);
        return builder;
    }
}

/// <summary>Marker type naming this assembly (for Mediator's generator and scanning).</summary>
public sealed class ApplicationAssembly
{
    private ApplicationAssembly()
    {
    }
}
