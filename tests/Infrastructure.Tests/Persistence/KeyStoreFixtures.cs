using System.Security.Cryptography;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>Made-up identities for store tests: stores never interpret key bytes, so none are real keys.</summary>
internal static class KeyStoreFixtures
{
    public static Identity NewIdentity(string email, bool exportable = true, byte[]? sealedBytes = null) =>
        Identity.Register(Guid.CreateVersion7(), EmailAddress.Parse(email), new ApiKeyHash(RandomNumberGenerator.GetBytes(32)), exportable, NewVersion(1, sealedBytes: sealedBytes), Now());

    /// <summary>A pending registration of <paramref name="email"/> waiting for <paramref name="code"/> until <paramref name="until"/> (default: a day).</summary>
    public static Identity NewPending(string email, string code = "ABCDEFGHJK", DateTimeOffset? until = null)
    {
        var id = Guid.CreateVersion7();
        var expiry = until ?? Now().AddHours(24);
        return Identity.RegisterPending(
            id, EmailAddress.Parse(email), new ApiKeyHash(RandomNumberGenerator.GetBytes(32)), true, NewVersion(1), Now(), expiry,
            new OneTimeCode(CodePurpose.Registration, OneTimeCode.HashOf(id, code), 0, expiry));
    }

    public static KeyVersion NewVersion(int version, KeySize? size = null, byte[]? sealedBytes = null)
    {
        var keySize = size ?? KeySize.Rsa2048;
        return new KeyVersion(
            version,
            keySize,
            RandomNumberGenerator.GetBytes(keySize.ModulusBytes + 38),
            new SealedPrivateKey(sealedBytes ?? RandomNumberGenerator.GetBytes(1200 + (keySize.ModulusBytes * 2))),
            Now());
    }

    /// <summary>A made-up signing key pair (random bytes: stores never interpret them).</summary>
    public static SigningKey NewSigningKey(KeySize? size = null)
    {
        var keySize = size ?? KeySize.Rsa2048;
        return new SigningKey(RandomNumberGenerator.GetBytes(keySize.ModulusBytes + 38), new SealedPrivateKey(RandomNumberGenerator.GetBytes(1200 + (keySize.ModulusBytes * 2))));
    }

    /// <summary><paramref name="identity"/> with one more key version, as a rotation makes it.</summary>
    public static Identity Rotated(Identity identity, KeySize? size = null, byte[]? sealedBytes = null) =>
        identity.Rotate(NewVersion(identity.Keys.NextVersion, size, sealedBytes));

    public static AuditEvent Registered(Identity identity) => Event(identity, AuditAction.Registered, 1);

    public static AuditEvent Event(Identity identity, AuditAction action, int? version) =>
        new(identity.Id, Now(), action, AuditOutcome.Success, AuditActor.Owner, version, "127.0.0.1", "test");

    /// <summary>A caller who is not the owner turned away from <paramref name="identity"/> at <paramref name="at"/>.</summary>
    public static AuditEvent Refusal(Identity identity, DateTimeOffset at, string? address, AuditActor actor = AuditActor.Other, AuditAction action = AuditAction.Denied, string? requestId = "refused") =>
        new(identity.Id, at, action, AuditOutcome.Denied, actor, null, address, requestId);

    // Stores keep milliseconds; tests compare what they wrote with what they read.
    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
