using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Sqlite;

namespace CryptoSecure.Benchmarks.Micro;

/// <summary>
/// The SQLite store calls an encrypt or decrypt request makes: look the identity up, look the API
/// key up (decrypt), and append the audit event (one IMMEDIATE transaction, committed with
/// synchronous=FULL, i.e. an fsync of the WAL). The database lives in a temporary directory, so the
/// figures depend on that file system.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class StoreBenchmarks
{
    private string _directory = string.Empty;
    private KeyStoreAdapter _store = null!;
    private EmailAddress _email = null!;
    private ApiKeyHash _apiKeyHash = null!;
    private Guid _identityId;

    [GlobalSetup]
    public async Task Setup()
    {
        _directory = Directory.CreateTempSubdirectory("cryptosecure-microbench-").FullName;
        _store = SqliteStore.Open(Path.Combine(_directory, "bench.db"));
        await _store.Admin.InitializeAsync(CancellationToken.None);
        using var rsa = RSA.Create(3072);
        _identityId = Guid.CreateVersion7();
        _email = EmailAddress.Parse("bench@example.com");
        _apiKeyHash = new ApiKeyHash(SHA256.HashData(RandomNumberGenerator.GetBytes(32)));
        var now = DateTimeOffset.UtcNow;
        var sealedKey = new SealedPrivateKey(RandomNumberGenerator.GetBytes(1800));
        var identity = Identity.Register(_identityId, _email, _apiKeyHash, exportable: true, new KeyVersion(1, KeySize.Rsa3072, rsa.ExportSubjectPublicKeyInfo(), sealedKey, now), now);
        await _store.KeyStore.CreateAsync(identity, [Event(AuditAction.Registered)], CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Identity + key ring by address (every encrypt and decrypt).</summary>
    [Benchmark]
    public async Task<Identity?> FindIdentity() => await _store.KeyStore.FindAsync(_email, CancellationToken.None);

    /// <summary>API key hash to owner (every authenticated request).</summary>
    [Benchmark]
    public async Task<bool> FindCredentialOwner() => await _store.KeyStore.FindCredentialOwnerAsync(_apiKeyHash, CancellationToken.None) is not null;

    /// <summary>One audit event, durably committed (every encrypt and decrypt).</summary>
    [Benchmark]
    public Task AppendAuditEvent() => _store.AuditTrail.AppendAsync(Event(AuditAction.Encrypted), CancellationToken.None);

    private AuditEvent Event(AuditAction action) =>
        new(_identityId, DateTimeOffset.UtcNow, action, AuditOutcome.Success, AuditActor.Anonymous, 1, "127.0.0.1", "0HN000000000:00000001");
}
