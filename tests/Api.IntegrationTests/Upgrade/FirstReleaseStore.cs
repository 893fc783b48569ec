using CryptoSecure.Application.Common.Mail;
using System.Text.Json;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Api.IntegrationTests.Upgrade;

/// <summary>One ciphertext the first release made, with what it must decrypt to.</summary>
/// <param name="Format">"jwe", "rsa-oaep" (v1 base64) or "prototype-hex" (POST /encrypt/{email}).</param>
/// <param name="KeyVersion">The key version it was made under.</param>
/// <param name="Ciphertext">As the first release answered it.</param>
/// <param name="Plaintext">The text encrypted, or null for binary data.</param>
/// <param name="PlaintextBase64">The bytes encrypted.</param>
/// <param name="Decrypts">False when the fixture expects a refusal (version below the minimum, identity deleted).</param>
public sealed record FixtureCiphertext(string Format, int KeyVersion, string Ciphertext, string? Plaintext, string PlaintextBase64, bool Decrypts);

/// <summary>One public key version as the first release reported it.</summary>
public sealed record FixturePublicKey(int Version, int KeySize, string PublicKeyPem);

/// <summary>One audit event as the first release reported it.</summary>
public sealed record FixtureAuditEvent(DateTimeOffset OccurredAt, string Action, string Outcome, string Actor, int? KeyVersion);

/// <summary>One identity of the fixture.</summary>
public sealed record FixtureIdentity(
    string Email,
    string Route,
    string ApiKey,
    bool Exportable,
    bool Deleted,
    IReadOnlyList<FixtureCiphertext> Ciphertexts,
    int? LatestVersion,
    int? MinDecryptionVersion,
    IReadOnlyList<FixturePublicKey>? PublicKeys,
    IReadOnlyList<FixtureAuditEvent>? Audit);

/// <summary>What tests/Fixtures/v0.1.0/manifest.json says the store holds.</summary>
public sealed record FixtureManifest(string Release, string StoreFile, int SqliteUserVersion, string MasterKeyFile, string AdminApiKey, IReadOnlyList<FixtureIdentity> Identities)
{
    public IEnumerable<FixtureIdentity> Live => Identities.Where(i => !i.Deleted);
}

/// <summary>
/// The store the first release (tag v0.1.0) wrote, from tests/Fixtures/v0.1.0 (copied to the
/// test output). Every server gets its own copy, so no test changes the fixture or another test's store.
/// </summary>
public static class FirstReleaseStore
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v0.1.0");

    public static FixtureManifest Manifest { get; } = JsonSerializer.Deserialize<FixtureManifest>(
        File.ReadAllText(Path.Combine(Directory, "manifest.json")), ApiClient.Json)!;

    public static string MasterKey { get; } = File.ReadAllText(Path.Combine(Directory, Manifest.MasterKeyFile)).Trim();

    /// <summary>
    /// A server on a fresh copy of the fixture, with its master key and admin key and no key pool to
    /// fill; with <paramref name="clock"/> when a test needs its events inside one minute.
    /// </summary>
    /// <param name="clock">The server's clock, when not the system's.</param>
    /// <param name="settings">More settings (email ownership: <c>Registration:*</c>).</param>
    /// <param name="mailer">The mailer, for tests that verify addresses.</param>
    public static ApiFactory OpenCopy(TimeProvider? clock = null, IDictionary<string, string?>? settings = null, IVerificationMailer? mailer = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Security:MasterKey"] = MasterKey,
            ["Security:AdminApiKeys:0"] = Manifest.AdminApiKey,
            ["Keys:Pool:2048"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = ApiFactory.With(all, services =>
        {
            if (clock is not null)
            {
                services.AddSingleton(clock);
            }

            if (mailer is not null)
            {
                services.AddSingleton(mailer);
            }
        });
        File.Copy(Path.Combine(Directory, Manifest.StoreFile), factory.DatabasePath);
        return factory;
    }
}
