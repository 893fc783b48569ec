using CryptoSecure.Application.Common.Mail;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Caching;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Application.Lifecycle;
using CryptoSecure.Infrastructure.KeyGeneration;
using CryptoSecure.Infrastructure.Lifecycle;
using CryptoSecure.Infrastructure.Mail;
using CryptoSecure.Infrastructure.MasterKeys;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using CryptoSecure.Infrastructure.Scheduling;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Infrastructure;

/// <summary>Registers the adapters.</summary>
public static class DependencyInjection
{
    /// <summary>Crypto, the configured key store, the key pool and the start-up checks.</summary>
    public static IHostApplicationBuilder AddInfrastructureServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddCheckedOptions<StorageOptions>(StorageOptions.SectionName);
        services.AddCheckedOptions<KeyStoreOptions>(KeyStoreOptions.SectionName);
        services.AddCheckedOptions<SecurityOptions>(SecurityOptions.SectionName);
        services.AddCheckedOptions<RsaKeyCacheOptions>(RsaKeyCacheOptions.SectionName);
        services.AddCheckedOptions<CacheOptions>(CacheOptions.SectionName);
        services.AddOptions<KeyGenerationOptions>()
            .Configure(options => BindKeyGeneration(configuration.GetSection("Keys"), options))
            .ValidateDataAnnotations()
            .ValidateOnStart(); // bound by hand (below), so not AddCheckedOptions; its rules name their paths

        // Crypto
        services.AddSingleton(sp => MasterKeyLoader.LoadRing(
            sp.GetRequiredService<IOptions<SecurityOptions>>().Value,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MasterKeyLoader).FullName!)));

        // The current key, for what only ever uses it (audit cursors); the ring owns and disposes it.
        services.AddSingleton(sp => sp.GetRequiredService<MasterKeyRing>().Current);
        services.AddSingleton(sp => new AesGcmKeyProtector(sp.GetRequiredService<MasterKeyRing>()));
        services.AddSingleton<IKeyProtector>(sp => sp.GetRequiredService<AesGcmKeyProtector>());
        // A factory, not an instance, so the container disposes it (freeing the held keys) at shutdown.
        services.AddSingleton(sp => new RsaKeyCache(sp.GetRequiredService<IOptions<RsaKeyCacheOptions>>().Value));
        services.AddSingleton<IPayloadCipher>(sp => new PayloadCipher(sp.GetRequiredService<RsaKeyCache>()));
        services.AddSingleton<IPayloadSigner>(sp => new PayloadSigner(sp.GetRequiredService<RsaKeyCache>()));
        services.AddSingleton<IKeyFormatter, KeyFormatter>();
        services.AddSingleton<IApiKeyIssuer, ApiKeyIssuer>();
        services.AddSingleton<IAuditCursors, AuditCursorSealer>();

        // Key store; the start-up check runs before anything else touches the store.
        AddKeyStore(services, configuration);
        services.AddSingleton<KeyStoreReadiness>();
        services.AddHostedService<KeyStoreStartup>();
        AddIdentityCache(services, configuration);
        AddLifecycleWorkers(services);

        // Master key rotation: the re-sealer runs after the start-up check, when previous keys are configured.
        services.AddCheckedOptions<MasterKeyRotationOptions>(MasterKeyRotationOptions.SectionName);
        services.AddSingleton<MasterKeyStatus>();
        services.AddHostedService(sp => new MasterKeyResealer(
            sp.GetRequiredService<IKeyStoreAdmin>(),
            sp.GetRequiredService<IKeyStore>(),
            sp.GetRequiredService<AesGcmKeyProtector>(),
            sp.GetRequiredService<MasterKeyRing>(),
            sp.GetRequiredService<KeyStoreReadiness>(),
            sp.GetRequiredService<IOptions<MasterKeyRotationOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MasterKeyResealer>>()));

        // Key generation, admitted by cost and shared fairly between clients
        services.AddSingleton<CpuWorkMetrics>();
        services.AddSingleton(sp => new CpuWorkScheduler(
            sp.GetRequiredService<IOptions<KeyGenerationOptions>>().Value.SchedulerLimits(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CpuWorkMetrics>(),
            KeyGenerationCost.WorkKind));
        services.AddSingleton<IRsaKeyGenerator, RsaKeyGenerator>();
        services.AddSingleton<KeyGenerationMetrics>();
        services.AddSingleton<KeyPool>();
        services.AddSingleton<IRsaKeyFactory>(sp => sp.GetRequiredService<KeyPool>());
        services.AddHostedService<KeyPoolRefiller>();

        // Private-key operations, bounded apart from key generation (Load:*)
        services.AddCheckedOptions<LoadOptions>(LoadOptions.SectionName);
        services.AddSingleton<IPrivateKeyGate>(sp =>
        {
            var load = sp.GetRequiredService<IOptions<LoadOptions>>().Value;
            var scheduler = new CpuWorkScheduler(load.SchedulerLimits(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<CpuWorkMetrics>(), PrivateKeyCost.WorkKind);

            // Lowered threads only when asked for (Load:PrivateKeyNice > 0); the container disposes the gate, and the gate its threads.
            var threads = load.PrivateKeyNice > 0
                ? new PrivateKeyThreads(load.PrivateKeyConcurrency, load.PrivateKeyNice, sp.GetRequiredService<ILogger<PrivateKeyThreads>>())
                : null;
            if (threads is null)
            {
                PrivateKeyGate.ReserveThreadPoolThreads(load.PrivateKeyConcurrency);
            }

            return new PrivateKeyGate(scheduler, threads);
        });

        AddMail(services, configuration);
        return builder;
    }

    // Registered after the key store's start-up check, so a missing master key is reported first.
    private static void AddMail(IServiceCollection services, IConfiguration configuration)
    {
        services.AddCheckedOptions<EmailOptions>(EmailOptions.SectionName);
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILogger<VerificationMailer>>();
            var email = sp.GetRequiredService<IOptions<EmailOptions>>().Value;

            // RegistrationOptions is registered (and validated) with the verification flow; only the mode matters here.
            var verification = configuration.GetValue($"{RegistrationOptions.SectionName}:{nameof(RegistrationOptions.EmailVerification)}", EmailVerificationMode.Required);
            var transport = MailTransportSelection.Select(email, sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IHostEnvironment>(), verification, logger);
            return new VerificationMailer(transport, email, sp.GetRequiredService<TimeProvider>(), logger);
        });
        services.AddSingleton<IVerificationMailer>(sp => sp.GetRequiredService<VerificationMailer>());
        services.AddHostedService(sp => sp.GetRequiredService<VerificationMailer>());
    }

    private static void AddKeyStore(IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["KeyStore:Provider"] ?? "Sqlite";
        if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton(sp =>
            {
                var store = sp.GetRequiredService<IOptions<KeyStoreOptions>>().Value.Sqlite;
                var dataDirectory = sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory;
                return SqliteStore.Open(store.Path ?? Path.Combine(dataDirectory, "cryptosecure.db"), store.BusyTimeoutSeconds, sp.GetRequiredService<ILogger<SqliteKeyStore>>());
            });
            ForwardPorts(services);
            return;
        }

        if (string.Equals(provider, "Mongo", StringComparison.OrdinalIgnoreCase))
        {
            // Validated when the store is first resolved (at host start, where the server reports a
            // StartupConfigurationException as a message): a missing or invalid
            // KeyStore:Mongo:ConnectionString stops the server, naming the setting.
            services.AddSingleton(sp => Persistence.Mongo.MongoStore.Open(sp.GetRequiredService<IOptions<KeyStoreOptions>>().Value.Mongo));
            ForwardPorts(services);
            return;
        }

        throw new StartupConfigurationException($"KeyStore:Provider is \"{provider}\"; it must be \"Sqlite\" or \"Mongo\".");
    }

    // Shredding of due deletions and automatic rotation, each on one node at a time (its lease).
    private static void AddLifecycleWorkers(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<KeyStoreAdapter>().DueWork);
        services.AddSingleton(sp => sp.GetRequiredService<KeyStoreAdapter>().Leases);
        services.AddSingleton<LeaseHolder>();
        // AddSingleton, not AddHostedService: that one adds a service type once (TryAddEnumerable),
        // and both workers are LeasedWorkers.
        services.AddSingleton<IHostedService>(sp => NewWorker(
            sp, DeletionLease, TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<KeyOptions>>().Value.DeletionCheckIntervalSeconds),
            sp.GetRequiredService<ShredDueIdentities>().RunAsync));
        services.AddSingleton<IHostedService>(sp => NewWorker(
            sp, AutoRotationLease, TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<KeyOptions>>().Value.AutoRotation.CheckIntervalSeconds),
            sp.GetRequiredService<RotateDueKeys>().RunAsync));
    }

    /// <summary>The lease of the worker that shreds due deletions.</summary>
    public const string DeletionLease = "lifecycle:deletions";

    /// <summary>The lease of the worker that rotates key rings automatically.</summary>
    public const string AutoRotationLease = "lifecycle:auto-rotation";

    private static LeasedWorker NewWorker(IServiceProvider sp, string lease, TimeSpan interval, Func<CancellationToken, Task<int>> work) =>
        new(lease, interval, work,
            sp.GetRequiredService<IWorkLeases>(),
            sp.GetRequiredService<LeaseHolder>(),
            sp.GetRequiredService<KeyStoreReadiness>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LeasedWorker>>());

    // Decided from configuration at registration, like the provider: with the cache off, nothing of
    // it exists (no feed reads, no decorator).
    private static void AddIdentityCache(IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue($"{CacheOptions.SectionName}:{nameof(CacheOptions.Enabled)}", true))
        {
            return;
        }

        services.AddSingleton(sp => new IdentityCache(sp.GetRequiredService<IOptions<CacheOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IKeyStore>(sp => new CachingKeyStore(sp.GetRequiredService<KeyStoreAdapter>().KeyStore, sp.GetRequiredService<IdentityCache>()));
        services.AddSingleton(sp => new IdentityCacheCoherence(
            sp.GetRequiredService<KeyStoreAdapter>().Changes,
            sp.GetRequiredService<IdentityCache>(),
            sp.GetRequiredService<IOptions<CacheOptions>>().Value,
            sp.GetRequiredService<KeyStoreReadiness>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<IdentityCacheCoherence>>()));
        services.AddHostedService(sp => sp.GetRequiredService<IdentityCacheCoherence>());
    }

    // One adapter instance serves every port; the container disposes it (and so the connection the
    // ports share) once, at shutdown.
    private static void ForwardPorts(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<KeyStoreAdapter>().KeyStore);
        services.AddSingleton(sp => sp.GetRequiredService<KeyStoreAdapter>().AuditTrail);
        services.AddSingleton(sp => sp.GetRequiredService<KeyStoreAdapter>().Admin);
        services.AddSingleton(sp => sp.GetRequiredService<KeyStoreAdapter>().Registrations);
    }

    // By hand, because the pool targets are keyed by bit count ("Keys:Pool:2048"). Values are taken
    // as given; KeyGenerationOptions.Validate refuses the out-of-range ones at start.
    private static void BindKeyGeneration(IConfigurationSection keys, KeyGenerationOptions options)
    {
        options.MaxConcurrentGenerations = keys.GetValue(nameof(options.MaxConcurrentGenerations), options.MaxConcurrentGenerations);
        options.RetiredMaxQueuedGenerationsIsSet = keys["MaxQueuedGenerations"] is not null;
        keys.GetSection("Generation").Bind(options.Generation);
        var pool = keys.GetSection("Pool");
        options.PoolParallelism = pool.GetValue("Parallelism", options.PoolParallelism);
        foreach (var size in KeySize.All)
        {
            options.PoolTargets[size] = pool.GetValue(size.Bits.ToString(System.Globalization.CultureInfo.InvariantCulture), options.PoolTargets[size]);
        }
    }
}
