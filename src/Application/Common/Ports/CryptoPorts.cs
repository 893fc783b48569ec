using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>A freshly generated RSA key pair; the private half is wiped on dispose.</summary>
[Secret]
public sealed class RsaKeyPair : IDisposable
{
    private readonly byte[] _privateKeyPkcs8;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="privateKeyPkcs8"/>.</summary>
    public RsaKeyPair(KeySize size, byte[] publicKey, byte[] privateKeyPkcs8)
    {
        Size = size;
        PublicKey = publicKey;
        _privateKeyPkcs8 = privateKeyPkcs8;
    }

    /// <summary>Modulus size.</summary>
    public KeySize Size { get; }

    /// <summary>SubjectPublicKeyInfo DER.</summary>
    public byte[] PublicKey { get; }

    /// <summary>PKCS#8 PrivateKeyInfo DER.</summary>
    public ReadOnlySpan<byte> PrivateKeyPkcs8
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKeyPkcs8;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_privateKeyPkcs8);
        _disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => $"RsaKeyPair({Size})";
}

/// <summary>Makes RSA key pairs off the request threads, from a pool when one is warm.</summary>
public interface IRsaKeyFactory
{
    /// <summary>A new key pair of <paramref name="size"/>, never handed out before.</summary>
    /// <param name="size">Modulus size.</param>
    /// <param name="requester">
    /// Whose share of key generation the request counts against (<see cref="IRequestContext.FairShareKey"/>):
    /// when generations must wait, they are shared out fairly between requesters, by cost.
    /// </param>
    /// <param name="cancellationToken">Cancelled when the caller goes away: a generation not yet started then never runs.</param>
    /// <exception cref="ServiceBusyException">Too much key generation is waiting, or this one waited too long.</exception>
    ValueTask<RsaKeyPair> CreateAsync(KeySize size, string requester, CancellationToken cancellationToken);
}

/// <summary>What a sealed private key is bound to: opening it under any other binding fails.</summary>
/// <param name="IdentityId">The registration.</param>
/// <param name="NormalizedEmail">Its normalized address.</param>
/// <param name="Version">The key version.</param>
public sealed record KeyBinding(Guid IdentityId, string NormalizedEmail, int Version)
{
    /// <summary>The binding of <paramref name="version"/> of <paramref name="identity"/>'s ring.</summary>
    public static KeyBinding For(Identity identity, int version)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new KeyBinding(identity.Id, identity.Email.Normalized, version);
    }
}

/// <summary>An opened private key (PKCS#8); wiped on dispose.</summary>
[Secret]
public sealed class PrivateKeyMaterial : IDisposable
{
    private readonly byte[] _pkcs8;

    /// <summary>Takes ownership of <paramref name="pkcs8"/>.</summary>
    public PrivateKeyMaterial(byte[] pkcs8) => _pkcs8 = pkcs8;

    /// <summary>PKCS#8 PrivateKeyInfo DER.</summary>
    public ReadOnlySpan<byte> Pkcs8 => _pkcs8;

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_pkcs8);

    /// <inheritdoc />
    public override string ToString() => "PrivateKeyMaterial(redacted)";
}

/// <summary>Seals private keys under the master key and opens them again.</summary>
public interface IKeyProtector
{
    /// <summary>Seals <paramref name="privateKeyPkcs8"/>, bound to <paramref name="binding"/>.</summary>
    SealedPrivateKey Seal(ReadOnlySpan<byte> privateKeyPkcs8, KeyBinding binding);

    /// <summary>Opens a sealed key.</summary>
    /// <exception cref="KeyIntegrityException">It was altered, moved to another binding, or sealed under another master key.</exception>
    PrivateKeyMaterial Unseal(SealedPrivateKey sealedKey, KeyBinding binding);
}

/// <summary>Encrypts to a public key and decrypts with a private one, in the service's formats.</summary>
public interface IPayloadCipher
{
    /// <summary>Encrypts <paramref name="plaintext"/> to the public key (SPKI DER).</summary>
    /// <param name="plaintext">At most the format's limit (checked by the caller).</param>
    /// <param name="format">JWE or raw RSA-OAEP.</param>
    /// <param name="publicKey">SubjectPublicKeyInfo DER.</param>
    /// <param name="keyId">The JWE "kid".</param>
    Ciphertext Encrypt(ReadOnlySpan<byte> plaintext, CiphertextFormat format, ReadOnlySpan<byte> publicKey, string keyId);

    /// <summary>The "kid" of a JWE's protected header, or null when absent or unreadable.</summary>
    string? ReadKeyId(JweCiphertext jwe);

    /// <summary>Decrypts; on failure returns false and the cause (for logs only).</summary>
    bool TryDecrypt(Ciphertext ciphertext, ReadOnlySpan<byte> privateKeyPkcs8, out byte[] plaintext, out DecryptionFailure failure);
}

/// <summary>A public RSA key as a JSON Web Key (RFC 7517/7518 §6.3.1).</summary>
/// <param name="Kty">"RSA".</param>
/// <param name="Use">"enc".</param>
/// <param name="Alg">"RSA-OAEP-256".</param>
/// <param name="Kid">The key id JWEs carry.</param>
/// <param name="N">Modulus, base64url.</param>
/// <param name="E">Public exponent, base64url.</param>
public sealed record PublicJsonWebKey(string Kty, string Use, string Alg, string Kid, string N, string E);

/// <summary>Renders keys in interchange formats.</summary>
public interface IKeyFormatter
{
    /// <summary>"-----BEGIN PUBLIC KEY-----" PEM of SPKI DER.</summary>
    string PublicKeyPem(ReadOnlySpan<byte> publicKey);

    /// <summary>The public key as a JWK.</summary>
    PublicJsonWebKey PublicJwk(ReadOnlySpan<byte> publicKey, string keyId);

    /// <summary>"-----BEGIN PRIVATE KEY-----" PEM of PKCS#8 DER.</summary>
    string PrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8);
}

/// <summary>A newly issued API key: the text is shown once, only the hash is kept.</summary>
/// <param name="Key">"csk_" + base64url of 32 random bytes.</param>
/// <param name="Hash">Its SHA-256.</param>
public sealed record IssuedApiKey([Secret] string Key, ApiKeyHash Hash)
{
    /// <inheritdoc />
    public override string ToString() => "IssuedApiKey(redacted)";
}

/// <summary>Issues API keys and hashes presented ones.</summary>
public interface IApiKeyIssuer
{
    /// <summary>A new random API key.</summary>
    IssuedApiKey Issue();

    /// <summary>The hash a presented key is looked up by.</summary>
    ApiKeyHash Hash(ReadOnlySpan<char> presentedKey);
}
