using System.Text;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Encryption;

namespace CryptoSecure.Application.UnitTests.TestDoubles;

/// <summary>
/// Records what it is asked to encrypt and which private keys it is tried with; opens a ciphertext
/// only with <see cref="OpensWith"/>. Hand-written because Moq cannot match span arguments.
/// </summary>
internal sealed class FakePayloadCipher : IPayloadCipher
{
    public const string MadeJwe = "header.key.iv.ciphertext.tag";

    public List<EncryptCall> Encryptions { get; } = [];

    /// <summary>The private keys TryDecrypt was given, as text (see <see cref="TestIdentity.PrivateKeyOf"/>).</summary>
    public List<string> KeysTried { get; } = [];

    /// <summary>What ReadKeyId reports as the JWE header's "kid".</summary>
    public string? KeyIdInHeader { get; set; }

    /// <summary>The only private key that opens a ciphertext; null when none does.</summary>
    public byte[]? OpensWith { get; set; }

    public byte[] Plaintext { get; set; } = "the plaintext"u8.ToArray();

    public DecryptionFailure FailureCause { get; set; } = DecryptionFailure.RsaDecryptionFailed;

    public Ciphertext Encrypt(ReadOnlySpan<byte> plaintext, CiphertextFormat format, ReadOnlySpan<byte> publicKey, string keyId)
    {
        Encryptions.Add(new EncryptCall(plaintext.ToArray(), format, publicKey.ToArray(), keyId));
        return format == CiphertextFormat.Jwe ? new JweCiphertext(MadeJwe) : new RsaOaepCiphertext(new byte[256]);
    }

    public string? ReadKeyId(JweCiphertext jwe) => KeyIdInHeader;

    public bool TryDecrypt(Ciphertext ciphertext, ReadOnlySpan<byte> privateKeyPkcs8, out byte[] plaintext, out DecryptionFailure failure)
    {
        KeysTried.Add(Encoding.UTF8.GetString(privateKeyPkcs8));
        if (OpensWith is not null && privateKeyPkcs8.SequenceEqual(OpensWith))
        {
            plaintext = Plaintext.ToArray();
            failure = default;
            return true;
        }

        plaintext = [];
        failure = FailureCause;
        return false;
    }

    public sealed record EncryptCall(byte[] Plaintext, CiphertextFormat Format, byte[] PublicKey, string KeyId);
}
