using System.Text;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.UnitTests.TestDoubles;

/// <summary>
/// Identities whose version n has public key "spki-v{n}" and private key "pkcs8-v{n}", sealed
/// (by <see cref="FakeKeyProtector"/>) to that identity, address and version.
/// </summary>
internal static class TestIdentity
{
    public const string Email = "Alice@Example.com";

    public static readonly DateTimeOffset CreatedAt = new(2025, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public static byte[] PublicKeyOf(int version) => Encoding.UTF8.GetBytes($"spki-v{version}");

    public static byte[] PrivateKeyOf(int version) => Encoding.UTF8.GetBytes($"pkcs8-v{version}");

    public static string PrivateKeyNameOf(int version) => $"pkcs8-v{version}";

    /// <summary>An identity with <paramref name="versions"/> key versions, or one per entry of <paramref name="sizes"/>.</summary>
    public static Identity Create(
        int versions = 1,
        int minDecryptionVersion = 1,
        bool exportable = true,
        long revision = 1,
        Guid? id = null,
        KeySize[]? sizes = null)
    {
        var identityId = id ?? Guid.NewGuid();
        var email = EmailAddress.Parse(Email);
        var count = sizes?.Length ?? versions;
        var keys = Enumerable.Range(1, count).Select(n => new KeyVersion(
            n,
            sizes?[n - 1] ?? KeySize.Rsa2048,
            PublicKeyOf(n),
            FakeKeyProtector.SealUnder(new KeyBinding(identityId, email.Normalized, n), PrivateKeyOf(n)),
            CreatedAt.AddDays(n)));
        return Identity.Restore(identityId, email, new ApiKeyHash(new byte[ApiKeyHash.Length]), exportable, CreatedAt, revision, new KeyRing(keys, minDecryptionVersion));
    }

    /// <summary>The same registration after a change: same id, more versions or a new minimum, next revision.</summary>
    public static Identity Changed(Identity identity, int versions, int? minDecryptionVersion = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Create(versions, minDecryptionVersion ?? identity.Keys.MinDecryptionVersion, identity.Exportable, identity.Revision + 1, identity.Id);
    }
}
